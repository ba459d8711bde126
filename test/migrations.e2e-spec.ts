import type { DataSource } from 'typeorm';
import { PartnershipOpenCommitments1763800000630 } from '../migrations/1763800000630-partnership-open-commitments.js';
import { MeetingCopiesKeepLess1763800000640 } from '../migrations/1763800000640-meeting-copies-keep-less.js';
import { initialMeetingState, type MeetingState } from '../src/meetings/meeting.decider.js';
import { meetingLinkState } from '../src/partnerships/projections/partnerships.projection.js';
import { meetingEntryState } from '../src/timeline/projections/timeline.projection.js';
import { createMigratedDataSource, type TestDatabase } from './support/database.js';

/** Migrations that move data, run on rows written before them. */
describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it("1763800000630 marks each commitment's partnership links open or not from the commitment's state", async () => {
    const migration = new PartnershipOpenCommitments1763800000630();
    const q = ds.createQueryRunner();
    await migration.down(q); // the table as it was before
    const pair = '01900000-0000-7000-8000-0000000000aa';
    const [a, b] = ['01900000-0000-7000-8000-000000000001', '01900000-0000-7000-8000-000000000002'];
    const facts = [
      { id: '01900000-0000-7000-8000-000000000011', kind: 'commitment', state: { status: 'open' } },
      { id: '01900000-0000-7000-8000-000000000012', kind: 'commitment', state: { status: 'fulfilled' } },
      { id: '01900000-0000-7000-8000-000000000013', kind: 'commitment', state: { status: 'withdrawn' } },
      { id: '01900000-0000-7000-8000-000000000014', kind: 'meeting', state: { partyIds: [a, b] } },
    ];
    for (const f of facts) {
      await ds.query(`insert into rm_partnership_sources (source_id, kind, state) values ($1, $2, $3)`, [f.id, f.kind, JSON.stringify(f.state)]);
      await ds.query(`insert into rm_partnership_links (partnership_id, party_a, party_b, source_id, kind) values ($1, $2, $3, $4, $5)`, [pair, a, b, f.id, f.kind]);
    }
    await migration.up(q);
    await q.release();
    const rows = await ds.query(`select source_id, open from rm_partnership_links order by source_id`);
    expect(rows).toEqual([
      { source_id: facts[0].id, open: true },
      { source_id: facts[1].id, open: false },
      { source_id: facts[2].id, open: false },
      { source_id: facts[3].id, open: null },
    ]);
  });

  it('1763800000640 cuts the stored copies of each meeting to what the partnerships and the timeline now keep, and nothing else', async () => {
    const [a, b] = ['01900000-0000-7000-8000-000000000001', '01900000-0000-7000-8000-000000000002'];
    const meeting: MeetingState = {
      ...initialMeetingState(),
      exists: true,
      meetingId: '01900000-0000-7000-8000-000000000021',
      occurredOn: '2020-12-02',
      format: 'virtual',
      title: 'Virtual conference',
      partyIds: [a, b],
      participants: [{ personId: '01900000-0000-7000-8000-000000000031', partyId: a }],
      topics: ['Baku Process'],
      summary: 'Held by video conference, at length.',
      outcomes: ['Agreed to continue'],
      commitmentIds: ['01900000-0000-7000-8000-000000000041'],
      retracted: { reason: 'Recorded twice.' },
      corrections: [{ reason: 'UNAOC', changes: { title: 'Virtual conference' }, previous: { title: 'Virtual conferenc' } }],
    };
    const agreement = { id: '01900000-0000-7000-8000-000000000051', state: { title: 'MoU', partyIds: [a, b], summary: 'kept as it is' } };
    for (const table of ['rm_partnership_sources (source_id', 'rm_timeline_records (record_id']) {
      await ds.query(`insert into ${table}, kind, state) values ($1, 'meeting', $2), ($3, 'agreement', $4)`, [meeting.meetingId, JSON.stringify(meeting), agreement.id, JSON.stringify(agreement.state)]);
    }
    const q = ds.createQueryRunner();
    await new MeetingCopiesKeepLess1763800000640().up(q);
    await q.release();
    const stateOf = async (sql: string, id: string) => (await ds.query(sql, [id]))[0].state;
    const source = (id: string) => stateOf(`select state from rm_partnership_sources where source_id = $1`, id);
    const record = (id: string) => stateOf(`select state from rm_timeline_records where record_id = $1`, id);
    expect(await source(meeting.meetingId!)).toEqual(JSON.parse(JSON.stringify(meetingLinkState(meeting))));
    expect(await record(meeting.meetingId!)).toEqual(JSON.parse(JSON.stringify(meetingEntryState(meeting))));
    expect(await source(agreement.id)).toEqual(agreement.state);
    expect(await record(agreement.id)).toEqual(agreement.state);
  });
});
