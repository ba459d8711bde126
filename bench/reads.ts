import 'reflect-metadata';
import pg from 'pg';
import { benchDatabase } from './support/database.js';
import { growLog, waitForProjections } from './support/log.js';
import { Agent, openLoop } from './support/open-loop.js';
import { QUICK, below, machine, percentile, printTable, round, runMain, writeResult } from './support/report.js';
import { startAll, startReference, startService } from './support/service.js';

/**
 * Pattern 6, reads at a fixed rate: upcoming forums, and one partnership (the pair with the
 * most shared facts), each at 200 requests per second, evenly spaced (open loop, see
 * support/open-loop.ts), against the service (its own process, projections caught up) over a
 * generated log. Two floors at the same rate: a bare `node:http` server answering a fixed body
 * in a process of its own (support/bare-http.ts: what any read costs on this machine, the load
 * generator included), and the service's `GET /health/live` (no database, no token: what its
 * HTTP stack costs).
 */

const events = QUICK ? 5_000 : 50_000;
const duration = QUICK ? 1.5 : 10;
const RATE = 200;

async function main(): Promise<void> {
  const db = await benchDatabase();
  try {
    const grown = await growLog(db.url, events);
    // The bare server (the floor) starts beside the service; it idles through the catch-up.
    const [service, bare] = await startAll(
      () => startService(db.url, { projections: true }),
      () => startReference('bare-http.js', db.url),
    );
    try {
      const caughtUp = await waitForProjections(db.url);
      console.log(`log: ${grown.events} events; projections caught up in ${round(caughtUp, 1)} s`);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const {
        rows: [{ id }],
      } = await c.query(`select partnership_id as id from rm_partnership_links group by 1 order by count(*) desc limit 1`);
      const {
        rows: [{ links }],
      } = await c.query(`select count(*)::int as links from rm_partnership_links where partnership_id = $1`, [id]);
      await c.end();
      const targets = [
        { read: 'bare node:http, fixed answer (floor: the machine)', base: bare.url, path: '/', target: false },
        { read: 'GET /health/live (floor: no database, no token)', base: service.url, path: '/health/live', target: false },
        { read: 'GET /forums/upcoming', base: service.url, path: '/api/v1/forums/upcoming', target: true },
        { read: `GET /partnerships/:id (${links} shared facts)`, base: service.url, path: `/api/v1/partnerships/${id}`, target: true },
      ];
      const rows: Record<string, unknown>[] = [];
      for (const t of targets) {
        const url = `${t.base}${t.path}`;
        const probe = await fetch(url, { headers: service.auth('viewer') });
        if (probe.status !== 200) throw new Error(`${t.path}: ${probe.status} ${await probe.text()}`);
        const bytes = (await probe.arrayBuffer()).byteLength;
        const agent = new Agent({ keepAlive: true, maxSockets: 64 });
        await openLoop(url, { rate: RATE, seconds: QUICK ? 0.5 : 2, headers: service.auth('viewer'), agent }); // warm-up
        const r = await openLoop(url, { rate: RATE, seconds: duration, headers: service.auth('viewer'), agent });
        agent.destroy();
        if (r.failures.length) throw new Error(`${t.path}: ${r.failures.length} failed, e.g. ${r.failures[0]}`);
        const p99 = percentile(r.latencies, 99);
        rows.push({
          read: t.read,
          'answer bytes': bytes,
          'req/s': round(r.achieved),
          'p50 ms': round(percentile(r.latencies, 50), 1),
          'p99 ms': t.target ? below(p99, 20) : round(p99, 1),
          'max ms': round(Math.max(...r.latencies), 1),
        });
      }
      printTable(`Reads at ${RATE} requests per second, evenly spaced, for ${duration} s each, over a log of ${grown.events} events`, rows);
      writeResult('reads', { machine: await machine(db.url), events: grown.events, rate: RATE, duration, rows });
    } finally {
      await service.stop();
      await bare.stop();
    }
  } finally {
    await db.drop();
    await db.stop();
  }
}

runMain(main);
