import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { CommitmentsQuery } from '../queries/commitments.query.js';
import { CommitmentsProjection } from './commitments.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const AZ = '01900000-0000-7000-8000-0000000000a1';
const UN = '01900000-0000-7000-8000-0000000000a2';
const M1 = '01900000-0000-7000-8000-0000000000c1';
const M2 = '01900000-0000-7000-8000-0000000000c2';
const C = (n: number) => `01900000-0000-7000-8000-0000000000d${n}`;

const next = eventSequence({ recordedAt: () => new Date('2026-01-05T10:00:00Z') });
const event = (type: string, data: Record<string, unknown>): StoredEvent =>
  next({ streamId: (data.commitmentId ?? data.meetingId ?? data.partyId) as string, type, data });

const made = (n: number, meetingId: string, dueBy: string | null, partyIds = [AZ, UN]) =>
  event('CommitmentMade', { commitmentId: C(n), meetingId, description: `Commitment ${n}`, partyIds, dueBy, forumId: null, madeOn: '2020-12-02' });

describe('CommitmentsProjection', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new CommitmentsProjection();
  const apply = (...events: StoredEvent[]) => ds.transaction(async (m) => {
    for (const e of events) await projection.apply(e, m);
  });
  const row = async (id: string) =>
    (await ds.query(`select meeting_id, status, sort_key, party_ids, due_last_day::text as due_last_day, retraction_reason, state from rm_commitments where commitment_id = $1`, [id]))[0];

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    await apply(
      event('PartyRegistered', { partyId: AZ, name: 'Republic of Azerbaijan', kind: 'state', shortName: null, countryCode: 'AZ', parentPartyId: null }),
      event('PartyRegistered', { partyId: UN, name: 'UNAOC', kind: 'international_organization', shortName: null, countryCode: null, parentPartyId: null }),
    );
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('given CommitmentMade: an open row with its due last day and sort key', async () => {
    await apply(made(1, M1, '2021'), made(2, M1, null, [AZ]));
    expect(await row(C(1))).toMatchObject({
      meeting_id: M1,
      status: 'open',
      sort_key: `2021-01-01|2021-12-31|${C(1)}`,
      party_ids: [AZ, UN],
      due_last_day: '2021-12-31',
      retraction_reason: null,
    });
    expect(await row(C(2))).toMatchObject({ status: 'open', sort_key: `~|~|${C(2)}`, due_last_day: null });
  });

  it('given CommitmentFulfilled and CommitmentWithdrawn: the status, date, note and reason', async () => {
    await apply(
      made(3, M1, '2021-05'),
      made(4, M1, '2099'),
      event('CommitmentFulfilled', { commitmentId: C(3), on: '2021-05-20', note: 'Presented' }),
      event('CommitmentWithdrawn', { commitmentId: C(4), reason: 'Superseded' }),
    );
    expect(await row(C(3))).toMatchObject({ status: 'fulfilled' });
    expect((await row(C(3))).state).toMatchObject({ fulfilledOn: '2021-05-20', note: 'Presented' });
    expect(await row(C(4))).toMatchObject({ status: 'withdrawn' });
    expect((await row(C(4))).state).toMatchObject({ withdrawnReason: 'Superseded' });
  });

  it('given MeetingRecordRetracted: that meeting\'s commitments are marked, others are not; a late CommitmentMade is marked too', async () => {
    await apply(made(5, M2, '2022'), event('MeetingRecordRetracted', { meetingId: M2, reason: 'Duplicate', partyIds: [AZ, UN], occurredOn: '2020' }));
    expect(await row(C(5))).toMatchObject({ retraction_reason: 'Duplicate' });
    expect(await row(C(1))).toMatchObject({ retraction_reason: null });
    await apply(made(6, M2, '2022'));
    expect(await row(C(6))).toMatchObject({ retraction_reason: 'Duplicate' });
    // A later event of the commitment keeps the mark.
    await apply(event('CommitmentFulfilled', { commitmentId: C(5), on: '2023', note: null }));
    expect(await row(C(5))).toMatchObject({ status: 'fulfilled', retraction_reason: 'Duplicate' });
  });

  it('the query leaves out retracted meetings\' commitments, orders soonest due first, and derives overdue for the day', async () => {
    const query = new CommitmentsQuery(ds);
    const all = await query.list({ limit: 50 }, '2026-01-01');
    expect(all.items.map((c) => c.id)).toEqual([C(1), C(3), C(4), C(2)]);
    expect(all.items.map((c) => c.overdue)).toEqual([true, false, false, false]);
    expect(all.items[0]).toEqual({
      id: C(1),
      description: 'Commitment 1',
      parties: [
        { id: AZ, name: 'Republic of Azerbaijan' },
        { id: UN, name: 'UNAOC' },
      ],
      dueBy: '2021',
      status: 'open',
      overdue: true,
      meetingId: M1,
      forumId: null,
      madeOn: '2020-12-02',
      fulfilledOn: null,
      note: null,
      withdrawnReason: null,
      meetingRetracted: null,
    });
    const ids = async (opts: object, day: string) => (await query.list({ limit: 50, ...opts }, day)).items.map((c) => c.id);
    expect(await ids({ overdue: true }, '2021-12-31')).toEqual([]);
    expect(await ids({ overdue: true }, '2022-01-01')).toEqual([C(1)]);
    expect(await ids({ overdue: false }, '2022-01-01')).toEqual([C(3), C(4), C(2)]);
    expect(await ids({ status: 'open' }, '2022-01-01')).toEqual([C(1), C(2)]);
    expect(await ids({ partyId: UN }, '2022-01-01')).toEqual([C(1), C(3), C(4)]);
    expect(await query.get(C(5), '2026-01-01')).toMatchObject({ id: C(5), meetingRetracted: { reason: 'Duplicate' }, overdue: false });
  });
});
