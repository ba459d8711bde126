import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const ACTING = 'First Deputy Minister and Acting Minister of Culture';

/** People and their offices, through HTTP on a real PostgreSQL. No read model yet: the log is checked. */
describe('people and their offices over HTTP', () => {
  let t: TestApp;
  let ministry: string;

  beforeAll(async () => {
    t = await startTestApp();
    const az = await registerParty(t, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ' });
    ministry = await registerParty(t, 'Ministry of Culture of the Republic of Azerbaijan', 'ministry', { countryCode: 'AZ', parentPartyId: az });
  });
  afterAll(() => t.close());

  const register = async (fullName: string): Promise<string> => {
    const res = await send(t, '/people', { fullName });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  /** Appoints and answers the new appointment's id, which is found in the event the answer's position names. */
  const appoint = async (personId: string, body: object): Promise<string> => {
    const res = await send(t, `/people/${personId}/appointments`, body);
    expect(res.status).toBe(200);
    const [e] = await t.ds.query(`select data from events where global_position = $1`, [res.body.position]);
    return e.data.appointmentId;
  };
  const streamOf = (id: string) =>
    t.ds.query(`select type, stream_type, stream_version, occurred_on, data, global_position::text as p from events where stream_id = $1 order by stream_version`, [id]);

  /** Sends a request expected to be refused and checks that nothing was written. */
  const refused = async (status: number, path: string, body: unknown, headers: Record<string, string> = {}) => {
    const before = await eventCount(t);
    const res = await send(t, path, body, headers);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await eventCount(t)).toBe(before);
    return res;
  };

  describe('RegisterPerson', () => {
    it('answers 201 with id, version, position, Location and ETag, and writes PersonRegistered', async () => {
      const res = await send(t, '/people', { fullName: 'Anar Karimov' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 1, position: expect.stringMatching(/^\d+$/) });
      expect(res.body.id[14]).toBe('7'); // UUID v7
      expect(res.headers.location).toBe(`/api/v1/people/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      const [e] = await streamOf(res.body.id);
      expect(e).toMatchObject({ type: 'PersonRegistered', stream_type: 'person', stream_version: 1, occurred_on: null, p: res.body.position });
      expect(e.data).toEqual({ personId: res.body.id, fullName: 'Anar Karimov' });
    });

    it.each([
      ['a missing fullName', {}, ['fullName']],
      ['a blank fullName', { fullName: '   ' }, ['fullName']],
      ['a fullName that is no text', { fullName: 42 }, ['fullName']],
      ['a fullName over its limit', { fullName: 'x'.repeat(301) }, ['fullName']],
      ['an unknown field', { fullName: 'Adil Karimli', title: 'Minister' }, ['title']],
    ])('400 for %s, naming the field, nothing written', async (_, body, fields) => {
      const res = await refused(400, '/people', body);
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual(fields);
    });
  });

  describe('the Minister of Culture office, as history.md tells it', () => {
    it('acting from 2020-12, ended in 2021, then Minister from 2021; every step in the log', async () => {
      const karimov = await register('Anar Karimov');

      const first = await send(t, `/people/${karimov}/appointments`, { partyId: ministry, title: ACTING, from: '2020-12', acting: true });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ id: karimov, version: 2, position: expect.stringMatching(/^\d+$/) });
      expect(first.headers.etag).toBe('"2"');
      expect(first.headers.location).toBeUndefined();
      const [{ data: appointed }] = await t.ds.query(`select data from events where global_position = $1`, [first.body.position]);
      const acting = appointed.appointmentId as string;
      expect(acting).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);

      const end = await send(t, `/people/${karimov}/appointments/${acting}/end`, { on: '2021' }, { 'If-Match': '"2"' });
      expect(end.status).toBe(200);
      expect(end.body).toEqual({ id: karimov, version: 3, position: expect.any(String) });
      expect(end.headers.etag).toBe('"3"');

      const minister = await appoint(karimov, { partyId: ministry, title: 'Minister of Culture', from: '2021' });
      expect(minister).not.toBe(acting);

      const stream = await streamOf(karimov);
      expect(stream.map((e: { type: string; occurred_on: string | null }) => [e.type, e.occurred_on])).toEqual([
        ['PersonRegistered', null],
        ['PersonAppointed', '2020-12'],
        ['AppointmentEnded', '2021'],
        ['PersonAppointed', '2021'],
      ]);
      expect(stream.every((e: { stream_type: string }) => e.stream_type === 'person')).toBe(true);
      expect(stream[1].data).toEqual({ personId: karimov, appointmentId: acting, partyId: ministry, title: ACTING, from: '2020-12', to: null, acting: true });
      expect(stream[2].data).toEqual({ personId: karimov, appointmentId: acting, partyId: ministry, title: ACTING, on: '2021' });
      expect(stream[3].data).toEqual({ personId: karimov, appointmentId: minister, partyId: ministry, title: 'Minister of Culture', from: '2021', to: null, acting: false });
    });

    it('the office changes hands: Karimov ends 2025-12, Karimli from 2025-12, both kept', async () => {
      const karimov = await register('Anar Karimov');
      const karimli = await register('Adil Karimli');
      const held = await appoint(karimov, { partyId: ministry, title: 'Minister of Culture', from: '2021' });
      expect((await send(t, `/people/${karimov}/appointments/${held}/end`, { on: '2025-12' })).status).toBe(200);
      await appoint(karimli, { partyId: ministry, title: 'Minister of Culture', from: '2025-12' });
      const rows = await t.ds.query(
        `select stream_id, type, occurred_on from events where stream_id = any($1::uuid[]) and type <> 'PersonRegistered' order by global_position`,
        [[karimov, karimli]],
      );
      expect(rows).toEqual([
        { stream_id: karimov, type: 'PersonAppointed', occurred_on: '2021' },
        { stream_id: karimov, type: 'AppointmentEnded', occurred_on: '2025-12' },
        { stream_id: karimli, type: 'PersonAppointed', occurred_on: '2025-12' },
      ]);
    });

    it('keeps a known end given with the appointment', async () => {
      const person = await register('Miguel Ángel Moratinos');
      const id = await appoint(person, { partyId: ministry, title: 'Adviser', from: '2020-12', to: '2020', acting: false });
      const [, e] = await streamOf(person);
      expect(e.data).toMatchObject({ appointmentId: id, from: '2020-12', to: '2020', acting: false });
    });
  });

  describe('AppointPerson refusals', () => {
    let person: string;
    beforeAll(async () => {
      person = await register('Juan Rodrigo Labardini Flores');
    });

    it.each([
      ['a missing body', {}, ['partyId', 'title', 'from']],
      ['an unknown field', { colour: 'blue' }, ['colour']],
      ['a bad partial date', { from: '2020-13' }, ['from']],
      ['an impossible day', { to: '2023-02-29' }, ['to']],
      ['a date that is no date', { from: 'December 2020' }, ['from']],
      ['acting that is no boolean', { acting: 'yes' }, ['acting']],
      ['a partyId that is no UUID', { partyId: 'mexico' }, ['partyId']],
      ['a title over its limit', { title: 'x'.repeat(301) }, ['title']],
    ])('400 for %s, one entry per problem, nothing written', async (_, patch, fields) => {
      const valid = { partyId: ministry, title: 'Ambassador', from: '2020-12' };
      const body = Object.keys(patch).length ? { ...valid, ...patch } : {};
      const res = await refused(400, `/people/${person}/appointments`, body);
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([...fields].sort());
    });

    it('400 naming `to` when it is wholly before `from` (the body contradicts itself)', async () => {
      const res = await refused(400, `/people/${person}/appointments`, { partyId: ministry, title: 'Ambassador', from: '2021', to: '2020-12' });
      expect(res.body.errors).toEqual([{ field: 'to', message: expect.any(String) }]);
    });

    it('422 for a party that is not registered, naming partyId; also for an id that names a person', async () => {
      const res = await refused(422, `/people/${person}/appointments`, { partyId: UNKNOWN, title: 'Ambassador', from: '2020-12' });
      expect(res.body.errors).toEqual([{ field: 'partyId', message: expect.stringContaining('no registered party') }]);
      const notAParty = await refused(422, `/people/${person}/appointments`, { partyId: person, title: 'Ambassador', from: '2020-12' });
      expect(notAParty.body.errors[0].field).toBe('partyId');
    });

    it('404 for a person that does not exist, or an id that names a party; 400 for a path id that is no UUID', async () => {
      const body = { partyId: ministry, title: 'Ambassador', from: '2020-12' };
      const res = await refused(404, `/people/${UNKNOWN}/appointments`, body);
      expect(res.body.code).toBe('NOT_FOUND');
      await refused(404, `/people/${ministry}/appointments`, body);
      await refused(400, `/people/karimov/appointments`, body);
    });

    it('412 for a stale If-Match, nothing written; the current one succeeds', async () => {
      const other = await register('Salim M. AlMalik');
      const body = { partyId: ministry, title: 'Director General', from: '2021' };
      const stale = await refused(412, `/people/${other}/appointments`, body, { 'If-Match': '"2"' });
      expect(stale.body.code).toBe('CONCURRENCY.STALE_VERSION');
      const ok = await send(t, `/people/${other}/appointments`, body, { 'If-Match': '"1"' });
      expect(ok.status).toBe(200);
      expect(ok.body.version).toBe(2);
      await refused(412, `/people/${other}/appointments`, body, { 'If-Match': '"1"' });
    });
  });

  describe('EndAppointment refusals', () => {
    let person: string;
    let appointment: string;
    beforeAll(async () => {
      person = await register('Mike Hardy');
      appointment = await appoint(person, { partyId: ministry, title: 'Professor', from: '2021' });
    });

    it.each([
      ['a missing on', {}, ['on']],
      ['a bad partial date', { on: '2021-00' }, ['on']],
      ['an unknown field', { on: '2022', reason: 'x' }, ['reason']],
    ])('400 for %s, nothing written', async (_, body, fields) => {
      const res = await refused(400, `/people/${person}/appointments/${appointment}/end`, body);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
    });

    it('404 for an unknown appointment, an unknown person, or an appointment of another person', async () => {
      const res = await refused(404, `/people/${person}/appointments/${UNKNOWN}/end`, { on: '2022' });
      expect(res.body.detail).toMatch(/appointment/);
      await refused(404, `/people/${UNKNOWN}/appointments/${appointment}/end`, { on: '2022' });
      const someoneElse = await register('António Guterres');
      await refused(404, `/people/${someoneElse}/appointments/${appointment}/end`, { on: '2022' });
      await refused(400, `/people/${person}/appointments/not-a-uuid/end`, { on: '2022' });
    });

    it('409 APPOINTMENT.END_BEFORE_START for an end wholly before the start', async () => {
      const res = await refused(409, `/people/${person}/appointments/${appointment}/end`, { on: '2020-12' });
      expect(res.body.code).toBe('APPOINTMENT.END_BEFORE_START');
    });

    it('409 APPOINTMENT.ALREADY_ENDED when ending twice, or ending one recorded with its end', async () => {
      const first = await send(t, `/people/${person}/appointments/${appointment}/end`, { on: '2022' });
      expect(first.status).toBe(200);
      const again = await refused(409, `/people/${person}/appointments/${appointment}/end`, { on: '2023' });
      expect(again.body.code).toBe('APPOINTMENT.ALREADY_ENDED');
      const fixed = await appoint(person, { partyId: ministry, title: 'Visiting Professor', from: '2022', to: '2023' });
      const withTo = await refused(409, `/people/${person}/appointments/${fixed}/end`, { on: '2023' });
      expect(withTo.body.code).toBe('APPOINTMENT.ALREADY_ENDED');
    });

    it('412 for a stale If-Match, nothing written', async () => {
      const other = await appoint(person, { partyId: ministry, title: 'Chair', from: '2021' });
      const res = await refused(412, `/people/${person}/appointments/${other}/end`, { on: '2024' }, { 'If-Match': '"1"' });
      expect(res.body.code).toBe('CONCURRENCY.STALE_VERSION');
    });
  });

  describe('access', () => {
    it('401 without a token or with an unknown one; 403 for a viewer or an auditor; nothing written', async () => {
      const person = await register('Ilham Aliyev');
      const appointment = await appoint(person, { partyId: ministry, title: 'President', from: '2008' });
      const calls: [string, object][] = [
        ['/people', { fullName: 'x' }],
        [`/people/${person}/appointments`, { partyId: ministry, title: 'x', from: '2008' }],
        [`/people/${person}/appointments/${appointment}/end`, { on: '2025' }],
      ];
      const before = await eventCount(t);
      for (const [path, body] of calls) {
        const none = await t.http.post(`/api/v1${path}`).send(body);
        expect(none.status).toBe(401);
        expect(none.headers['www-authenticate']).toMatch(/Bearer/);
        expect((await t.http.post(`/api/v1${path}`).set('Authorization', 'Bearer nope').send(body)).status).toBe(401);
        expect((await t.http.post(`/api/v1${path}`).set('Authorization', t.as('viewer').auth).send(body)).status).toBe(403);
        expect((await t.http.post(`/api/v1${path}`).set('Authorization', t.as('auditor').auth).send(body)).status).toBe(403);
      }
      expect(await eventCount(t)).toBe(before);
      expect((await t.http.post('/api/v1/people').set('Authorization', t.as('admin').auth).send({ fullName: 'Adil Karimli' })).status).toBe(201);
      expect(await eventCount(t)).toBe(before + 1);
    });
  });

  describe('idempotency', () => {
    it('a retried appointment with the same key writes nothing and answers the same', async () => {
      const person = await register('Adil Karimli');
      const body = { partyId: ministry, title: 'Minister of Culture', from: '2025-12' };
      const first = await send(t, `/people/${person}/appointments`, body, { 'Idempotency-Key': 'karimli-minister' });
      expect(first.status).toBe(200);
      const before = await eventCount(t);
      const retry = await send(t, `/people/${person}/appointments`, body, { 'Idempotency-Key': 'karimli-minister' });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(await eventCount(t)).toBe(before);
    });
  });
});
