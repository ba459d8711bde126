import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { TimelineQuery } from '../queries/timeline.query.js';
import { forumLabel, ordinal, TimelineProjection } from './timeline.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const AZ = '01900000-0000-7000-8000-0000000000b1';
const UN = '01900000-0000-7000-8000-0000000000b2';
const MX = '01900000-0000-7000-8000-0000000000b3';
const ISESCO = '01900000-0000-7000-8000-0000000000b4';
const KARIMOV = '01900000-0000-7000-8000-0000000000c1';
const APPOINTMENT = '01900000-0000-7000-8000-0000000000c2';
const WF6 = '01900000-0000-7000-8000-0000000000f6';
const MEETING = '01900000-0000-7000-8000-0000000000e1';
const COMMITMENT = '01900000-0000-7000-8000-0000000000e2';
const MOU = '01900000-0000-7000-8000-0000000000a1';
const BAKU_PROCESS = '01900000-0000-7000-8000-0000000000a2';
const PARTNERSHIP = '01900000-0000-7000-8000-0000000000a3';

const next = eventSequence();
const event = (streamId: string, type: string, data: Record<string, unknown>, occurredOn: string | null = null): StoredEvent =>
  next({ streamId, type, data, occurredOn });

const party = (partyId: string, name: string) =>
  event(partyId, 'PartyRegistered', { partyId, name, kind: 'state', shortName: null, countryCode: null, parentPartyId: null });

interface Row {
  position: string;
  kind: string;
  type: string;
  record_id: string;
  on_date: string;
  title: string;
  party_ids: string[];
}

