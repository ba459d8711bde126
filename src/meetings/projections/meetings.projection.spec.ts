import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { MeetingsQuery } from '../queries/meetings.query.js';
import { MeetingsProjection } from './meetings.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const AZ = '01900000-0000-7000-8000-0000000000a1';
const UN = '01900000-0000-7000-8000-0000000000a2';
const KARIMOV = '01900000-0000-7000-8000-0000000000b1';
const MORATINOS = '01900000-0000-7000-8000-0000000000b2';
const M1 = '01900000-0000-7000-8000-0000000000c1';
const C1 = '01900000-0000-7000-8000-0000000000d1';
const C2 = '01900000-0000-7000-8000-0000000000d2';
const SLIP = 'Virtual conference with the UN High Representative (UNHCR)';
const RIGHT = 'Virtual conference with the UN High Representative (UNAOC)';

const next = eventSequence({ recordedAt: () => new Date('2026-01-05T10:00:00.123Z') });
const event = (type: string, data: Record<string, unknown>, recordedAt?: Date): StoredEvent =>
  next({ streamId: (data.meetingId ?? data.commitmentId ?? data.partyId ?? data.personId) as string, type, data, recordedAt });

const fields = {
  occurredOn: '2020-12-02',
  format: 'virtual',
  location: null,
  title: SLIP,
  partyIds: [AZ, UN],
  participants: [
    { personId: KARIMOV, partyId: AZ },
    { personId: MORATINOS, partyId: UN },
  ],
  topics: ['Baku Process', '6th World Forum on Intercultural Dialogue'],
  summary: 'Held by video conference.',
  outcomes: ['Agreed to implement initiatives on intercultural relations'],
  sourceRef: 'seed-documents/001',
};

