import type { DataSource } from 'typeorm';
import { EventStore } from '../src/event-store/event-store.js';
import type { StoredEvent } from '../src/event-store/event.types.js';
import { ProjectionAdmin } from '../src/projections/projection-admin.service.js';
import type { Projection, ProjectionTx } from '../src/projections/projection.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { uuidv7 } from '../src/shared/ids.js';
import { createMigratedDataSource, type TestDatabase } from './support/database.js';

const meta = { actor: 'test', correlationId: 'c', causationId: 'c' };
const FAST = { pollMs: 100, heartbeatMs: 200, leaseSeconds: 1, retryBaseMs: 100, maxRetryMs: 400, batchSize: 50 };

/** Counts the events it sees per stream into a table of its own. */
class CountingProjection implements Projection {
  handles = ['Tick', 'Poison'];
  readonly tables: string[];
  constructor(
    readonly name: string,
    private readonly failOn: (e: StoredEvent, attempt: number) => boolean = () => false,
  ) {
    this.tables = [`t_${name}`];
  }
  attempts = new Map<string, number>();
  async apply(e: StoredEvent, tx: ProjectionTx): Promise<void> {
    const n = (this.attempts.get(e.position) ?? 0) + 1;
    this.attempts.set(e.position, n);
    if (this.failOn(e, n)) throw new Error(`cannot apply ${e.type} #${e.data.i}`);
    await tx.query(`insert into t_${this.name} (position, i) values ($1, $2)`, [e.position, e.data.i]);
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('projection engine', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;
  const runners: ProjectionRunner[] = [];

  const runner = (projections: Projection[]) => {
    const r = new ProjectionRunner(ds, store, projections, db.url, { projections: true }, FAST);
    runners.push(r);
    return r;
  };
  const tick = (i: number, type = 'Tick') =>
    store.append([{ streamId: uuidv7(), streamType: 'tick', expectedVersion: 0, events: [{ type, data: { i } }] }], meta);
  const rows = async (name: string) => (await ds.query(`select i from t_${name} order by position`)).map((r: { i: number }) => r.i);
  const checkpoint = async (name: string) => (await ds.query(`select * from projection_checkpoints where name = $1`, [name]))[0];

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    store = new EventStore(ds);
    for (const n of ['good', 'poison', 'flaky', 'shared', 'idle', 'stats']) {
      await ds.query(`create table t_${n} (position bigint primary key, i int not null)`);
      await ds.query(`insert into projection_checkpoints (name) values ($1)`, [n]);
    }
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('parks a projection on a poison event (dead letter, retries with back-off) while the others go on; a skip is recorded and lets it pass', async () => {
    const good = new CountingProjection('good');
    const poison = new CountingProjection('poison', (e) => e.type === 'Poison');
    const r = runner([good, poison]);
    await r.start();
    for (let i = 1; i <= 3; i++) await tick(i);
    const bad = await tick(4, 'Poison');
    for (let i = 5; i <= 7; i++) await tick(i);

    await until('good applies everything', async () => (await rows('good')).length === 7);
    // The dead letter and the checkpoint's failure count are written one after the other: wait for both.
    await until('the poison event retried', async () => {
      const [d] = await ds.query(`select attempts from projection_dead_letters where name = 'poison'`);
      return d?.attempts >= 2 && Number((await checkpoint('poison')).failures) >= 2;
    });
    expect(await rows('poison')).toEqual([1, 2, 3]);
    const [dead] = await ds.query(`select position::text as position, event_type, error, resolved_at from projection_dead_letters where name = 'poison'`);
    expect(dead).toMatchObject({ position: bad.position, event_type: 'Poison', error: expect.stringContaining('cannot apply Poison #4'), resolved_at: null });
    expect(Number((await checkpoint('poison')).failures)).toBeGreaterThanOrEqual(2);

    const admin = new ProjectionAdmin(ds, store, { projection: () => poison, names: ['poison'], wake: () => r.wake() } as unknown as ProjectionRunner);
    const status = await admin.status('poison');
    expect(status).toMatchObject({ status: 'failing', lastError: { position: bad.position, eventType: 'Poison' } });

    await admin.skip('poison', bad.position, 'test-admin', 'handler bug, fixed in the next release');
    await until('poison passes the skipped event', async () => (await rows('poison')).length === 6);
    expect(await rows('poison')).toEqual([1, 2, 3, 5, 6, 7]);
    const [skip] = await ds.query(`select position::text as position, skipped_by, reason, event_type from projection_skips where name = 'poison'`);
    expect(skip).toEqual({ position: bad.position, skipped_by: 'test-admin', reason: 'handler bug, fixed in the next release', event_type: 'Poison' });
    const [resolved] = await ds.query(`select resolution from projection_dead_letters where name = 'poison'`);
    expect(resolved.resolution).toBe('skipped');
    // A position already applied cannot be skipped.
    const [{ p: applied }] = await ds.query(`select position::text as p from t_poison order by position limit 1`);
    await expect(admin.skip('poison', applied, 'x', null)).rejects.toMatchObject({ code: 'PROJECTION.ALREADY_APPLIED' });
  });

  it('retries a failing handler until it succeeds, then marks the dead letter applied', async () => {
    // fails in its batch, again alone (first dead-letter attempt), once more on the first retry
    const flaky = new CountingProjection('flaky', (e, attempt) => e.data.i === 100 && attempt <= 3);
    const r = runner([flaky]);
    await r.start();
    await tick(100);
    await tick(101);
    await until('flaky catches up', async () => (await rows('flaky')).includes(101));
    const [dead] = await ds.query(`select attempts, resolution from projection_dead_letters where name = 'flaky'`);
    expect(dead).toEqual({ attempts: 2, resolution: 'applied' });
    expect((await checkpoint('flaky')).failures).toBe(0);
  });

  it('pauses and resumes', async () => {
    const good = new CountingProjection('good');
    const r = runner([good]);
    await r.start();
    const admin = new ProjectionAdmin(ds, store, { projection: () => good, names: ['good'], wake: () => r.wake() } as unknown as ProjectionRunner);
    await r.waitFor(['good'], (await tick(199)).position);
    const before = (await rows('good')).length;
    await admin.setPaused('good', true);
    await tick(200);
    await new Promise((res) => setTimeout(res, 500));
    expect((await rows('good')).length).toBe(before);
    expect((await admin.status('good')).status).toBe('paused');
    await admin.setPaused('good', false);
    await until('good resumes', async () => (await rows('good')).includes(200));
  });

  it('runs each projection in exactly one of two instances; the other takes over when the owner dies, and applies nothing twice', async () => {
    const a = runner([new CountingProjection('shared')]);
    const b = runner([new CountingProjection('shared')]);
    await a.start();
    await b.start();
    for (let i = 1; i <= 20; i++) await tick(1000 + i);
    await until('shared catches up', async () => (await rows('shared')).length >= 20);
    const owners = [a, b].filter((r) => r.owned.includes('shared'));
    expect(owners).toHaveLength(1);
    const [owner, other] = owners[0] === a ? [a, b] : [b, a];
    const cp = await checkpoint('shared');
    expect(cp.owner).toBe(owner.instanceId);

    // The owner dies without handing over: the lease must expire first.
    const died = Date.now();
    await owner.stop(false);
    for (let i = 21; i <= 40; i++) await tick(1000 + i);
    await until('the other instance takes over', async () => (await checkpoint('shared')).owner === other.instanceId);
    await until('the other instance catches up', async () => (await rows('shared')).length >= 40);
    const tookOver = Date.now() - died;
    expect(tookOver).toBeLessThan(5000);
    expect(Number((await checkpoint('shared')).epoch)).toBeGreaterThan(Number(cp.epoch));
    // exactly once: the primary key on position would have refused a second insert, and all are there
    const applied = (await rows('shared')).filter((i: number) => i > 1000);
    expect(applied).toEqual(Array.from({ length: 40 }, (_, k) => 1001 + k));
  });

  it('fences a former owner: once its lease is taken, its batch writes nothing', async () => {
    const p = new CountingProjection('shared');
    const a = runner([p]);
    const b = runner([new CountingProjection('shared')]);
    await a.start();
    await until('a holds the lease', async () => a.owned.includes('shared'));
    const { epoch } = await checkpoint('shared');
    // a is "paused" (a long GC, a frozen VM): it stops renewing and its lease runs out...
    await a.stop(false);
    await ds.query(`update projection_checkpoints set lease_expires_at = now() - interval '1 second' where name = 'shared'`);
    await b.start();
    await until('b takes the lease', async () => (await checkpoint('shared')).owner === b.instanceId);
    await b.stop();
    await tick(5000);
    const before = await rows('shared');
    // ...then wakes up and runs a batch with its old epoch: refused, nothing written.
    await expect(a.step(p, String(epoch))).rejects.toThrow();
    expect(await rows('shared')).toEqual(before);
  });

  it("analyzes a projection's tables once they have grown past their statistics, so its statements are planned for the tables as they are", async () => {
    const analyzed = async () =>
      (await ds.query(`select last_analyze is not null or last_autoanalyze is not null as done from pg_stat_user_tables where relname = 't_stats'`))[0].done;
    expect(await analyzed()).toBe(false);
    const stats = new CountingProjection('stats');
    stats.handles = ['StatTick']; // its own type: the other projections here have nothing to apply
    const r = runner([stats]);
    await r.start();
    await store.append([{ streamId: uuidv7(), streamType: 'tick', expectedVersion: 0, events: Array.from({ length: 1100 }, (_, i) => ({ type: 'StatTick', data: { i } })) }], meta);
    await until('1,100 ticks applied', async () => (await rows('stats')).length >= 1100);
    await until('t_stats analyzed', analyzed);
    const [{ tuples }] = await ds.query(`select reltuples::int as tuples from pg_class where relname = 't_stats'`);
    expect(tuples).toBeGreaterThanOrEqual(1000); // analyzed once 1,000 had been applied
  });

  it('moves a projection with nothing to apply past the others\' events without a step of its own', async () => {
    const good = new CountingProjection('good');
    const idle = new CountingProjection('idle');
    idle.handles = ['SomethingElse'];
    const r = runner([good, idle]);
    const stepped = new Set<string>();
    const step = r.step.bind(r);
    r.step = (p, epoch, limit) => {
      stepped.add(p.name);
      return step(p, epoch, limit);
    };
    await r.start();
    await until('both leases held', async () => r.owned.length === 2);
    await tick(7000);
    await until('both caught up', async () => (await checkpoint('idle')).position === (await checkpoint('good')).position);
    stepped.clear();
    let last = '';
    for (let i = 1; i <= 10; i++) last = (await tick(7000 + i)).position;
    await until('idle passes the last tick', async () => BigInt((await checkpoint('idle')).position) >= BigInt(last));
    await until('good applies the last tick', async () => (await rows('good')).includes(7010));
    expect(stepped.has('good')).toBe(true);
    expect(stepped.has('idle')).toBe(false);
    expect(await rows('idle')).toEqual([]);
  });

  it('keeps renewing its other leases while a checkpoint is held locked (the heartbeat does not queue behind it)', async () => {
    const r = runner([new CountingProjection('good'), Object.assign(new CountingProjection('idle'), { handles: ['SomethingElse'] })]);
    await r.start();
    await until('both leases held', async () => r.owned.length === 2);
    const before = await checkpoint('idle');
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`select 1 from projection_checkpoints where name = 'good' for update`);
      // Twice the lease (FAST: 1 s): without renewals, idle's lease would run out and be taken again (a new epoch).
      await new Promise((res) => setTimeout(res, 2000));
      const during = await checkpoint('idle');
      expect(during.epoch).toBe(before.epoch);
      expect(during.owner).toBe(r.instanceId);
      expect(new Date(during.lease_expires_at).getTime()).toBeGreaterThan(Date.now());
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('refuses to save a batch whose lease ran out while it was being applied: nothing of it is written', async () => {
    const slow = new CountingProjection('good');
    const apply = slow.apply.bind(slow);
    let delay = 0;
    slow.apply = async (e, tx) => {
      await new Promise((r) => setTimeout(r, delay));
      return apply(e, tx);
    };
    const r = runner([slow]);
    await r.start();
    await until('good holds the lease', async () => r.owned.includes('good'));
    // The instance stops renewing (a frozen process) but keeps its lease until it runs out.
    await r.stop(false);
    await tick(8001);
    const before = await rows('good');
    const { epoch, position } = await checkpoint('good');
    // One second of lease left when the batch starts; applying it takes longer.
    await ds.query(`update projection_checkpoints set lease_expires_at = clock_timestamp() + interval '1 second' where name = 'good'`);
    delay = 1500;
    await expect(r.step(slow, String(epoch))).rejects.toThrow();
    expect(await rows('good')).toEqual(before);
    expect((await checkpoint('good')).position).toBe(position);
  });
});
