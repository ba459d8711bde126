import type { DataSource } from 'typeorm';
import { READ_DB } from '../src/database/read-database.js';
import { type TestApp, startTestApp } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { send } from './support/fixtures.js';
import { parseMetrics, sampleValue } from './support/prometheus.js';
import { type SimulatedReplica, simulateReplica } from './support/replica.js';

/**
 * DATABASE_READ_URL: the query endpoints read a replica; commands, the log and the projection
 * workers use the primary; `minPosition` waits until the replica has the checkpoint. The
 * replica is simulated by copying (test/support/replica.ts says why and how).
 */
describe('read replica (DATABASE_READ_URL)', () => {
  let primary: TestDatabase;
  let replica: SimulatedReplica;
  let t: TestApp;

  const read = (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', t.as('viewer').auth);
  const partyNames = async (query = '') => ((await read(`/parties?limit=500${query}`)).body.items as { name: string }[]).map((p) => p.name);

  /** Waits until the primary's parties projection has applied `position` (the admin endpoint reads the primary). */
  async function appliedOnPrimary(position: string): Promise<void> {
    for (const deadline = Date.now() + 10_000; ; ) {
      const res = await t.http.get('/api/v1/admin/projections/parties').set('Authorization', t.as('admin').auth);
      if (BigInt(res.body.position) >= BigInt(position) && res.body.lag === 0) return;
      if (Date.now() > deadline) throw new Error(`parties did not apply ${position} on the primary: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    primary = await createTestDatabase();
    replica = await simulateReplica(primary.url);
    t = await startTestApp({ databaseReadUrl: replica.url }, { db: primary });
    await replica.sync(); // the checkpoints the app created at start
  });
  afterAll(async () => {
    await t?.close();
    await primary?.drop();
    await replica?.drop();
  });

  it('runs every connection, to the primary and to the replica, without JIT', async () => {
    const read: DataSource = t.app.get(READ_DB);
    expect(read).not.toBe(t.ds);
    for (const ds of [t.ds, read]) expect(await ds.query('show jit')).toEqual([{ jit: 'off' }]);
  });

  it('answers queries from the replica and sends commands to the primary', async () => {
    const party = await send(t, '/parties', { name: 'Written to the Primary', kind: 'other' });
    expect(party.status).toBe(201); // the replica is read-only: a command there would have failed
    await appliedOnPrimary(party.body.position);
    expect(await partyNames()).not.toContain('Written to the Primary'); // not replicated yet
    await replica.sync();
    expect(await partyNames()).toContain('Written to the Primary');
    const one = await read(`/parties/${party.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body.name).toBe('Written to the Primary');
  });

  it('makes minPosition wait until the replica has the checkpoint, though the primary has it already', async () => {
    const party = await send(t, '/parties', { name: 'Read Your Own Write', kind: 'other' });
    await appliedOnPrimary(party.body.position);
    let answered = false;
    const pending = read(`/parties?limit=500&minPosition=${party.body.position}`).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false); // still waiting: the replica has not replayed it
    await replica.sync();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { name: string }) => p.name)).toContain('Read Your Own Write');
  });

  it('answers 503 with Retry-After when the replica stays behind past the wait', async () => {
    const party = await send(t, '/parties', { name: 'Never Replicated', kind: 'other' });
    await appliedOnPrimary(party.body.position);
    const res = await read(`/parties/${party.body.id}?minPosition=${party.body.position}`);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.code).toBe('PROJECTION.NOT_CAUGHT_UP');
    await replica.sync();
    expect((await read(`/parties/${party.body.id}?minPosition=${party.body.position}`)).status).toBe(200);
  }, 20_000);

  it('checks the replica in /health/ready and reports its pool in /metrics', async () => {
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.readReplica).toMatchObject({ status: 'up' });
    const samples = parseMetrics((await t.http.get('/metrics')).text);
    expect(sampleValue(samples, 'entente_db_pool_connections', { pool: 'read' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'entente_db_pool_connections', { pool: 'primary' })).toBeGreaterThanOrEqual(1);
  });
});
