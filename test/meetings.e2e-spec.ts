import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
/** As article 001 wrote it: UNHCR is another UN body; the High Representative is UNAOC's. */
const SLIP_TITLE = 'Virtual conference with the UN High Representative for the Alliance of Civilizations (UNHCR)';
const RIGHT_TITLE = 'Virtual conference with the UN High Representative for the Alliance of Civilizations (UNAOC)';

/** CorrectMeetingRecord and RetractMeetingRecord through HTTP on a real PostgreSQL; the log is checked. */
describe('meeting records over HTTP: corrections and retractions', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let mx: string;
  let karimov: string;
  let moratinos: string;
  let labardini: string;

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ' });
    un = await registerParty(t, 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' });
    mx = await registerParty(t, 'United Mexican States', 'state', { countryCode: 'MX' });
    karimov = await registerPerson('Anar Karimov');
    moratinos = await registerPerson('Miguel Ángel Moratinos');
    labardini = await registerPerson('Juan Rodrigo Labardini Flores');
  });
  afterAll(() => t.close());

  const registerPerson = async (fullName: string): Promise<string> => {
    const res = await send(t, '/people', { fullName });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  /** The 2020-12-02 virtual conference as typed from article 001, slip included. */
  const recordSlip = async (extra: object = {}): Promise<string> => {
    const res = await send(t, '/meetings', {
      occurredOn: '2020-12-02',
      format: 'virtual',
      title: SLIP_TITLE,
      partyIds: [az, un],
      participants: [
        { personId: karimov, partyId: az },
        { personId: moratinos, partyId: un },
      ],
      topics: ['Baku Process', '6th World Forum on Intercultural Dialogue in 2021', 'Protection of places of worship'],
      summary: 'Held by video conference.',
      outcomes: ['Agreed to implement initiatives on intercultural and interreligious relations in the region'],
      commitments: [{ description: 'Present the initiatives at the World Forum on Intercultural Dialogue 2021', dueBy: '2021' }],
      sourceRef: 'seed-documents/001',
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const streamOf = (id: string) =>
    t.ds.query(`select type, stream_type, stream_version, occurred_on, data, metadata, hash, global_position::text as p from events where stream_id = $1 order by stream_version`, [id]);
  const refused = async (status: number, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const before = await eventCount(t);
    const res = await send(t, path, body, headers);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
    expect(await eventCount(t)).toBe(before);
    return res;
  };
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))].sort();

  describe('the UNHCR slip, corrected by a later event', () => {
    let id: string;
    let original: Record<string, unknown>;

    beforeAll(async () => {
      id = await recordSlip();
      [original] = await streamOf(id);
    });

    it('answers 200 with id, version, position and ETag', async () => {
      const res = await send(
        t,
        `/meetings/${id}/corrections`,
        { reason: 'Article 001 wrote UNHCR, another UN body; the High Representative is that of UNAOC.', changes: { title: RIGHT_TITLE } },
        { 'If-Match': '"1"' },
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id, version: 2, position: expect.stringMatching(/^\d+$/) });
      expect(res.headers.etag).toBe('"2"');
      expect(res.headers.location).toBeUndefined();
    });

    it('keeps both events: the original MeetingRecorded unchanged, then MeetingRecordCorrected with changes, previous and corrected', async () => {
      const events = await streamOf(id);
      expect(events.map((e: { type: string; occurred_on: string }) => [e.type, e.occurred_on])).toEqual([
        ['MeetingRecorded', '2020-12-02'],
        ['MeetingRecordCorrected', '2020-12-02'],
      ]);
      expect(events[0]).toEqual(original);
      expect(events[0].data.title).toBe(SLIP_TITLE);
      const { data } = events[1];
      expect(data.meetingId).toBe(id);
      expect(data.reason).toMatch(/UNHCR, another UN body/);
      expect(data.changes).toEqual({ title: RIGHT_TITLE });
      expect(data.previous).toEqual({ title: SLIP_TITLE });
      // The whole record after the correction: only the title moved.
      const { meetingId: _m, commitmentIds: _c, ...fields } = events[0].data;
      expect(data.corrected).toEqual({ ...fields, title: RIGHT_TITLE });
      expect(events[1].metadata).toMatchObject({ actor: 'test-recorder', role: 'recorder' });
    });

    it('409 MEETING.NOTHING_TO_CORRECT when the changes leave the record as it is (key order aside)', async () => {
      expect((await refused(409, `/meetings/${id}/corrections`, { reason: 'again', changes: { title: RIGHT_TITLE } })).body.code).toBe('MEETING.NOTHING_TO_CORRECT');
      const sameParticipants = [
        { partyId: az, personId: karimov },
        { personId: moratinos, partyId: un },
      ];
      const res = await refused(409, `/meetings/${id}/corrections`, { reason: 'same', changes: { participants: sameParticipants, occurredOn: '2020-12-02' } });
      expect(res.body.code).toBe('MEETING.NOTHING_TO_CORRECT');
    });

    it('clears an optional field with null and changes parties and participants together', async () => {
      const res = await send(t, `/meetings/${id}/corrections`, {
        reason: 'The summary was not from the article; Mexico took part.',
        changes: { summary: null, partyIds: [az, un, mx], participants: [{ personId: karimov, partyId: az }, { personId: moratinos, partyId: un }, { personId: labardini, partyId: mx }] },
      });
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(3);
      const [, , e] = await streamOf(id);
      expect(e.type).toBe('MeetingRecordCorrected');
      expect(Object.keys(e.data.changes).sort()).toEqual(['participants', 'partyIds', 'summary']);
      expect(e.data.previous).toMatchObject({ summary: 'Held by video conference.', partyIds: [az, un] });
      expect(e.data.corrected).toMatchObject({ summary: null, title: RIGHT_TITLE, partyIds: [az, un, mx], format: 'virtual' });
    });
  });

  describe('a duplicate record, retracted', () => {
    let duplicate: string;

    beforeAll(async () => {
      await recordSlip();
      duplicate = await recordSlip();
    });

    it('answers 200 and writes MeetingRecordRetracted with the reason, the parties and the date', async () => {
      const res = await send(t, `/meetings/${duplicate}/retraction`, { reason: 'Duplicate of the record of the same conference.' }, { 'If-Match': '"1"' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: duplicate, version: 2, position: expect.stringMatching(/^\d+$/) });
      expect(res.headers.etag).toBe('"2"');
      const events = await streamOf(duplicate);
      expect(events.map((e: { type: string }) => e.type)).toEqual(['MeetingRecorded', 'MeetingRecordRetracted']);
      expect(events[1].data).toEqual({ meetingId: duplicate, reason: 'Duplicate of the record of the same conference.', partyIds: [az, un], occurredOn: '2020-12-02' });
      expect(events[1].p).toBe(res.body.position);
    });

    it('then refuses to correct it (409 MEETING.RETRACTED) or retract it again (409 MEETING.ALREADY_RETRACTED)', async () => {
      const correct = await refused(409, `/meetings/${duplicate}/corrections`, { reason: 'UNHCR slip', changes: { title: RIGHT_TITLE } });
      expect(correct.body.code).toBe('MEETING.RETRACTED');
      const again = await refused(409, `/meetings/${duplicate}/retraction`, { reason: 'again' });
      expect(again.body.code).toBe('MEETING.ALREADY_RETRACTED');
    });
  });

  describe('400: bad bodies, one entry per problem, nothing written', () => {
    let id: string;
    beforeAll(async () => {
      id = await recordSlip();
    });

    it.each([
      ['an empty body', {}, ['changes', 'reason']],
      ['no changes', { reason: 'r' }, ['changes']],
      ['empty changes', { reason: 'r', changes: {} }, ['changes']],
      ['changes that are a list', { reason: 'r', changes: [] }, ['changes']],
      ['changes that are text', { reason: 'r', changes: 'title' }, ['changes']],
      ['changes that are null', { reason: 'r', changes: null }, ['changes']],
      ['commitments in changes', { reason: 'r', changes: { commitments: [{ description: 'x' }] } }, ['changes.commitments']],
      ['an unknown field in changes', { reason: 'r', changes: { title: 'x', colour: 'blue' } }, ['changes.colour']],
      ['an unknown field beside changes', { reason: 'r', changes: { title: 'x' }, title: 'y' }, ['title']],
      ['a required field cleared', { reason: 'r', changes: { occurredOn: null, format: null, partyIds: null, topics: null } }, ['changes.format', 'changes.occurredOn', 'changes.partyIds', 'changes.topics']],
      ['a bad partial date', { reason: 'r', changes: { occurredOn: '2020-12-32' } }, ['changes.occurredOn']],
      ['a bad format', { reason: 'r', changes: { format: 'telepathy' } }, ['changes.format']],
      ['one party only', { reason: 'r', changes: { partyIds: ['AZ'] } }, ['changes.partyIds']],
      ['no topics', { reason: 'r', changes: { topics: [] } }, ['changes.topics']],
      ['a participant without person', { reason: 'r', changes: { participants: [{ partyId: 'AZ' }] } }, ['changes.participants[0].personId']],
      ['an unknown field in a participant', { reason: 'r', changes: { participants: [{ personId: 'AZ', partyId: 'AZ', role: 'x' }] } }, ['changes.participants[0].role']],
      ['a title over its limit', { reason: 'r', changes: { title: 'x'.repeat(501) } }, ['changes.title']],
      ['a blank reason', { reason: ' ', changes: { title: 'x' } }, ['reason']],
    ])('POST /meetings/{id}/corrections: 400 for %s', async (_, body, fields) => {
      const withIds = JSON.parse(JSON.stringify(body).replace(/"AZ"/g, JSON.stringify(az)));
      const res = await refused(400, `/meetings/${id}/corrections`, withIds);
      expect(res.body.code).toBe('VALIDATION');
      expect(fieldsOf(res)).toEqual([...fields].sort());
    });

    it('400 when corrected participants contradict the parties, naming the field sent', async () => {
      const res = await refused(400, `/meetings/${id}/corrections`, { reason: 'r', changes: { participants: [{ personId: labardini, partyId: mx }] } });
      expect(res.body.errors).toEqual([{ field: 'changes.participants[0].partyId', message: expect.any(String) }]);
      // Dropping UNAOC leaves Moratinos without his party.
      const dropped = await refused(400, `/meetings/${id}/corrections`, { reason: 'r', changes: { partyIds: [az, mx] } });
      expect(fieldsOf(dropped)).toEqual(['changes.partyIds']);
      const twice = await refused(400, `/meetings/${id}/corrections`, { reason: 'r', changes: { participants: [{ personId: karimov, partyId: az }, { personId: karimov, partyId: un }] } });
      expect(fieldsOf(twice)).toEqual(['changes.participants[1].personId']);
    });

    it.each([
      ['an empty body', {}, ['reason']],
      ['an unknown field', { reason: 'r', changes: { title: 'x' } }, ['changes']],
      ['a reason over its limit', { reason: 'x'.repeat(2001) }, ['reason']],
    ])('POST /meetings/{id}/retraction: 400 for %s', async (_, body, fields) => {
      expect(fieldsOf(await refused(400, `/meetings/${id}/retraction`, body))).toEqual(fields);
    });
  });

  it('422 for corrected parties or participants that name nothing registered, naming each field; nothing written', async () => {
    const id = await recordSlip();
    const res = await refused(422, `/meetings/${id}/corrections`, {
      reason: 'r',
      changes: { partyIds: [az, UNKNOWN], participants: [{ personId: karimov, partyId: az }, { personId: un, partyId: az }] },
    });
    expect(res.body.code).toBe('UNKNOWN_REFERENCE');
    expect(fieldsOf(res)).toEqual(['changes.participants[1].personId', 'changes.partyIds[1]']);
  });

  it('404 for a meeting that does not exist (before its references are judged) or an id that names something else', async () => {
    expect((await refused(404, `/meetings/${UNKNOWN}/corrections`, { reason: 'r', changes: { title: 'x' } })).body.code).toBe('NOT_FOUND');
    expect((await refused(404, `/meetings/${UNKNOWN}/corrections`, { reason: 'r', changes: { partyIds: [az, UNKNOWN] } })).body.code).toBe('NOT_FOUND');
    expect((await refused(404, `/meetings/${az}/corrections`, { reason: 'r', changes: { partyIds: [az, un] } })).body.code).toBe('NOT_FOUND');
    expect((await refused(404, `/meetings/${UNKNOWN}/retraction`, { reason: 'r' })).body.code).toBe('NOT_FOUND');
    expect((await refused(404, `/meetings/${karimov}/retraction`, { reason: 'r' })).body.code).toBe('NOT_FOUND');
    expect(fieldsOf(await refused(400, `/meetings/nope/retraction`, { reason: 'r' }))).toEqual(['id']);
  });

  it('documents both commands in the OpenAPI document, every field of changes optional', async () => {
    const res = await t.http.get('/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    const correct = paths['/api/v1/meetings/{id}/corrections'].post;
    const retract = paths['/api/v1/meetings/{id}/retraction'].post;
    expect(correct.summary).toMatch(/MeetingRecordCorrected/);
    expect(retract.summary).toMatch(/MeetingRecordRetracted/);
    expect(correct.tags).toEqual(['meetings']);
    expect(correct.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'If-Match']));
    const schemas = res.body.components.schemas;
    expect(schemas.CorrectMeetingRecordDto.required.sort()).toEqual(['changes', 'reason']);
    expect(schemas.MeetingChangesDto.required ?? []).toEqual([]);
    expect(Object.keys(schemas.MeetingChangesDto.properties)).not.toContain('commitments');
  });

  it('412 for a stale If-Match on a correction or a retraction, nothing written', async () => {
    const id = await recordSlip();
    expect((await send(t, `/meetings/${id}/corrections`, { reason: 'UNHCR slip', changes: { title: RIGHT_TITLE } }, { 'If-Match': '"1"' })).status).toBe(200);
    const stale = await refused(412, `/meetings/${id}/corrections`, { reason: 'r', changes: { location: 'Baku' } }, { 'If-Match': '"1"' });
    expect(stale.body.code).toBe('CONCURRENCY.STALE_VERSION');
    expect((await refused(412, `/meetings/${id}/retraction`, { reason: 'r' }, { 'If-Match': '"1"' })).body.code).toBe('CONCURRENCY.STALE_VERSION');
    expect((await send(t, `/meetings/${id}/retraction`, { reason: 'Duplicate.' }, { 'If-Match': '"2"' })).status).toBe(200);
  });

  it('the partnerships and the timeline keep of a meeting only its date, parties, title and commitments, through a correction and a retraction', async () => {
    const runner = t.app.get(ProjectionRunner);
    const es = await registerParty(t, 'Kingdom of Spain', 'state', { countryCode: 'ES' }); // in no other meeting
    const id = await recordSlip();
    const corrected = await send(t, `/meetings/${id}/corrections`, { reason: 'UNAOC, not UNHCR; Spain took part', changes: { title: RIGHT_TITLE, partyIds: [az, un, es] } });
    expect(corrected.status).toBe(200);
    await runner.waitFor(runner.names, corrected.body.position, 10_000);
    const [{ commitment }] = await t.ds.query(`select stream_id as commitment from events where type = 'CommitmentMade' and data->>'meetingId' = $1`, [id]);
    const [source] = await t.ds.query(`select state from rm_partnership_sources where source_id = $1`, [id]);
    expect(source.state).toEqual({ exists: true, meetingId: id, occurredOn: '2020-12-02', partyIds: [az, un, es], retracted: null, corrections: [] });
    const [record] = await t.ds.query(`select state from rm_timeline_records where record_id = $1`, [id]);
    expect(record.state).toEqual({
      exists: true,
      meetingId: id,
      occurredOn: '2020-12-02',
      format: 'virtual',
      title: RIGHT_TITLE,
      topics: ['Baku Process', '6th World Forum on Intercultural Dialogue in 2021', 'Protection of places of worship'],
      partyIds: [az, un, es],
      commitmentIds: [commitment],
      corrections: [],
    });
    // What they answer from those copies: the corrected title and parties, then nothing once retracted.
    const entry = async () => t.ds.query(`select title, party_ids from rm_timeline_entries where record_id = $1 and type = 'MeetingRecorded'`, [id]);
    expect(await entry()).toEqual([{ title: RIGHT_TITLE, party_ids: [az, un, es].sort() }]);
    const meetingsWithSpain = async () => {
      const res = await t.http.get(`/api/v1/partnerships?partyId=${es}`).set('Authorization', t.as('viewer').auth);
      return res.body.items.map((p: { parties: { id: string }[]; meetingsCount: number }) => [p.parties.map((x) => x.id).sort().join(','), p.meetingsCount]).sort();
    };
    expect(await meetingsWithSpain()).toEqual([[[az, es].sort().join(','), 1], [[es, un].sort().join(','), 1]].sort());
    const retracted = await send(t, `/meetings/${id}/retraction`, { reason: 'Recorded twice.' });
    expect(retracted.status).toBe(200);
    await runner.waitFor(runner.names, retracted.body.position, 10_000);
    expect(await entry()).toEqual([]);
    expect(await meetingsWithSpain()).toEqual([]); // a retracted meeting counts for no pair
  });
});
