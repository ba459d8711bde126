import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

/** FulfilCommitment and WithdrawCommitment through HTTP on a real PostgreSQL; the log is checked. */
describe('commitments over HTTP', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let meetingId: string;
  /** made at the 2020-12-02 meeting, in this order */
  let present: string;
  let projects: string;
  let report: string;

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ' });
    un = await registerParty(t, 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' });
    const res = await send(t, '/meetings', {
      occurredOn: '2020-12-02',
      format: 'virtual',
      partyIds: [az, un],
      topics: ['Baku Process', '6th World Forum on Intercultural Dialogue'],
      commitments: [
        { description: 'Present the joint projects at the World Forum on Intercultural Dialogue 2021', dueBy: '2021' },
        { description: 'Implement intercultural and interreligious projects in the region' },
        { description: 'Report on the Action Plan for the Protection of Religious Monuments', partyIds: [un], dueBy: '2021-06' },
      ],
    });
    expect(res.status).toBe(201);
    meetingId = res.body.id;
    // The answer names the meeting; its commitments' ids are in the MeetingRecorded event.
    const [recorded] = await t.ds.query(`select data from events where stream_id = $1 and type = 'MeetingRecorded'`, [meetingId]);
    [present, projects, report] = recorded.data.commitmentIds;
  });
  afterAll(() => t.close());

  const streamOf = (id: string) =>
    t.ds.query(`select type, stream_type, stream_version, occurred_on, data, global_position::text as p from events where stream_id = $1 order by stream_version`, [id]);
  const refused = async (status: number, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const before = await eventCount(t);
    const res = await send(t, path, body, headers);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await eventCount(t)).toBe(before);
    return res;
  };
  const fieldsOf = (res: { body: { errors?: { field: string }[] } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))].sort();

  it('each commitment is a stream of its own, started by CommitmentMade', async () => {
    expect([present, projects, report].every((id) => typeof id === 'string')).toBe(true);
    const [made] = await streamOf(report);
    expect(made).toMatchObject({ type: 'CommitmentMade', stream_type: 'commitment', stream_version: 1, occurred_on: '2020-12-02' });
    expect(made.data).toMatchObject({ commitmentId: report, meetingId, partyIds: [un], dueBy: '2021-06', madeOn: '2020-12-02' });
  });

  it('fulfils one: 200 with id, version, position, ETag; CommitmentFulfilled dated when it was fulfilled', async () => {
    const res = await send(t, `/commitments/${present}/fulfilment`, { on: '2021-05', note: 'Presented at the forum.' }, { 'If-Match': '"1"' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: present, version: 2, position: expect.stringMatching(/^\d+$/) });
    expect(res.headers.etag).toBe('"2"');
    expect(res.headers.location).toBeUndefined();
    const events = await streamOf(present);
    expect(events.map((e: { type: string; occurred_on: string | null }) => [e.type, e.occurred_on])).toEqual([
      ['CommitmentMade', '2020-12-02'],
      ['CommitmentFulfilled', '2021-05'],
    ]);
    expect(events[1]).toMatchObject({ stream_type: 'commitment', p: res.body.position });
    expect(events[1].data).toEqual({ commitmentId: present, on: '2021-05', note: 'Presented at the forum.' });
  });

  it('withdraws another: CommitmentWithdrawn with its reason', async () => {
    const res = await send(t, `/commitments/${projects}/withdrawal`, { reason: 'The World Forum 2021 was suspended (COVID-19).' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: projects, version: 2 });
    const events = await streamOf(projects);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['CommitmentMade', 'CommitmentWithdrawn']);
    expect(events[1].occurred_on).toBeNull();
    expect(events[1].data).toEqual({ commitmentId: projects, reason: 'The World Forum 2021 was suspended (COVID-19).' });
  });

  it('409 COMMITMENT.WITHDRAWN for fulfilling the withdrawn one; nothing written', async () => {
    const res = await refused(409, `/commitments/${projects}/fulfilment`, { on: '2022' });
    expect(res.body).toMatchObject({ status: 409, code: 'COMMITMENT.WITHDRAWN', title: 'Conflict' });
  });

  it('409 for fulfilling twice, withdrawing a fulfilled or withdrawn one, fulfilling before it was made', async () => {
    expect((await refused(409, `/commitments/${present}/fulfilment`, { on: '2021-06' })).body.code).toBe('COMMITMENT.ALREADY_FULFILLED');
    expect((await refused(409, `/commitments/${present}/withdrawal`, { reason: 'r' })).body.code).toBe('COMMITMENT.ALREADY_FULFILLED');
    expect((await refused(409, `/commitments/${projects}/withdrawal`, { reason: 'r' })).body.code).toBe('COMMITMENT.ALREADY_WITHDRAWN');
    expect((await refused(409, `/commitments/${report}/fulfilment`, { on: '2020-11' })).body.code).toBe('COMMITMENT.BEFORE_MADE');
  });

  it.each([
    ['fulfilment', 'an empty body', {}, ['on']],
    ['fulfilment', 'a bad partial date', { on: '2021-00' }, ['on']],
    ['fulfilment', 'a blank note', { on: '2021', note: '' }, ['note']],
    ['fulfilment', 'an unknown field', { on: '2021', by: 'UNAOC' }, ['by']],
    ['withdrawal', 'an empty body', {}, ['reason']],
    ['withdrawal', 'a reason over its limit', { reason: 'x'.repeat(2001) }, ['reason']],
    ['withdrawal', 'a reason of the wrong type', { reason: 42 }, ['reason']],
  ])('POST /commitments/{id}/%s: 400 for %s, nothing written', async (route, _, body, fields) => {
    const res = await refused(400, `/commitments/${report}/${route}`, body);
    expect(fieldsOf(res)).toEqual([...fields].sort());
  });

  it('404 for a commitment that does not exist, or an id that names a meeting; 400 for one that is no UUID', async () => {
    expect((await refused(404, `/commitments/${UNKNOWN}/fulfilment`, { on: '2021' })).body.code).toBe('NOT_FOUND');
    expect((await refused(404, `/commitments/${UNKNOWN}/withdrawal`, { reason: 'r' })).body.code).toBe('NOT_FOUND');
    expect((await refused(404, `/commitments/${meetingId}/fulfilment`, { on: '2021' })).body.code).toBe('NOT_FOUND');
    expect(fieldsOf(await refused(400, `/commitments/42/withdrawal`, { reason: 'r' }))).toEqual(['id']);
  });

  it('412 for a stale If-Match, nothing written; the current version succeeds', async () => {
    expect((await refused(412, `/commitments/${report}/fulfilment`, { on: '2021-06' }, { 'If-Match': '"2"' })).body.code).toBe('CONCURRENCY.STALE_VERSION');
    expect((await refused(412, `/commitments/${report}/withdrawal`, { reason: 'r' }, { 'If-Match': '"0"' })).body.code).toBe('CONCURRENCY.STALE_VERSION');
    const ok = await send(t, `/commitments/${report}/fulfilment`, { on: '2021-06' }, { 'If-Match': '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect((await refused(412, `/commitments/${report}/withdrawal`, { reason: 'r' }, { 'If-Match': '"1"' })).status).toBe(412);
  });
});
