import 'reflect-metadata';
import 'dotenv/config';
import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import { ProjectorThread } from './projections/projector-thread.js';
import { seedOnFirstStart } from './seeding/first-start.js';
import { TokenService } from './shared/auth/token.service.js';

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      log: (line) => console.log(line),
      callerHandlesSignals: true,
    });
    url = embedded.url;
  }
  // PROJECTIONS_THREAD=worker (the default): the projections run in a thread of their own
  // (ProjectorThread), the main thread's runner stays idle and forwards its wakes there.
  const inThread = config.projections && config.projectionThread === 'worker';
  const app = await createApp(inThread ? { ...config, projections: false } : config, url);
  const projector = inThread
    ? new ProjectorThread({ config, databaseUrl: url, log: new Logger('ProjectorThread') })
    : null;
  if (projector) app.get(ProjectionRunner).attachProjector(projector);
  // The thread starts while the history is seeded; a thread that cannot start fails start-up.
  const projectorStarted = projector ? projector.start().then(() => null, (err: Error) => err) : Promise.resolve(null);
  try {
    // An empty log (a new install) gets the recorded history before the service says it is up.
    await seedOnFirstStart(app);
    const failed = await projectorStarted;
    if (failed) throw failed;
  } catch (err) {
    await projector?.stop().catch(() => undefined);
    await app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
  await app.listen(config.port, config.host);
  const base = `http://localhost:${config.port}`;
  console.log(`Entente is listening on ${base}/api/v1`);
  console.log(`API docs: ${base}/docs`);
  console.log(embedded ? `Database: embedded PostgreSQL, data in ${config.dataDir}/pg` : 'Database: DATABASE_URL');
  console.log(`Projections: ${!config.projections ? 'off (PROJECTIONS=false)' : inThread ? 'in a worker thread' : 'in the main thread'}`);
  const firstAdminToken = app.get(TokenService).takeFirstAdminToken();
  if (firstAdminToken) console.log(`Admin token (shown once): ${firstAdminToken}`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: shutting down`);
    try {
      await drainHttp(app.getHttpServer() as Server, SHUTDOWN_GRACE_MS);
      // Projections stop at a batch boundary and hand their leases over (the thread's when
      // they run in one, else beforeApplicationShutdown's), then the pools close.
      await projector?.stop();
      await app.close();
      await embedded?.stop();
    } catch (err) {
      console.error(`shutdown failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    }
    console.log('shut down cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** How long in-flight requests get to finish after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Stops taking requests (the listening socket closes, idle keep-alive connections are closed
 * as they become idle) and waits for the requests in flight to finish, up to `graceMs`.
 */
async function drainHttp(server: Server, graceMs: number): Promise<void> {
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`requests still running after ${graceMs} ms: closing their connections`);
      server.closeAllConnections();
      resolve();
    }, graceMs);
  });
  server.closeIdleConnections();
  await Promise.race([drained, late]);
  clearInterval(idle);
  clearTimeout(timer);
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
  } else {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  }
  process.exit(1);
});
