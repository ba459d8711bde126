import type { QueryRunner } from 'typeorm';
import { generateLog } from '../bench/support/generate.js';
import { EventStore } from '../src/event-store/event-store.js';
import type { StoredEvent } from '../src/event-store/event.types.js';
import { applyEvents } from '../src/projections/apply-batch.js';
import { PROJECTIONS, type Projection } from '../src/projections/projection.js';
import { startTestApp, type TestApp } from './support/app.js';
import { send } from './support/fixtures.js';
import { recordHistory } from './support/history.js';

/**
 * A projection's `applyBatch` must leave exactly the rows its `apply` leaves event by event.
 * Over the real history, a generated log and a few corrections and retractions, each projection
 * that has one is applied both ways into schemas of their own, and every table compared.
 */
describe('set-based projection batches', () => {
  let t: TestApp;
  let events: StoredEvent[];
  let projections: Projection[];

  beforeAll(async () => {
    t = await startTestApp({ projections: false });
    const { ids } = await recordHistory(t);
    const store = t.app.get(EventStore);
    await generateLog(store, 1500, 37);
    // A meeting with a commitment, corrected, then retracted; another commitment fulfilled.
    const az = ids.get('party:azerbaijan')!;
    const un = ids.get('party:unaoc')!;
    const meeting = { occurredOn: '2024-03', format: 'virtual', partyIds: [az, un], topics: ['Dialogue'], commitments: [{ description: 'Send the list' }] };
    const m = await send(t, '/meetings', meeting);
    expect(m.status).toBe(201);
    expect((await send(t, `/meetings/${m.body.id}/corrections`, { reason: 'Day known', changes: { occurredOn: '2024-03-05' } })).status).toBe(200);
    const m2 = await send(t, '/meetings', { ...meeting, occurredOn: '2024-04' });
    const [c2] = await t.ds.query(`select stream_id from events where type = 'CommitmentMade' and data->>'meetingId' = $1`, [m2.body.id]);
    expect((await send(t, `/commitments/${c2.stream_id}/fulfilment`, { on: '2024-05' })).status).toBe(200);
    expect((await send(t, `/meetings/${m.body.id}/retraction`, { reason: 'Duplicate' })).status).toBe(200);
    events = [];
    for (let after = { transactionId: '0', position: '0' }; ; ) {
      const page = await store.readLog({ after, limit: 1000, fence: await store.currentFence() });
      if (page.length === 0) break;
      events.push(...page);
      after = page[page.length - 1];
    }
    projections = t.app.get<Projection[]>(PROJECTIONS).filter((p) => p.applyBatch);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  async function applyInto(schema: string, p: Projection, batch: number): Promise<void> {
    const q: QueryRunner = t.ds.createQueryRunner();
    await q.connect();
    try {
      await q.query(`drop schema if exists ${schema} cascade`);
      await q.query(`create schema ${schema}`);
      for (const table of p.tables) await q.query(`create table ${schema}.${table} (like public.${table} including all)`);
      await q.startTransaction();
      await q.query(`set local search_path to ${schema}, public`);
      const mine = events.filter((e) => p.handles.includes(e.type));
      for (let i = 0; i < mine.length; i += batch) await applyEvents(p, mine.slice(i, i + batch), q, new Set());
      await q.commitTransaction();
    } finally {
      await q.release();
    }
  }

  const rows = async (schema: string, table: string) =>
    ((await t.ds.query(`select to_jsonb(x)::text as r from ${schema}.${table} x`)) as { r: string }[]).map((x) => x.r).sort();

  it('covers corrections, retractions and fulfilments, not only the common events', () => {
    const types = new Set(events.map((e) => e.type));
    for (const type of ['MeetingRecorded', 'MeetingRecordCorrected', 'MeetingRecordRetracted', 'CommitmentMade', 'CommitmentFulfilled', 'PartyRenamed']) {
      expect(types).toContain(type);
    }
    expect(projections.length).toBeGreaterThan(0);
  });

  it('leaves the same rows as applying event by event, whatever the batch size', async () => {
    for (const p of projections) {
      await applyInto('batch_one', p, 1);
      for (const size of [13, 500]) {
        await applyInto('batch_many', p, size);
        for (const table of p.tables) {
          const one = await rows('batch_one', table);
          expect(one.length).toBeGreaterThan(0);
          expect({ projection: p.name, size, table, rows: await rows('batch_many', table) }).toEqual({ projection: p.name, size, table, rows: one });
        }
      }
    }
  }, 120_000);
});