describe('TimelineProjection', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new TimelineProjection();
  let query: TimelineQuery;
  const given = (...events: StoredEvent[]) =>
    ds.transaction(async (m) => {
      for (const e of events) await projection.apply(e, m);
    });
  const rows = (recordId: string): Promise<Row[]> =>
    ds.query(
      `select position::text as position, kind, type, record_id, on_date, title, party_ids from rm_timeline_entries e where record_id = $1 order by e.position`,
      [recordId],
    );

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    query = new TimelineQuery(ds);
    await given(party(AZ, 'Republic of Azerbaijan'), party(UN, 'UNAOC'), party(MX, 'United Mexican States'));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('handles the events of every fact of the world, and writes only its own tables', () => {
    expect(projection.handles).toEqual(
      expect.arrayContaining([
        'PartyRegistered',
        'PartyRenamed',
        'PersonRegistered',
        'PersonAppointed',
        'AppointmentEnded',
        'PartnershipEstablished',
        'InitiativeLaunched',
        'ForumAnnounced',
        'ForumPostponed',
        'ForumPartnerAdded',
        'MouSigned',
        'AgreementTerminated',
        'MeetingRecorded',
        'MeetingRecordCorrected',
        'MeetingRecordRetracted',
        'CommitmentMade',
        'CommitmentWithdrawn',
      ]),
    );
    expect(new Set(projection.handles).size).toBe(projection.handles.length);
    expect(projection.tables.every((t) => t.startsWith('rm_timeline_'))).toBe(true);
  });

  it('dates a fact without a world date by the day it was recorded, and a rename by its effective date', async () => {
    await given(
      party(ISESCO, 'Islamic Educational, Scientific and Cultural Organization'),
      event(
        ISESCO,
        'PartyRenamed',
        { partyId: ISESCO, name: 'ICESCO', shortName: 'ICESCO', effectiveOn: '2020', formerName: 'ISESCO', formerShortName: null },
        '2020',
      ),
    );
    expect(await rows(ISESCO)).toEqual([
      expect.objectContaining({ kind: 'party', type: 'PartyRegistered', on_date: '2026-01-15', title: 'Party registered: Islamic Educational, Scientific and Cultural Organization', party_ids: [ISESCO] }),
      expect.objectContaining({ kind: 'party', type: 'PartyRenamed', on_date: '2020', title: 'ISESCO renamed ICESCO', party_ids: [ISESCO] }),
    ]);
  });

  it('names the person in an appointment, and its party in the entry', async () => {
    await given(
      event(KARIMOV, 'PersonRegistered', { personId: KARIMOV, fullName: 'Anar Karimov' }),
      event(KARIMOV, 'PersonAppointed', { personId: KARIMOV, appointmentId: APPOINTMENT, partyId: AZ, title: 'Minister of Culture', from: '2020-12', to: null, acting: true }, '2020-12'),
      event(KARIMOV, 'AppointmentEnded', { personId: KARIMOV, appointmentId: APPOINTMENT, partyId: AZ, title: 'Minister of Culture', on: '2021' }, '2021'),
    );
    expect((await rows(KARIMOV)).map((r) => [r.kind, r.on_date, r.title, r.party_ids])).toEqual([
      ['person', '2020-12', 'Anar Karimov appointed acting Minister of Culture', [AZ]],
      ['person', '2021', "Anar Karimov's appointment as Minister of Culture ended", [AZ]],
    ]);
  });

  it('tells a forum\'s story in titles made from its folded state', async () => {
    const details = {
      forumId: WF6,
      series: 'World Forum on Intercultural Dialogue',
      edition: 6,
      title: null,
      hostCity: 'Baku',
      hostPartyId: AZ,
      plannedFor: '2021',
      organizerPartyIds: [AZ],
      partnerPartyIds: [],
    };
    await given(
      event(WF6, 'ForumAnnounced', details),
      event(WF6, 'ForumPostponed', { forumId: WF6, reason: 'suspended because of COVID-19', plannedFor: null }),
      event(WF6, 'ForumPartnerAdded', { forumId: WF6, partyId: UN }),
      event(WF6, 'ForumConfirmed', { forumId: WF6, plannedFor: '2024' }),
      event(WF6, 'ForumConvened', { forumId: WF6, startsOn: '2024-05-01', endsOn: '2024-05-02', venue: null }, '2024-05-01'),
    );
    expect((await rows(WF6)).map((r) => [r.type, r.on_date, r.title, r.party_ids])).toEqual([
      ['ForumAnnounced', '2026-01-15', '6th World Forum on Intercultural Dialogue announced for 2021', [AZ]],
      ['ForumPostponed', '2026-01-15', '6th World Forum on Intercultural Dialogue postponed: suspended because of COVID-19', [AZ]],
      ['ForumPartnerAdded', '2026-01-15', 'UNAOC joins 6th World Forum on Intercultural Dialogue as a partner', [AZ, UN]],
      ['ForumConfirmed', '2026-01-15', '6th World Forum on Intercultural Dialogue confirmed for 2024', [AZ, UN]],
      ['ForumConvened', '2024-05-01', '6th World Forum on Intercultural Dialogue held in Baku', [AZ, UN]],
    ]);
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
    expect(forumLabel({ title: 'Global Baku Forum', edition: 10, series: 'x' })).toBe('Global Baku Forum');
  });

  it('follows a meeting through its correction (date, title, parties, and the commitments made at it) and drops it when retracted', async () => {
    const fields = {
      occurredOn: '2020-12',
      format: 'virtual',
      location: null,
      title: null,
      partyIds: [AZ, UN],
      participants: [],
      topics: ['Baku Process', '6th World Forum'],
      summary: null,
      outcomes: [],
      sourceRef: null,
    };
    await given(
      event(MEETING, 'MeetingRecorded', { meetingId: MEETING, ...fields, commitmentIds: [COMMITMENT] }, '2020-12'),
      event(
        COMMITMENT,
        'CommitmentMade',
        { commitmentId: COMMITMENT, meetingId: MEETING, description: 'Present joint projects', partyIds: [AZ, UN], dueBy: '2021', forumId: null, madeOn: '2020-12' },
        '2020-12',
      ),
    );
    const [recorded] = await rows(MEETING);
    expect(recorded).toMatchObject({ kind: 'meeting', type: 'MeetingRecorded', on_date: '2020-12', title: 'Virtual meeting: Baku Process; 6th World Forum', party_ids: [AZ, UN] });

    const corrected = { ...fields, occurredOn: '2020-12-02', title: 'Karimov and Moratinos', partyIds: [AZ, UN, MX] };
    await given(
      event(
        MEETING,
        'MeetingRecordCorrected',
        { meetingId: MEETING, reason: 'exact day', changes: { occurredOn: '2020-12-02' }, previous: { occurredOn: '2020-12' }, corrected },
        '2020-12-02',
      ),
    );
    expect(await rows(MEETING)).toEqual([
      { ...recorded, on_date: '2020-12-02', title: 'Karimov and Moratinos', party_ids: [AZ, UN, MX] },
    ]);
    expect((await rows(COMMITMENT)).map((r) => [r.type, r.on_date, r.title])).toEqual([['CommitmentMade', '2020-12-02', 'Commitment made: Present joint projects']]);

    await given(event(MEETING, 'MeetingRecordRetracted', { meetingId: MEETING, reason: 'duplicate', partyIds: [AZ, UN, MX], occurredOn: '2020-12-02' }));
    expect(await rows(MEETING)).toEqual([]);
  });

  it('orders the world by date (first day, then last day), then by the order recorded; filters by party and by overlap', async () => {
    await given(
      event(MOU, 'MouSigned', { agreementId: MOU, title: 'MoU', kind: 'mou', partyIds: [AZ, UN], signedOn: '2020-12-02', signatories: [], effectiveFrom: null, expiresOn: null, areas: [] }, '2020-12-02'),
      event(PARTNERSHIP, 'PartnershipEstablished', { partnershipId: PARTNERSHIP, partyIds: [AZ, UN], since: '2010', basis: 'World Forum partner' }, '2010'),
      event(
        BAKU_PROCESS,
        'InitiativeLaunched',
        { initiativeId: BAKU_PROCESS, name: 'Baku Process', kind: 'process', launchedOn: '2008', leadPartyId: AZ, partnerPartyIds: [UN] },
        '2008',
      ),
      event(MOU, 'AgreementTerminated', { agreementId: MOU, on: '2020-12', reason: 'replaced' }, '2020-12'),
    );
    const page = await query.list({ partyId: UN, limit: 50 });
    expect(page.items.map((i) => [i.on, i.type, i.title])).toEqual([
      ['2008', 'InitiativeLaunched', 'Baku Process launched'],
      ['2010', 'PartnershipEstablished', 'Partnership established: World Forum partner'],
      // 2020-12 starts on the first of December: before the second
      ['2020-12', 'AgreementTerminated', 'MoU terminated: replaced'],
      // the commitments made at a retracted meeting stay: they have a life of their own
      ['2020-12-02', 'CommitmentMade', 'Commitment made: Present joint projects'],
      ['2020-12-02', 'MouSigned', 'MoU signed'],
      ['2024-05-01', 'ForumConvened', '6th World Forum on Intercultural Dialogue held in Baku'],
      ['2026-01-15', 'PartyRegistered', 'Party registered: UNAOC'],
      ['2026-01-15', 'ForumPartnerAdded', 'UNAOC joins 6th World Forum on Intercultural Dialogue as a partner'],
      ['2026-01-15', 'ForumConfirmed', '6th World Forum on Intercultural Dialogue confirmed for 2024'],
    ]);
    expect(page.items[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      on: '2008',
      kind: 'initiative',
      type: 'InitiativeLaunched',
      recordId: BAKU_PROCESS,
      title: 'Baku Process launched',
      parties: [
        { id: AZ, name: 'Republic of Azerbaijan' },
        { id: UN, name: 'UNAOC' },
      ],
    });
    const overlap = await query.list({ partyId: UN, from: '2010-06', to: '2020-12-02', limit: 50 });
    expect(overlap.items.map((i) => i.on)).toEqual(['2010', '2020-12', '2020-12-02', '2020-12-02']);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await query.list({ partyId: UN, limit: 3, cursor });
      seen.push(...p.items.map((i) => i.id));
      cursor = p.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual(page.items.map((i) => i.id));
  });
});
