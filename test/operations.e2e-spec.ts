import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { type TestApp, startTestApp } from './support/app.js';
import { adminUrl } from './support/database.js';
import { holdCommitFence } from './support/fence.js';
import { send } from './support/fixtures.js';
import { parseMetrics, type Sample, sampleValue } from './support/prometheus.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `/health/ready` until it answers `status` (a recovery takes a projection pass or a reconnect). */
async function readyBecomes(t: TestApp, status: number, timeoutMs = 15_000) {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const res = await t.http.get('/health/ready');
    if (res.status === status) return res;
    if (Date.now() > deadline) throw new Error(`/health/ready stayed ${res.status}: ${JSON.stringify(res.body)}`);
    await sleep(100);
  }
}

describe('health', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A bound of 1 s, so that a test can put a projection past it.
    t = await startTestApp({ readyMaxLagSeconds: 1 });
  });
  afterAll(() => t?.close());

  it('answers liveness without a token and without the database', async () => {
    const res = await t.http.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is ready with the database up, every migration applied and every projection caught up', async () => {
    const party = await send(t, '/parties', { name: 'Ready Party', kind: 'other' });
    await t.app.get(ProjectionRunner).waitFor(t.app.get(ProjectionRunner).names, party.body.position);
    const res = await t.http.get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    const [{ n }] = await t.ds.query(`select count(*)::int as n from schema_migrations`);
    expect(res.body.details.database).toMatchObject({ status: 'up' });
    expect(res.body.details.migrations).toEqual({ status: 'up', applied: n });
    const projections = res.body.details.projections;
    expect(projections).toMatchObject({ status: 'up', maxLagSeconds: 1, behind: [], blockedBy: null });
    expect(projections.projections.map((p: { name: string }) => p.name).sort()).toEqual([...t.app.get(ProjectionRunner).names].sort());
    for (const p of projections.projections) expect(p).toMatchObject({ lag: 0, lagSeconds: 0, status: 'running', deadLetters: 0 });
    expect(projections.projections.find((p: { name: string }) => p.name === 'parties').position).toBe(party.body.position);
  });

  it('answers 503 naming a pending migration', async () => {
    const [last] = await t.ds.query(`select id, timestamp, name from schema_migrations order by id desc limit 1`);
    await t.ds.query(`delete from schema_migrations where id = $1`, [last.id]);
    try {
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.body.status).toBe('error');
      expect(res.body.error).toEqual({ migrations: { status: 'down', pending: [last.name] } });
      expect(res.body.info.database).toMatchObject({ status: 'up' });
    } finally {
      await t.ds.query(`insert into schema_migrations (id, timestamp, name) values ($1, $2, $3)`, [last.id, last.timestamp, last.name]);
    }
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });

  it('answers 503 when a projection has not applied an event for longer than READY_MAX_LAG_SECONDS', async () => {
    const runner = t.app.get(ProjectionRunner);
    await runner.stop();
    try {
      const party = await send(t, '/parties', { name: 'Left Behind', kind: 'other' });
      expect(party.status).toBe(201);
      await sleep(1200); // past the bound of 1 s
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(503);
      const projections = res.body.error.projections;
      expect(projections.status).toBe('down');
      expect(projections.behind).toEqual(expect.arrayContaining(['parties', 'seals', 'timeline']));
      const parties = projections.projections.find((p: { name: string }) => p.name === 'parties');
      expect(parties.lag).toBe(1);
      expect(parties.lagSeconds).toBeGreaterThan(1);
    } finally {
      await runner.start();
    }
    const res = await readyBecomes(t, 200);
    expect(res.body.details.projections.behind).toEqual([]);
  });

  it('names the transaction holding the commit-order fence back, without its query text', async () => {
    const holder = await holdCommitFence(t.db.url);
    try {
      expect((await send(t, '/parties', { name: 'Behind the Fence', kind: 'other' })).status).toBe(201);
      await sleep(2300); // a stall is reported once the fence has been held for 2 s
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(503);
      const projections = res.body.error.projections;
      expect(projections.blockedBy).toEqual({ pid: holder.pid, xid: holder.xid, ageSeconds: expect.any(Number), state: 'idle in transaction' });
      expect(projections.blockedBy.ageSeconds).toBeGreaterThanOrEqual(2);
      expect(projections.behind).toContain('parties');
      expect(JSON.stringify(res.body)).not.toContain('insert into events');
    } finally {
      await holder.release();
    }
    const res = await readyBecomes(t, 200);
    expect(res.body.details.projections.blockedBy).toBeNull();
  }, 30_000);

  it('answers 503 within its timeout when the database refuses connections, and recovers', async () => {
    const other = await startTestApp({ projections: false });
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    try {
      await admin.query(`alter database "${other.db.name}" allow_connections false`);
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [other.db.name]);
      const res = await other.http.get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.error.database).toMatchObject({ status: 'down' });
      // the scrape still answers, and says it could not read the database
      const metrics = await other.http.get('/metrics');
      expect(metrics.status).toBe(200);
      expect(sampleValue(parseMetrics(metrics.text), 'entente_metrics_database_up')).toBe(0);
      await admin.query(`alter database "${other.db.name}" allow_connections true`);
      await readyBecomes(other, 200);
    } finally {
      await admin.query(`alter database "${other.db.name}" allow_connections true`).catch(() => undefined);
      await admin.end();
      await other.close();
    }
  }, 30_000);
});