describe('MeetingsProjection', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new MeetingsProjection();
  const apply = (...events: StoredEvent[]) => ds.transaction(async (m) => {
    for (const e of events) await projection.apply(e, m);
  });
  const row = async (id: string) =>
    (
      await ds.query(
        `select occurred_on, first_day::text as first_day, last_day::text as last_day, sort_key, party_ids, retracted, state, corrections
           from rm_meetings where meeting_id = $1`,
        [id],
      )
    )[0];
  /** Whether the meeting matches a search, read as the query reads it. */
  const matches = async (id: string, q: string) =>
    (await ds.query(`select 1 from rm_meetings where meeting_id = $1 and search @@ (websearch_to_tsquery('simple', $2) || websearch_to_tsquery('english', $2))`, [id, q]))
      .length === 1;

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    await apply(
      event('PartyRegistered', { partyId: AZ, name: 'Republic of Azerbaijan', kind: 'state', shortName: null, countryCode: 'AZ', parentPartyId: null }),
      event('PartyRegistered', { partyId: UN, name: 'Alliance of Civilizations', kind: 'international_organization', shortName: 'UNAOC', countryCode: null, parentPartyId: null }),
      event('PersonRegistered', { personId: KARIMOV, fullName: 'Anar Karimov' }),
      event('PersonRegistered', { personId: MORATINOS, fullName: 'Miguel Ángel Moratinos' }),
      event('MeetingRecorded', { meetingId: M1, ...fields, commitmentIds: [C1, C2] }),
      event('CommitmentMade', { commitmentId: C1, meetingId: M1, description: 'Present the initiatives', partyIds: [AZ, UN], dueBy: '2021', forumId: null, madeOn: '2020-12-02' }),
      event('CommitmentMade', { commitmentId: C2, meetingId: M1, description: 'Exchange lists of sites', partyIds: [AZ], dueBy: null, forumId: null, madeOn: '2020-12-02' }),
    );
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('given MeetingRecorded and its CommitmentMade: one row with the folded state, its days, sort key and parties; the commitments in order', async () => {
    const r = await row(M1);
    expect(r).toMatchObject({
      occurred_on: '2020-12-02',
      first_day: '2020-12-02',
      last_day: '2020-12-02',
      sort_key: `2020-12-02|2020-12-02|${M1}`,
      party_ids: [AZ, UN],
      retracted: false,
      corrections: [],
    });
    expect(r.state).toMatchObject({ ...fields, exists: true, meetingId: M1, commitmentIds: [C1, C2], retracted: null });
    const commitments = await ds.query(`select commitment_id, meeting_id, description, due_by from rm_meetings_commitments order by position`);
    expect(commitments).toEqual([
      { commitment_id: C1, meeting_id: M1, description: 'Present the initiatives', due_by: '2021' },
      { commitment_id: C2, meeting_id: M1, description: 'Exchange lists of sites', due_by: null },
    ]);
    expect(await ds.query(`select person_id, full_name from rm_meetings_people order by full_name`)).toEqual([
      { person_id: KARIMOV, full_name: 'Anar Karimov' },
      { person_id: MORATINOS, full_name: 'Miguel Ángel Moratinos' },
    ]);
  });

  it('indexes title (A), topics (B), summary and outcomes (C), exact words and English stems', async () => {
    expect(await matches(M1, 'UNHCR')).toBe(true);
    expect(await matches(M1, '"Baku Process"')).toBe(true);
    expect(await matches(M1, 'forums')).toBe(true); // stem of "Forum"
    expect(await matches(M1, 'agree')).toBe(true); // stem of "Agreed", in an outcome
    expect(await matches(M1, 'video -conference')).toBe(false);
    // No phrase spans two topics.
    expect(await matches(M1, '"process 6th"')).toBe(false);
    const weight = async (q: string) => (await ds.query(`select 1 from rm_meetings where search @@ to_tsquery('simple', $1)`, [q])).length === 1;
    expect(await weight('unhcr:A')).toBe(true);
    expect(await weight('baku:B')).toBe(true);
    expect(await weight('baku:A')).toBe(false);
    expect(await weight('video:C')).toBe(true);
    expect(await weight('initiatives:C')).toBe(true);
  });

  it('given MeetingRecordCorrected: the corrected record, the trail with when it was recorded, and the search over the corrected text', async () => {
    await apply(
      event(
        'MeetingRecordCorrected',
        { meetingId: M1, reason: 'UNHCR is another UN body.', changes: { title: RIGHT }, previous: { title: SLIP }, corrected: { ...fields, title: RIGHT } },
        new Date('2026-02-01T09:30:00.456Z'),
      ),
    );
    const r = await row(M1);
    expect(r.state.title).toBe(RIGHT);
    expect(r.corrections).toEqual([
      { reason: 'UNHCR is another UN body.', changes: { title: RIGHT }, previous: { title: SLIP }, recordedAt: '2026-02-01T09:30:00.456Z' },
    ]);
    expect(await matches(M1, 'UNHCR')).toBe(false);
    expect(await matches(M1, 'UNAOC')).toBe(true);
  });

  it('a correction of the date moves the row in date order', async () => {
    await apply(
      event('MeetingRecordCorrected', {
        meetingId: M1,
        reason: 'Only the month is known.',
        changes: { occurredOn: '2020-12' },
        previous: { occurredOn: '2020-12-02' },
        corrected: { ...fields, title: RIGHT, occurredOn: '2020-12' },
      }),
    );
    expect(await row(M1)).toMatchObject({ occurred_on: '2020-12', first_day: '2020-12-01', last_day: '2020-12-31', sort_key: `2020-12-01|2020-12-31|${M1}` });
    expect((await row(M1)).corrections).toHaveLength(2);
  });

  it('given MeetingRecordRetracted: the row stays, flagged retracted, with the reason', async () => {
    await apply(event('MeetingRecordRetracted', { meetingId: M1, reason: 'Duplicate.', partyIds: [AZ, UN], occurredOn: '2020-12' }));
    const r = await row(M1);
    expect(r.retracted).toBe(true);
    expect(r.state.retracted).toEqual({ reason: 'Duplicate.' });
    const query = new MeetingsQuery(ds);
    expect((await query.list({ limit: 50 })).items.map((m) => m.id)).not.toContain(M1);
    expect(await query.get(M1)).toMatchObject({ id: M1, retracted: { reason: 'Duplicate.' }, title: RIGHT });
  });

  it('a correction of a meeting the log never recorded writes nothing', async () => {
    const ghost = '01900000-0000-7000-8000-0000000000ff';
    await apply(event('MeetingRecordCorrected', { meetingId: ghost, reason: 'x', changes: {}, previous: {}, corrected: fields }));
    expect(await row(ghost)).toBeUndefined();
  });

  it('the query lists newest first in partial-date order and answers names of parties and people', async () => {
    const ids: Record<string, string> = {};
    for (const [i, occurredOn] of ['2031', '2031-05-01', '2031-05', '2031-06', '2030-12-17'].entries()) {
      ids[occurredOn] = `01900000-0000-7000-8000-00000000e0${i}0`;
      await apply(event('MeetingRecorded', { meetingId: ids[occurredOn], ...fields, occurredOn, commitmentIds: [] }));
    }
    const query = new MeetingsQuery(ds);
    const page = await query.list({ from: '2030', limit: 50 });
    expect(page.items.map((m) => m.occurredOn)).toEqual(['2031-06', '2031-05', '2031-05-01', '2031', '2030-12-17']);
    expect(page.items[0].parties).toEqual([
      { id: AZ, name: 'Republic of Azerbaijan' },
      { id: UN, name: 'Alliance of Civilizations' },
    ]);
    expect(page.items[0].participants[1]).toEqual({ person: { id: MORATINOS, fullName: 'Miguel Ángel Moratinos' }, party: { id: UN, name: 'Alliance of Civilizations' } });
    // Overlap: 2031 (the whole year) has days in 2031-06-15..2031-07; 2031-05 has none.
    const overlap = await query.list({ from: '2031-06-15', to: '2031-07', limit: 50 });
    expect(overlap.items.map((m) => m.occurredOn)).toEqual(['2031-06', '2031']);
  });
});
