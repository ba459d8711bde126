import pg from 'pg';
import type { DataSource } from 'typeorm';
import { EventStore, IdempotencyRaceError, NO_EVENTS_TX } from '../src/event-store/event-store.js';
import type { EventMetadata, StoredEvent } from '../src/event-store/event.types.js';
import { eventHash } from '../src/event-store/event-hash.js';
import { ConcurrencyError } from '../src/shared/errors.js';
import { uuidv7 } from '../src/shared/ids.js';
import { pgClientOf, pgQuery, queryRows } from '../src/database/pg-query.js';
import { createMigratedDataSource, createTestDatabase, type TestDatabase } from './support/database.js';

const meta: EventMetadata = { actor: 'test', role: 'recorder', correlationId: 'c-1', causationId: 'r-1', requestId: 'r-1' };

describe('event store (PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    store = new EventStore(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const one = (streamId: string, expectedVersion: number | 'any', type = 'Noted', data: object = { n: 1 }) =>
    store.append([{ streamId, streamType: 'note', expectedVersion, events: [{ type, data }] }], meta);

  it('appends events with versions, metadata, business time and a hash chain per stream', async () => {
    const id = uuidv7();
    const r = await store.append(
      [
        {
          streamId: id,
          streamType: 'note',
          expectedVersion: 0,
          events: [
            { type: 'Noted', data: { text: 'first' }, occurredOn: '2020-12-02' },
            { type: 'Noted', data: { text: 'second' } },
          ],
        },
      ],
      meta,
    );
    expect(r.streams).toEqual([{ streamId: id, version: 2 }]);
    const events = await store.readStream(id);
    expect(events.map((e) => [e.version, e.type, e.data, e.occurredOn, e.schemaVersion])).toEqual([
      [1, 'Noted', { text: 'first' }, '2020-12-02', 1],
      [2, 'Noted', { text: 'second' }, null, 1],
    ]);
    expect(events[1].position).toBe(r.position);
    expect(events[0].metadata).toEqual(meta);
    expect(events[0].recordedAt).toBeInstanceOf(Date);
    // Each hash covers the event and the previous hash of its stream.
    const h1 = eventHash(null, { ...events[0], recordedAt: events[0].recordedAt });
    expect(events[0].hash).toBe(h1.toString('hex'));
    expect(events[1].hash).toBe(eventHash(h1, events[1]).toString('hex'));
  });

  it('writes several streams in one transaction, positions in the order given', async () => {
    const a = uuidv7();
    const b = uuidv7();
    const r = await store.append(
      [
        { streamId: a, streamType: 'meeting', expectedVersion: 0, events: [{ type: 'A1', data: {} }] },
        { streamId: b, streamType: 'commitment', expectedVersion: 0, events: [{ type: 'B1', data: {} }] },
      ],
      meta,
    );
    const [ea] = await store.readStream(a);
    const [eb] = await store.readStream(b);
    expect(ea.transactionId).toBe(eb.transactionId);
    expect(BigInt(ea.position) < BigInt(eb.position)).toBe(true);
    expect(r.position).toBe(eb.position);
  });

  it('refuses a write at a stale expected version with a typed error, writing nothing', async () => {
    const id = uuidv7();
    await one(id, 0);
    await expect(one(id, 0)).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(one(id, 5)).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(id)).toHaveLength(1);
    await one(id, 'any');
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it('lets exactly one of 20 concurrent writers at one expected version win', async () => {
    const id = uuidv7();
    await one(id, 0);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => one(id, 1, 'Raced', { writer: i })));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const l of lost) expect(l.reason).toBeInstanceOf(ConcurrencyError);
    const events = await store.readStream(id);
    expect(events.map((e) => e.version)).toEqual([1, 2]);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const id = uuidv7();
    await one(id, 0);
    await expect(ds.query(`update events set data = '{"n":2}' where stream_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`delete from events where stream_id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`truncate events`)).rejects.toThrow(/append-only/);
    expect((await store.readStream(id))[0].data).toEqual({ n: 1 });
  });

  it('reads the log in commit order and never skips an event whose transaction commits late', async () => {
    // Other test files write to their own databases on the same server at the same time; the
    // reader polls until it has seen what it waits for.
    let cursor = { transactionId: '0', position: '0' };
    const seen: StoredEvent[] = [];
    const readOnce = async () => {
      for (;;) {
        const batch = await store.readLog({ after: cursor, limit: 100 });
        if (batch.length === 0) return;
        seen.push(...batch);
        cursor = batch[batch.length - 1];
      }
    };
    const readUntil = async (streamId: string) => {
      for (const deadline = Date.now() + 10_000; !seen.some((e) => e.streamId === streamId); ) {
        if (Date.now() > deadline) throw new Error(`never saw ${streamId}`);
        await readOnce();
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const marker = uuidv7();
    await one(marker, 0, 'Marker');
    await readUntil(marker);
    seen.length = 0;

    // A transaction takes a position and stays open...
    const slow = new pg.Client({ connectionString: db.url });
    await slow.connect();
    const early = uuidv7();
    await slow.query('begin');
    await slow.query(
      `insert into events (stream_id, stream_type, stream_version, type, data, metadata, hash)
       values ($1, 'note', 1, 'Early', '{}', '{}', '\\x00')`,
      [early],
    );
    // ...while a later one commits with a larger position.
    const late = uuidv7();
    await one(late, 0, 'Late');
    const [lateEvent] = await store.readStream(late);
    const {
      rows: [{ position: earlyPosition }],
    } = await slow.query(`select global_position::text as position from events where stream_id = $1`, [early]);
    expect(BigInt(earlyPosition) < BigInt(lateEvent.position)).toBe(true);

    // The reader sees neither yet: the late event waits behind the open transaction.
    await readOnce();
    expect(seen).toEqual([]);

    await slow.query('commit');
    await slow.end();
    await readUntil(late);
    expect(seen.map((e) => e.type)).toEqual(['Early', 'Late']);
    expect(seen.map((e) => e.streamId)).toEqual([early, late]);
  });

  it('is not held back by a transaction open in another database of the same server', async () => {
    // Transaction ids are cluster-wide: a plain pg_snapshot_xmin fence would wait for it.
    const other = await createTestDatabase();
    const foreign = new pg.Client({ connectionString: other.url });
    await foreign.connect();
    try {
      await foreign.query('begin');
      const {
        rows: [{ xid }],
      } = await foreign.query('select pg_current_xact_id()::text as xid');
      const id = uuidv7();
      await one(id, 0, 'AfterForeign');
      const [written] = await store.readStream(id);
      expect(BigInt(written.transactionId) > BigInt(xid)).toBe(true);
      const fence = await store.currentFence();
      expect(BigInt(fence) > BigInt(written.transactionId)).toBe(true);
      const log = await store.readLog({ after: { transactionId: xid, position: '0' }, fence, limit: 500 });
      expect(log.map((e) => e.streamId)).toContain(id);

      // ...while a transaction open in this database still holds the fence, as it must.
      const local = new pg.Client({ connectionString: db.url });
      await local.connect();
      await local.query('begin');
      const {
        rows: [{ xid: localXid }],
      } = await local.query('select pg_current_xact_id()::text as xid');
      await one(uuidv7(), 0, 'AfterLocal');
      expect(BigInt(await store.currentFence())).toBeLessThanOrEqual(BigInt(localXid));
      await local.query('rollback');
      await local.end();
    } finally {
      await foreign.query('rollback');
      await foreign.end();
      await other.drop();
    }
  });

  it('is not held back by a transaction marked as writing no events (a projection step), only by writers', async () => {
    const step = new pg.Client({ connectionString: db.url });
    await step.connect();
    try {
      await step.query('begin');
      await step.query(`select ${NO_EVENTS_TX}`);
      const {
        rows: [{ xid }],
      } = await step.query('select pg_current_xact_id()::text as xid');
      const id = uuidv7();
      await one(id, 0, 'AfterStep');
      const [written] = await store.readStream(id);
      expect(BigInt(written.transactionId) > BigInt(xid)).toBe(true);
      // Polls: other test files' transactions on the server may hold the fence a moment.
      for (const deadline = Date.now() + 10_000; BigInt(await store.currentFence()) <= BigInt(written.transactionId); ) {
        if (Date.now() > deadline) throw new Error('the marked transaction held the fence');
        await new Promise((r) => setTimeout(r, 20));
      }
      // Unmarked, the same open transaction holds the fence.
      await step.query(`select set_config('application_name', 'a writer', true)`);
      expect(BigInt(await store.currentFence())).toBeLessThanOrEqual(BigInt(xid));
    } finally {
      await step.query('rollback');
      await step.end();
    }
  });

  it('pages the log by (transaction_id, position) and filters by type', async () => {
    const id = uuidv7();
    await store.append([{ streamId: id, streamType: 'note', expectedVersion: 0, events: Array.from({ length: 7 }, (_, i) => ({ type: i % 2 ? 'Odd' : 'Even', data: { i } })) }], meta);
    const all: StoredEvent[] = [];
    let after = { transactionId: '0', position: '0' };
    // Polls: the cluster-wide fence may be held back a moment by other databases' transactions.
    for (const deadline = Date.now() + 10_000; all.filter((e) => e.streamId === id).length < 7 && Date.now() < deadline; ) {
      const page = await store.readLog({ after, limit: 3 });
      if (!page.length) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      all.push(...page);
      after = page[page.length - 1];
    }
    const mine = all.filter((e) => e.streamId === id);
    expect(mine.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const positions = all.map((e) => BigInt(e.position));
    expect(new Set(positions).size).toBe(positions.length);
    const odd = await store.readLog({ types: ['Odd'], limit: 100, fence: await store.currentFence() });
    expect(odd.filter((e) => e.streamId === id).map((e) => e.data.i)).toEqual([1, 3, 5]);
    expect(odd.every((e) => e.type === 'Odd')).toBe(true);
  });

  it('orders the log by transaction id as a number, not as text (10 after 9)', async () => {
    // Rows with small, made-up transaction ids: below every real one, so they come first.
    const ids = [uuidv7(), uuidv7(), uuidv7()];
    for (const [i, xid] of ['10', '9', '100'].entries()) {
      await ds.query(
        `insert into events (transaction_id, stream_id, stream_type, stream_version, type, data, metadata, hash)
         values ($1::xid8, $2, 'note', 1, 'Ordered', '{}', '{}', '\\x00')`,
        [xid, ids[i]],
      );
    }
    const page = await store.readLog({ limit: 3, fence: await store.currentFence() });
    expect(page.map((e) => e.transactionId)).toEqual(['9', '10', '100']);
    const next = await store.readLog({ after: page[1], limit: 1, fence: await store.currentFence() });
    expect(next.map((e) => e.transactionId)).toEqual(['100']);
  });

  it('builds on the head it last read; a head another writer moved past is refused, not forked', async () => {
    const id = uuidv7();
    await one(id, 0);
    const [first] = await store.readStream(id); // this store now knows version 1 and its hash
    const other = new EventStore(ds);
    await other.append([{ streamId: id, streamType: 'note', expectedVersion: 1, events: [{ type: 'Other', data: {} }] }], meta);
    await expect(one(id, 1, 'Mine')).rejects.toBeInstanceOf(ConcurrencyError);
    const events = await store.readStream(id);
    expect(events.map((e) => [e.version, e.type])).toEqual([
      [1, 'Noted'],
      [2, 'Other'],
    ]);
    expect(events[1].hash).toBe(eventHash(Buffer.from(first.hash, 'hex'), events[1]).toString('hex'));
    // Having read version 2, it appends version 3 on the right hash.
    await one(id, 2, 'Mine');
    const after = await store.readStream(id);
    expect(after[2].hash).toBe(eventHash(Buffer.from(after[1].hash, 'hex'), after[2]).toString('hex'));
  });

  it('NOTIFYs listeners after the commit, with a position at least as far as the append', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      await listener.query('listen entente_events');
      const payloads: bigint[] = [];
      listener.on('notification', (n) => payloads.push(BigInt(n.payload ?? '0')));
      const r = await one(uuidv7(), 0, 'Heard');
      // A notification of an earlier append may still be on its way: wait for one that covers ours.
      for (const deadline = Date.now() + 5000; !payloads.some((p) => p >= BigInt(r.position)); ) {
        if (Date.now() > deadline) throw new Error(`no notification reached position ${r.position}: heard ${payloads.join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      await listener.end();
    }
  });

  it('answers where a position sits in commit order', async () => {
    const id = uuidv7();
    const r = await one(id, 0);
    expect(await store.cursorOf(r.position)).toEqual({ transactionId: r.transactionId, position: r.position });
    expect(await store.cursorOf('999999999')).toBeNull();
  });

  it('stores an idempotency answer with the events; a concurrent same-key write loses cleanly', async () => {
    const key = `k-${uuidv7()}`;
    const rec = { actor: 'test', key, requestHash: 'h', status: 201, response: (r: { position: string }) => ({ position: r.position }) };
    const [x, y] = await Promise.allSettled([
      store.append([{ streamId: uuidv7(), streamType: 'note', expectedVersion: 0, events: [{ type: 'K', data: {} }] }], meta, rec),
      store.append([{ streamId: uuidv7(), streamType: 'note', expectedVersion: 0, events: [{ type: 'K', data: {} }] }], meta, rec),
    ]);
    const outcomes = [x, y].map((r) => r.status);
    expect(outcomes.sort()).toEqual(['fulfilled', 'rejected']);
    const loser = [x, y].find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(IdempotencyRaceError);
    const winner = [x, y].find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ position: string }>;
    expect(await store.findAnswer('test', key)).toEqual({ requestHash: 'h', status: 201, response: { position: winner.value.position } });
    const written = await ds.query(`select count(*)::int as n from events where type = 'K'`);
    expect(written[0].n).toBe(1);
  });

  it('sends the hot statements through pg itself: rows, named statements on a runner, errors with their code and the caller in the stack', async () => {
    expect(pgClientOf(ds)).toBe((ds.driver as unknown as { master: unknown }).master);
    const q = ds.createQueryRunner();
    expect(pgClientOf(q)).toBeUndefined(); // not connected yet: callers fall back to TypeORM
    await q.connect();
    try {
      const client = pgClientOf(q)!;
      expect((await pgQuery(client, { text: 'select $1::int + 1 as n', values: [41] })).rows).toEqual([{ n: 42 }]);
      const named = { name: 'pg_query_spec', text: 'select $1::text as t' };
      expect((await pgQuery(client, { ...named, values: ['a'] })).rows).toEqual([{ t: 'a' }]);
      expect((await pgQuery(client, { ...named, values: ['b'] })).rows).toEqual([{ t: 'b' }]);
      // awaited, as every caller does: the stack names the callers waiting on it, not pg's socket
      let err: (Error & { code?: string }) | undefined;
      try {
        await pgQuery(client, { text: 'select 1 / 0' });
      } catch (e) {
        err = e as Error & { code?: string };
      }
      expect(err).toMatchObject({ code: '22012' });
      expect(err!.stack).toContain('event-store.e2e-spec');
      expect(err!.stack).not.toContain('node_modules/pg');
      expect(await queryRows(q, 'select 7 as n')).toEqual([{ n: 7 }]);
    } finally {
      await q.release();
    }
    // the reader on the pool: same events as through TypeORM
    const viaStore = await store.readLog({ limit: 50 });
    const viaTypeorm = await ds.query(`select global_position::text as p from events order by transaction_id, global_position limit 50`);
    expect(viaStore.map((e) => e.position)).toEqual(viaTypeorm.map((r: { p: string }) => r.p));
  });
});
