import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import pgDriver from 'pg';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { freePort, post, type ServiceProcess, startService, stopAllServices, waitFor } from './support/service-process.js';

/**
 * PostgreSQL stopped under load and started again: the service (a child process) answers 503
 * problem+json with Retry-After while the database is away (not a 500, not a crash), says so on
 * /health/ready, and reconnects by itself when it is back. The database is an embedded
 * PostgreSQL of this test's own (own data directory, own port), so stopping it disturbs nobody.
 */
describe('PostgreSQL restarted under load', () => {
  const dataDir = resolve(`data/test-outage-${process.pid}-${Date.now()}`);
  let port: number;
  let pg: EmbeddedDatabase | null = null;
  let svc: ServiceProcess;

  const startPg = () => startEmbeddedPostgres({ dataDir, port, database: 'entente', callerHandlesSignals: true });

  beforeAll(async () => {
    port = await freePort();
    pg = await startPg();
    svc = await startService({ databaseUrl: pg.url });
    await svc.ready();
  }, 120_000);

  afterAll(async () => {
    await stopAllServices();
    await pg?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  interface Seen {
    /** the database's state when the request was sent, and when its answer came */
    at: 'up' | 'down' | 'back';
    until: 'up' | 'down' | 'back';
    status: number;
    type: string;
    retryAfter: string | null;
    body: any;
  }

  it('503 with Retry-After while it is down, /health/ready says so, and the service reconnects by itself', async () => {
    const ready = async () => {
      const res = await fetch(`${svc.base}/health/ready`);
      return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as any };
    };
    expect((await ready()).status).toBe(200);

    // Four clients write and read all along; what they see is tagged with the database's state.
    let phase: Seen['at'] = 'up';
    let stop = false;
    const seen: Seen[] = [];
    const acknowledged: { id: string; position: string }[] = [];
    let i = 0;
    const client = async () => {
      while (!stop) {
        const at = phase;
        const n = i++;
        // A transport error (a reset, a refused connection) is an answer too: status 0, which the
        // checks below refuse, naming it and when it came, and this client goes on.
        const res = await (n % 2
          ? post(svc.base, '/parties', { name: `Party ${n}`, kind: 'ngo' })
          : fetch(`${svc.base}/api/v1/parties?limit=5`, { headers: { authorization: 'Bearer svc-v1ewer' } }).then(async (r) => ({
              status: r.status,
              headers: r.headers,
              body: await r.json(),
            }))
        ).catch((err: Error) => ({ status: 0, headers: new Headers(), body: { error: `${err.message}: ${(err.cause as Error | undefined)?.message ?? ''}`, exited: svc.output().slice(-2000) } }));
        seen.push({ at, until: phase, status: res.status, type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), body: res.body });
        if (res.status === 201) acknowledged.push(res.body);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const clients = Promise.all([client(), client(), client(), client()]);
    await waitFor('some writes while the database is up', async () => acknowledged.length >= 20);

    phase = 'down';
    await pg!.stop();
    pg = null;
    // (or any answer that is not allowed: the checks below then name it)
    const unexpected = () => seen.some((s) => ![200, 201, 503].includes(s.status));
    await waitFor('503s while the database is down', async () => unexpected() || seen.filter((s) => s.at === 'down' && s.status === 503).length >= 20);
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.retryAfter).toMatch(/^\d+$/);
    expect(down.body.status).toBe('error');
    expect(svc.output()).not.toMatch(/unhandled|uncaught/i);

    pg = await startPg();
    phase = 'back';
    const back = await waitFor('/health/ready to say ready again', async () => {
      const r = await ready();
      return r.status === 200 ? r : null;
    });
    expect(back.body.status).toMatch(/^(ok|degraded)$/);
    await waitFor('writes succeeding again', async () => unexpected() || seen.filter((s) => s.at === 'back' && s.status === 201).length >= 10);
    stop = true;
    await clients;

    // Never a 500 or another status: 2xx, or 503 problem+json with Retry-After while the database was away.
    const statuses = [...new Set(seen.map((s) => `${s.at} ${s.status}`))].sort();
    for (const s of seen) {
      expect([200, 201, 503]).toContain(s.status);
      if (s.status === 503) {
        expect({ at: s.at, until: s.until, body: s.body }).not.toMatchObject({ at: 'up', until: 'up' });
        expect(s.type).toMatch(/^application\/problem\+json/);
        expect(s.retryAfter).toMatch(/^\d+$/);
        expect(s.body).toMatchObject({ status: 503, title: 'Service Unavailable', detail: expect.any(String) });
      }
    }
    // The process never died, and every write it acknowledged is in the log.
    const exited = await Promise.race([svc.exited, new Promise((r) => setTimeout(() => r(null), 0))]);
    expect(exited).toBeNull();
    const pgClient = new pgDriver.Client({ connectionString: pg.url });
    await pgClient.connect();
    try {
      const { rows } = await pgClient.query(`select stream_id::text as id from events where stream_id = any($1::uuid[])`, [acknowledged.map((a) => a.id)]);
      expect(rows).toHaveLength(acknowledged.length);
    } finally {
      await pgClient.end();
    }
    console.log(`database outage: ${seen.length} answers (${statuses.join(', ')}); ${acknowledged.length} writes acknowledged, all in the log`);
  }, 120_000);
});