describe('metrics', () => {
  let t: TestApp;
  const scrape = async (app: TestApp = t): Promise<Sample[]> => {
    const res = await app.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(res.text);
  };
  const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels) ?? 0;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('counts requests by route pattern and status, times commands by outcome, and counts events by type', async () => {
    const before = await scrape();
    const party = await send(t, '/parties', { name: 'Measured Party', kind: 'other' });
    expect(party.status).toBe(201);
    const missing = randomUUID();
    expect((await t.http.get(`/api/v1/parties/${missing}`).set('Authorization', t.as('viewer').auth)).status).toBe(404);
    const stale = await send(t, `/parties/${party.body.id}/renaming`, { name: 'Renamed', effectiveOn: '2025' }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    const read = await t.http.get(`/api/v1/parties?minPosition=${party.body.position}`).set('Authorization', t.as('viewer').auth);
    expect(read.status).toBe(200);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);

    expect(delta('entente_http_requests_total', { method: 'POST', route: '/api/v1/parties', status: '201' })).toBe(1);
    expect(delta('entente_http_requests_total', { method: 'GET', route: '/api/v1/parties/:id', status: '404' })).toBe(1);
    expect(delta('entente_http_requests_total', { method: 'POST', route: '/api/v1/parties/:id/renaming', status: '412' })).toBe(1);
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes(missing)))).toBe(false);
    expect(delta('entente_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/parties' })).toBe(1);

    expect(delta('entente_command_duration_seconds_count', { command: 'RegisterParty', outcome: 'ok' })).toBe(1);
    expect(delta('entente_command_duration_seconds_count', { command: 'RenameParty', outcome: 'rejected' })).toBe(1);
    expect(value(after, 'entente_command_duration_seconds_sum', { command: 'RegisterParty', outcome: 'ok' })).toBeGreaterThan(0);
    // a read is no command
    expect(after.some((s) => s.name.startsWith('entente_command_duration') && s.labels.command === 'Parties')).toBe(false);

    expect(delta('entente_events_appended_total', { type: 'PartyRegistered' })).toBe(1);
    expect(value(after, 'entente_events_appended_total', { type: 'PartyRenamed' })).toBe(0);

    expect(value(after, 'entente_projection_position', { projection: 'parties' })).toBeGreaterThanOrEqual(Number(party.body.position));
    expect(value(after, 'entente_projection_lag_events', { projection: 'parties' })).toBe(0);
    expect(value(after, 'entente_projection_lease_held', { projection: 'parties' })).toBe(1);
    expect(value(after, 'entente_projection_dead_letters', { projection: 'parties' })).toBe(0);
    expect(sampleValue(after, 'entente_metrics_database_up')).toBe(1);

    expect(value(after, 'entente_db_pool_connections', { pool: 'primary' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'entente_db_pool_idle', { pool: 'primary' })).toBeDefined();
    expect(sampleValue(after, 'entente_db_pool_waiting', { pool: 'primary' })).toBeDefined();
    expect(sampleValue(after, 'entente_db_pool_connections', { pool: 'read' })).toBeUndefined(); // no replica configured
    expect(sampleValue(after, 'process_cpu_user_seconds_total')).toBeDefined();
    expect(sampleValue(after, 'nodejs_eventloop_lag_seconds')).toBeDefined();
  });

  it('reports rebuild progress', async () => {
    const started = await t.http.post('/api/v1/admin/projections/parties/rebuild').set('Authorization', t.as('admin').auth).send({});
    expect(started.status).toBe(202);
    for (const deadline = Date.now() + 20_000; ; ) {
      const s = await t.http.get('/api/v1/admin/projections/parties').set('Authorization', t.as('admin').auth);
      if (s.body.rebuild.status !== 'running') break;
      if (Date.now() > deadline) throw new Error('the rebuild did not finish');
      await sleep(50);
    }
    const samples = await scrape();
    const done = value(samples, 'entente_projection_rebuild_events_done', { projection: 'parties' });
    expect(done).toBeGreaterThan(0);
    expect(done).toBe(value(samples, 'entente_projection_rebuild_events_total', { projection: 'parties' }));
    expect(value(samples, 'entente_projection_rebuild_running', { projection: 'parties' })).toBe(0);
  });

  it('keeps a registry per app: a second instance counts only its own requests and appends', async () => {
    const second = await startTestApp({ projections: false }, { db: t.db });
    try {
      const mine = await scrape();
      const theirs = await scrape(second);
      expect(value(mine, 'entente_events_appended_total', { type: 'PartyRegistered' })).toBeGreaterThan(0);
      expect(value(theirs, 'entente_events_appended_total', { type: 'PartyRegistered' })).toBe(0);
      expect(value(theirs, 'entente_http_requests_total', { method: 'POST', route: '/api/v1/parties', status: '201' })).toBe(0);
      // the projection figures come from the shared database: the same on both; the lease is the first's
      expect(value(theirs, 'entente_projection_position', { projection: 'parties' })).toBe(value(mine, 'entente_projection_position', { projection: 'parties' }));
      expect(value(theirs, 'entente_projection_lease_held', { projection: 'parties' })).toBe(0);
    } finally {
      await second.close();
    }
  });
});
