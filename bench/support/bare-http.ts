import { createServer } from 'node:http';

/**
 * The floor of the reads benchmark: Node's own HTTP server answering a fixed small JSON body,
 * in a process of its own (as the service is), no framework, no database. What a read costs on
 * this machine before any of the service's work: the loopback, the scheduler, the client.
 * Prints `PORT <n>`.
 */
const body = JSON.stringify({ status: 'ok' });
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as { port: number }).port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
