import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { type TestApp, startTestApp } from './support/app.js';
import { registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const ACTING = 'First Deputy Minister and Acting Minister of Culture';
const ISESCO = 'Islamic Educational, Scientific and Cultural Organization';
const ICESCO = 'Islamic World Educational, Scientific and Cultural Organization';
const MINISTRY = 'Ministry of Culture of the Republic of Azerbaijan';

/** The parties and people read models through HTTP, on the history of history.md. */
describe('parties and people read models over HTTP', () => {
  let t: TestApp;
  let az: string;
  let ministry: string;
  let icesco: string;
  let unaoc: string;
  let karimov: string;
  let karimli: string;
  let acting: string;
  let minister: string;
  let karimliMinister: string;
  /** the position of the last command sent: every read waits for it */
  let last: string;

  const ok = async (res: { status: number; body: { position: string } }, status = 200) => {
    expect(res.status).toBe(status);
    last = res.body.position;
    return res.body as { id: string; position: string };
  };
  const read = (path: string, role: 'viewer' | 'auditor' | 'recorder' | 'admin' = 'viewer') =>
    t.http.get(`/api/v1${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`).set('Authorization', t.as(role).auth);
  const appoint = async (personId: string, body: object): Promise<string> => {
    const { position } = await ok(await send(t, `/people/${personId}/appointments`, body));
    const [e] = await t.ds.query(`select data from events where global_position = $1`, [position]);
    return e.data.appointmentId;
  };

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ', shortName: 'AZ' });
    ministry = await registerParty(t, MINISTRY, 'ministry', { countryCode: 'AZ', parentPartyId: az });
    unaoc = await registerParty(t, 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' });
    icesco = await registerParty(t, ISESCO, 'international_organization', { shortName: 'ISESCO' });
    await ok(await send(t, `/parties/${icesco}/renaming`, { name: ICESCO, shortName: 'ICESCO', effectiveOn: '2020' }));

    karimov = (await ok(await send(t, '/people', { fullName: 'Anar Karimov' }), 201)).id;
    karimli = (await ok(await send(t, '/people', { fullName: 'Adil Karimli' }), 201)).id;
    acting = await appoint(karimov, { partyId: ministry, title: ACTING, from: '2020-12', acting: true });
    await ok(await send(t, `/people/${karimov}/appointments/${acting}/end`, { on: '2021' }));
    minister = await appoint(karimov, { partyId: ministry, title: 'Minister of Culture', from: '2021' });
    await ok(await send(t, `/people/${karimov}/appointments/${minister}/end`, { on: '2025-12' }));
    karimliMinister = await appoint(karimli, { partyId: ministry, title: 'Minister of Culture', from: '2025-12' });
  });
  afterAll(() => t.close());

  describe('GET /parties/{id}', () => {
    it('ISESCO renamed ICESCO: the current name, the former one with its date, and when it was registered', async () => {
      const res = await read(`/parties/${icesco}`);
      expect(res.status).toBe(200);
      const [{ recorded_at }] = await t.ds.query(`select recorded_at from events where stream_id = $1 and type = 'PartyRegistered'`, [icesco]);
      expect(res.body).toEqual({
        id: icesco,
        name: ICESCO,
        shortName: 'ICESCO',
        kind: 'international_organization',
        countryCode: null,
        parent: null,
        formerNames: [{ name: ISESCO, shortName: 'ISESCO', until: '2020' }],
        officeHolders: [],
        registeredAt: new Date(recorded_at).toISOString(),
      });
    });

    it('the Ministry of Culture: its parent, and Adil Karimli as the Minister after Karimov’s appointments ended', async () => {
      const res = await read(`/parties/${ministry}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: ministry, name: MINISTRY, kind: 'ministry', countryCode: 'AZ', parent: { id: az, name: 'Republic of Azerbaijan' }, formerNames: [] });
      expect(res.body.officeHolders).toEqual([
        { person: { id: karimli, fullName: 'Adil Karimli' }, appointmentId: karimliMinister, title: 'Minister of Culture', from: '2025-12', to: null, acting: false },
      ]);
    });

    it('404 for an unknown id (or the id of a person); 400 for an id that is no UUID', async () => {
      const res = await read(`/parties/${UNKNOWN}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      expect((await read(`/parties/${karimov}`)).status).toBe(404);
      const bad = await read('/parties/icesco');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('id');
    });
  });

  describe('GET /parties', () => {
    it('lists by name, each with its former names', async () => {
      const res = await read('/parties');
      expect(res.status).toBe(200);
      expect(res.body.next).toBeNull();
      expect(res.body.items.map((p: { name: string }) => p.name)).toEqual([ICESCO, MINISTRY, 'Republic of Azerbaijan', 'United Nations Alliance of Civilizations']);
      expect(res.body.items[0]).toEqual({
        id: icesco,
        name: ICESCO,
        shortName: 'ICESCO',
        kind: 'international_organization',
        countryCode: null,
        formerNames: [{ name: ISESCO, shortName: 'ISESCO', until: '2020' }],
      });
    });

    it('q finds a party by a former name or short name, case-insensitively', async () => {
      for (const q of ['isesco', 'ICESCO', 'islamic educational', 'Islamic World']) {
        const res = await read(`/parties?q=${encodeURIComponent(q)}`);
        expect(res.status).toBe(200);
        expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([icesco]);
      }
      expect((await read('/parties?q=culture')).body.items.map((p: { id: string }) => p.id)).toEqual([ministry]);
      expect((await read('/parties?q=unesco')).body.items).toEqual([]);
      // wildcards are plain text
      expect((await read('/parties?q=%25')).body.items).toEqual([]);
    });

    it('filters by kind, also together with q', async () => {
      expect((await read('/parties?kind=ministry')).body.items.map((p: { id: string }) => p.id)).toEqual([ministry]);
      expect((await read('/parties?kind=international_organization')).body.items.map((p: { id: string }) => p.id)).toEqual([icesco, unaoc]);
      expect((await read('/parties?kind=state&q=isesco')).body.items).toEqual([]);
      expect((await read('/parties?kind=ngo')).body).toEqual({ items: [], next: null });
    });

    it('pages with limit=1 and next, seeing every party once, in order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await read(`/parties?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(1);
        seen.push(res.body.items[0].id);
        cursor = res.body.next;
      } while (cursor);
      expect(seen).toEqual([icesco, ministry, az, unaoc]);
      const filtered = await read('/parties?kind=international_organization&limit=1');
      const next = await read(`/parties?kind=international_organization&limit=1&cursor=${filtered.body.next}`);
      expect(next.body).toEqual({ items: [expect.objectContaining({ id: unaoc })], next: null });
    });

    it.each([
      ['an unknown kind', 'kind=planet', 'kind'],
      ['a q over its limit', `q=${'x'.repeat(301)}`, 'q'],
      ['a limit of 0', 'limit=0', 'limit'],
      ['a limit over 500', 'limit=501', 'limit'],
      ['a cursor this service did not give', 'cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['a malformed cursor', 'cursor=%21%21', 'cursor'],
      ['a malformed minPosition', 'minPosition=abc', 'minPosition'],
      ['an unknown parameter', 'colour=blue', 'colour'],
    ])('400 for %s, naming it', async (_, query, field) => {
      const res = await t.http.get(`/api/v1/parties?${query}`).set('Authorization', t.as('viewer').auth);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('GET /people/{id}', () => {
    it('Karimov: both appointments, ended, in date order, none current', async () => {
      const res = await read(`/people/${karimov}`);
      expect(res.status).toBe(200);
      const party = { id: ministry, name: MINISTRY };
      expect(res.body).toEqual({
        id: karimov,
        fullName: 'Anar Karimov',
        appointments: [
          { appointmentId: acting, party, title: ACTING, from: '2020-12', to: null, endedOn: '2021', acting: true, current: false },
          { appointmentId: minister, party, title: 'Minister of Culture', from: '2021', to: null, endedOn: '2025-12', acting: false, current: false },
        ],
      });
    });

    it('Karimli: the current Minister', async () => {
      const res = await read(`/people/${karimli}`);
      expect(res.body.appointments).toEqual([
        { appointmentId: karimliMinister, party: { id: ministry, name: MINISTRY }, title: 'Minister of Culture', from: '2025-12', to: null, endedOn: null, acting: false, current: true },
      ]);
    });

    it('names the party by its current name after a rename', async () => {
      const salim = (await ok(await send(t, '/people', { fullName: 'Salim M. AlMalik' }), 201)).id;
      const dg = await appoint(salim, { partyId: icesco, title: 'Director General', from: '2021' });
      const res = await read(`/people/${salim}`);
      expect(res.body.appointments).toEqual([expect.objectContaining({ appointmentId: dg, party: { id: icesco, name: ICESCO }, current: true })]);
      const party = await read(`/parties/${icesco}`);
      expect(party.body.officeHolders).toEqual([
        { person: { id: salim, fullName: 'Salim M. AlMalik' }, appointmentId: dg, title: 'Director General', from: '2021', to: null, acting: false },
      ]);
    });

    it('404 for an unknown id (or the id of a party); 400 for an id that is no UUID or an unknown parameter', async () => {
      expect((await read(`/people/${UNKNOWN}`)).status).toBe(404);
      expect((await read(`/people/${ministry}`)).status).toBe(404);
      expect((await read('/people/karimov')).status).toBe(400);
      expect((await read(`/people/${karimov}?q=x`)).status).toBe(400);
    });
  });

  describe('GET /people', () => {
    it('searches full names case-insensitively and pages by name', async () => {
      const found = await read('/people?q=KARIM');
      expect(found.status).toBe(200);
      expect(found.body).toEqual({ items: [{ id: karimli, fullName: 'Adil Karimli' }, { id: karimov, fullName: 'Anar Karimov' }], next: null });
      const first = await read('/people?q=karim&limit=1');
      expect(first.body.items).toEqual([{ id: karimli, fullName: 'Adil Karimli' }]);
      const second = await read(`/people?q=karim&limit=1&cursor=${first.body.next}`);
      expect(second.body).toEqual({ items: [{ id: karimov, fullName: 'Anar Karimov' }], next: null });
    });

    it('400 for bad filters', async () => {
      for (const query of [`q=${'x'.repeat(301)}`, 'limit=abc', 'cursor=bm90LWEtY3Vyc29y', 'kind=state']) {
        const res = await t.http.get(`/api/v1/people?${query}`).set('Authorization', t.as('viewer').auth);
        expect(res.status).toBe(400);
      }
    });
  });

  describe('access', () => {
    it('401 without a token or with an unknown one; every role may read', async () => {
      for (const path of ['/parties', `/parties/${icesco}`, '/people', `/people/${karimov}`]) {
        const none = await t.http.get(`/api/v1${path}`);
        expect(none.status).toBe(401);
        expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
        expect((await t.http.get(`/api/v1${path}`).set('Authorization', 'Bearer nope')).status).toBe(401);
        for (const role of ['viewer', 'auditor', 'recorder', 'admin'] as const) expect((await read(path, role)).status).toBe(200);
      }
    });
  });

  describe('minPosition', () => {
    it('a read with the position of a command sees its effect at once', async () => {
      const renamed = await ok(await send(t, `/parties/${unaoc}/renaming`, { name: 'UN Alliance of Civilizations', effectiveOn: '2026-11' }));
      const party = await t.http.get(`/api/v1/parties/${unaoc}?minPosition=${renamed.position}`).set('Authorization', t.as('viewer').auth);
      expect(party.body).toMatchObject({ name: 'UN Alliance of Civilizations', shortName: 'UNAOC', formerNames: [{ name: 'United Nations Alliance of Civilizations', until: '2026-11' }] });
      const person = await t.http.get(`/api/v1/people?q=zzz&minPosition=${renamed.position}`).set('Authorization', t.as('viewer').auth);
      expect(person.status).toBe(200);
    });

    it('503 with Retry-After for a position not reached within the wait', async () => {
      const res = await t.http.get(`/api/v1/people/${karimov}?minPosition=999999999`).set('Authorization', t.as('viewer').auth);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
    }, 15_000);
  });

  describe('rebuild', () => {
    it.each(['parties', 'people'])('%s: a rebuild in compare mode gives rows identical to the live ones', async (name) => {
      const report = await t.app.get(ProjectionRebuilder).rebuild(name, 'compare', 'test');
      expect(report.identical).toBe(true);
      expect(report.tables.length).toBeGreaterThan(0);
      expect(report.tables.every((tbl) => tbl.equal > 0)).toBe(true);
    });
  });
});
