import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { embeddedUrl, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { startTestApp } from './support/app.js';
import { freePort, post, startService, stopAllServices, waitFor } from './support/service-process.js';

/**
 * SIGTERM to the real service running on its own embedded PostgreSQL (no DATABASE_URL): it stops
 * taking requests, lets the requests in flight finish, stops its projections at a batch
 * boundary, closes its pool and the embedded server, and exits 0. Afterwards the log and the
 * checkpoints are consistent.
 */
describe('graceful shutdown on SIGTERM', () => {
  const dataDir = resolve(`data/test-sigterm-${process.pid}-${Date.now()}`);
  const pgDir = resolve(dataDir, 'pg');
  let pgPort: number;

  /** The embedded server's pid while it runs (its postmaster.pid), else null. */
  function postmaster(): number | null {
    const file = resolve(pgDir, 'postmaster.pid');
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  }

  afterAll(async () => {
    await stopAllServices();
    // A failed run may leave the embedded server behind: stop it (SIGINT: fast shutdown).
    const pid = postmaster();
    if (pid) {
      process.kill(pid, 'SIGINT');
      await waitFor('the embedded PostgreSQL to stop', async () => postmaster() === null, 20_000).catch(() => process.kill(pid, 'SIGKILL'));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes the requests in flight with 2xx, refuses new ones, exits 0, stops its PostgreSQL; log and checkpoints consistent', async () => {
    pgPort = await freePort();
    const svc = await startService({ env: { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) } });
    await svc.ready(120_000); // a first start runs initdb
    expect(postmaster()).not.toBeNull();
    const a = (await post(svc.base, '/parties', { name: 'Republic of Azerbaijan', kind: 'state' })).body.id;
    expect(a).toBeDefined();

    // Appends wait on a lock this test holds, so that ten commands are surely in flight (inside
    // the service, in the database) when SIGTERM arrives.
    const db = new pg.Client({ connectionString: embeddedUrl(pgPort) });
    db.on('error', () => undefined); // the server going away under it is what the assertions below report
    await db.connect();
    let inFlight: Promise<{ status: number; body: any }>[] = [];
    try {
      await db.query('begin');
      await db.query('lock table events in share mode'); // blocks inserts, not reads
      inFlight = Array.from({ length: 10 }, (_, i) => post(svc.base, '/parties', { name: `In flight ${i}`, kind: 'ngo' }, { 'X-Correlation-Id': `in-flight-${i}` }));
      await waitFor('ten appends waiting on the lock', async () => {
        const { rows } = await db.query(
          `select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'events' and l.mode = 'RowExclusiveLock' and not l.granted`,
        );
        return rows[0].n === 10;
      });

      svc.kill('SIGTERM');
      // It stops taking requests: new connections are refused while those ten are still running.
      await waitFor('new connections to be refused', async () => {
        try {
          await fetch(`${svc.base}/health/live`, { signal: AbortSignal.timeout(500) });
          return false;
        } catch (err) {
          return /ECONNREFUSED/.test(String((err as { cause?: unknown }).cause ?? err));
        }
      });
      await db.query('commit');
    } finally {
      await db.end().catch(() => undefined);
    }

    const answers = await Promise.all(inFlight);
    expect(answers.map((x) => x.status)).toEqual(Array(10).fill(201));
    expect(await svc.exited).toEqual({ code: 0, signal: null });
    expect(svc.output()).toMatch(/SIGTERM: shutting down/);
    expect(svc.output()).toMatch(/shut down cleanly/);
    // It stopped its embedded PostgreSQL too.
    expect(postmaster()).toBeNull();

    // Afterwards: the log holds each in-flight command once; no lease is left held; every
    // checkpoint names an event of the log (or the start); and the read models are those a
    // clean rebuild gives.
    const pgAgain = await startEmbeddedPostgres({ dataDir, port: pgPort, callerHandlesSignals: true });
    try {
      const c = new pg.Client({ connectionString: pgAgain.url });
      await c.connect();
      try {
        const events = await c.query(`select metadata->>'correlationId' as tag, count(*)::int as n from events where metadata->>'correlationId' like 'in-flight-%' group by 1`);
        expect(events.rows).toHaveLength(10);
        expect(events.rows.every((r) => r.n === 1)).toBe(true);
        const cps = await c.query(
          `select c.name, c.owner, c.position::text as position,
                  c.position = 0 or exists (select 1 from events e where e.global_position = c.position and e.transaction_id = c.transaction_id) as names_an_event
             from projection_checkpoints c`,
        );
        expect(cps.rows.length).toBeGreaterThanOrEqual(10);
        for (const cp of cps.rows) expect({ name: cp.name, owner: cp.owner, namesAnEvent: cp.names_an_event }).toEqual({ name: cp.name, owner: null, namesAnEvent: true });
      } finally {
        await c.end();
      }
      const t = await startTestApp({ projections: false }, { db: { url: pgAgain.url, name: 'entente', drop: async () => undefined } });
      try {
        for (const name of t.app.get(ProjectionRunner).names) {
          const report = await t.app.get(ProjectionRebuilder).rebuild(name, 'compare', 'sigterm-test');
          expect({ name, identical: report.identical }).toEqual({ name, identical: true });
        }
      } finally {
        await t.close();
      }
    } finally {
      await pgAgain.stop();
    }
  }, 240_000);
});
