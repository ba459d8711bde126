import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

/** AmendAgreement, RenewAgreement and TerminateAgreement through HTTP on a real PostgreSQL; the log is checked. */
describe('agreements over HTTP', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let mx: string;

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ' });
    un = await registerParty(t, 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' });
    mx = await registerParty(t, 'United Mexican States', 'state', { countryCode: 'MX' });
  });
  afterAll(() => t.close());

  const sign = async (body: object = {}): Promise<string> => {
    const res = await send(t, '/agreements', { title: 'Memorandum of Understanding between UNAOC and Azerbaijan', partyIds: [az, un], signedOn: '2022', ...body });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const streamOf = (id: string) =>
    t.ds.query(`select type, stream_type, stream_version, occurred_on, data, global_position::text as p from events where stream_id = $1 order by stream_version`, [id]);

  /** Sends a command expected to be refused; checks the problem and that nothing was written. */
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

  it('amends, renews to a later expiry, then terminates: 200 with id, version, position and ETag each time', async () => {
    const id = await sign({ expiresOn: '2025-06' });

    const amended = await send(t, `/agreements/${id}/amendments`, { summary: 'Adds youth exchanges to the areas of cooperation.', on: '2023-03' });
    expect(amended.status).toBe(200);
    expect(amended.body).toEqual({ id, version: 2, position: expect.stringMatching(/^\d+$/) });
    expect(amended.headers.etag).toBe('"2"');
    expect(amended.headers.location).toBeUndefined();

    const renewed = await send(t, `/agreements/${id}/renewal`, { expiresOn: '2030' }, { 'If-Match': '"2"' });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ id, version: 3 });
    expect(renewed.headers.etag).toBe('"3"');

    const terminated = await send(t, `/agreements/${id}/termination`, { on: '2024-01', reason: 'Superseded by a new memorandum.' });
    expect(terminated.status).toBe(200);
    expect(terminated.body).toMatchObject({ id, version: 4 });
    expect(terminated.headers.etag).toBe('"4"');

    const events = await streamOf(id);
    expect(events.map((e: { type: string; occurred_on: string | null }) => [e.type, e.occurred_on])).toEqual([
      ['MouSigned', '2022'],
      ['AgreementAmended', '2023-03'],
      // A renewal has no date in the world in the contract's body: only when it was recorded.
      ['AgreementRenewed', null],
      ['AgreementTerminated', '2024-01'],
    ]);
    expect(events.every((e: { stream_type: string }) => e.stream_type === 'agreement')).toBe(true);
    expect(events[1].data).toEqual({ agreementId: id, summary: 'Adds youth exchanges to the areas of cooperation.', on: '2023-03' });
    expect(events[2].data).toEqual({ agreementId: id, expiresOn: '2030', previousExpiresOn: '2025-06' });
    expect(events[3].data).toEqual({ agreementId: id, on: '2024-01', reason: 'Superseded by a new memorandum.' });
    expect([events[1].p, events[2].p, events[3].p]).toEqual([amended.body.position, renewed.body.position, terminated.body.position]);
  });

  it('renews an agreement signed without an expiry, and an agreement of another kind', async () => {
    const id = await sign({ kind: 'agreement', title: 'Agreement on cooperation in education, science, youth, culture and sports', partyIds: [az, mx], signedOn: '2019' });
    const res = await send(t, `/agreements/${id}/renewal`, { expiresOn: '2029' });
    expect(res.status).toBe(200);
    const events = await streamOf(id);
    expect(events.map((e: { type: string }) => e.type)).toEqual(['AgreementSigned', 'AgreementRenewed']);
    expect(events[1].data).toEqual({ agreementId: id, expiresOn: '2029', previousExpiresOn: null });
  });

  describe('409: rules that depend on what was recorded before, nothing written', () => {
    let terminatedId: string;

    beforeAll(async () => {
      terminatedId = await sign({ expiresOn: '2025' });
      expect((await send(t, `/agreements/${terminatedId}/termination`, { on: '2024-01', reason: 'Superseded.' })).status).toBe(200);
    });

    it('refuses to amend or renew a terminated agreement (AGREEMENT.TERMINATED)', async () => {
      expect((await refused(409, `/agreements/${terminatedId}/amendments`, { summary: 'Late change', on: '2024-03' })).body.code).toBe('AGREEMENT.TERMINATED');
      expect((await refused(409, `/agreements/${terminatedId}/renewal`, { expiresOn: '2030' })).body.code).toBe('AGREEMENT.TERMINATED');
    });

    it('refuses to terminate twice (AGREEMENT.ALREADY_TERMINATED)', async () => {
      const res = await refused(409, `/agreements/${terminatedId}/termination`, { on: '2024-02', reason: 'Again.' });
      expect(res.body.code).toBe('AGREEMENT.ALREADY_TERMINATED');
    });

    it('refuses a renewal that does not end later than the current expiry (AGREEMENT.RENEWAL_NOT_LATER)', async () => {
      const id = await sign({ expiresOn: '2026' });
      for (const expiresOn of ['2025', '2026', '2026-12', '2026-06-30']) {
        expect((await refused(409, `/agreements/${id}/renewal`, { expiresOn })).body.code).toBe('AGREEMENT.RENEWAL_NOT_LATER');
      }
    });

    it('refuses a termination or an amendment wholly before the signature (AGREEMENT.BEFORE_SIGNATURE)', async () => {
      const id = await sign({ signedOn: '2022-05-10' });
      expect((await refused(409, `/agreements/${id}/termination`, { on: '2022-05-09', reason: 'x' })).body.code).toBe('AGREEMENT.BEFORE_SIGNATURE');
      expect((await refused(409, `/agreements/${id}/termination`, { on: '2021', reason: 'x' })).body.code).toBe('AGREEMENT.BEFORE_SIGNATURE');
      expect((await refused(409, `/agreements/${id}/amendments`, { summary: 'x', on: '2022-04' })).body.code).toBe('AGREEMENT.BEFORE_SIGNATURE');
      // `2022-05` may be the day of the signature or after: it is not wholly before.
      expect((await send(t, `/agreements/${id}/termination`, { on: '2022-05', reason: 'Signed in error.' })).status).toBe(200);
    });
  });

  describe('400: bad bodies, one entry per problem, nothing written', () => {
    let id: string;
    beforeAll(async () => {
      id = await sign();
    });

    it.each([
      ['amendments', 'an empty body', {}, ['on', 'summary']],
      ['amendments', 'a bad partial date', { summary: 'x', on: '2023-02-30' }, ['on']],
      ['amendments', 'an unknown field', { summary: 'x', on: '2023', colour: 'blue' }, ['colour']],
      ['amendments', 'a blank summary', { summary: '   ', on: '2023' }, ['summary']],
      ['amendments', 'a summary over its limit', { summary: 'x'.repeat(5001), on: '2023' }, ['summary']],
      ['renewal', 'an empty body', {}, ['expiresOn']],
      ['renewal', 'a date that is no date', { expiresOn: 'next year' }, ['expiresOn']],
      ['renewal', 'a wrong type', { expiresOn: 2030 }, ['expiresOn']],
      ['termination', 'an empty body', {}, ['on', 'reason']],
      ['termination', 'a reason that is not text', { on: '2024', reason: ['x'] }, ['reason']],
      ['termination', 'a NUL in the reason', { on: '2024', reason: 'a\u0000b' }, ['reason']],
      ['termination', 'a reason over its limit', { on: '2024', reason: 'x'.repeat(2001) }, ['reason']],
    ])('POST /agreements/{id}/%s: 400 for %s', async (route, _, body, fields) => {
      const res = await refused(400, `/agreements/${id}/${route}`, body);
      expect(res.body.code).toBe('VALIDATION');
      expect(fieldsOf(res)).toEqual([...fields].sort());
    });

    it('400 for an id in the path that is not a UUID, and for an If-Match that is no version', async () => {
      expect(fieldsOf(await refused(400, '/agreements/not-a-uuid/renewal', { expiresOn: '2030' }))).toEqual(['id']);
      expect(fieldsOf(await refused(400, `/agreements/${id}/renewal`, { expiresOn: '2030' }, { 'If-Match': 'latest' }))).toEqual(['If-Match']);
    });
  });

  it('404 for an agreement that does not exist, or an id that names something else', async () => {
    const bodies: Record<string, object> = { amendments: { summary: 's', on: '2024' }, renewal: { expiresOn: '2030' }, termination: { on: '2024', reason: 'r' } };
    for (const [route, body] of Object.entries(bodies)) {
      expect((await refused(404, `/agreements/${UNKNOWN}/${route}`, body)).body.code).toBe('NOT_FOUND');
      expect((await refused(404, `/agreements/${az}/${route}`, body)).body.code).toBe('NOT_FOUND');
    }
  });

  it('412 for a stale If-Match, nothing written; the current version succeeds', async () => {
    const id = await sign({ expiresOn: '2025' });
    expect((await send(t, `/agreements/${id}/amendments`, { summary: 'First', on: '2023' }, { 'If-Match': '"1"' })).status).toBe(200);
    const stale = await refused(412, `/agreements/${id}/renewal`, { expiresOn: '2030' }, { 'If-Match': '"1"' });
    expect(stale.body.code).toBe('CONCURRENCY.STALE_VERSION');
    expect((await refused(412, `/agreements/${id}/termination`, { on: '2024', reason: 'r' }, { 'If-Match': '"3"' })).body.code).toBe('CONCURRENCY.STALE_VERSION');
    expect((await refused(412, `/agreements/${id}/amendments`, { summary: 's', on: '2024' }, { 'If-Match': '"1"' })).body.code).toBe('CONCURRENCY.STALE_VERSION');
    expect((await send(t, `/agreements/${id}/termination`, { on: '2024', reason: 'r' }, { 'If-Match': '"2"' })).status).toBe(200);
  });

  it('403 for a viewer or an auditor, nothing written', async () => {
    const id = await sign();
    const before = await eventCount(t);
    for (const role of ['viewer', 'auditor'] as const) {
      const res = await t.http.post(`/api/v1/agreements/${id}/renewal`).set('Authorization', t.as(role).auth).send({ expiresOn: '2030' });
      expect(res.status).toBe(403);
    }
    expect(await eventCount(t)).toBe(before);
  });
});
