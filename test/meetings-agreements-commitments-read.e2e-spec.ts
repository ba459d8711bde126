import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { type TestApp, startTestApp } from './support/app.js';
import { registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
/** As article 001 wrote it: UNHCR is another UN body; the High Representative is UNAOC's. */
const SLIP_TITLE = 'Virtual conference with the UN High Representative for the Alliance of Civilizations (UNHCR)';
const RIGHT_TITLE = 'Virtual conference with the UN High Representative for the Alliance of Civilizations (UNAOC)';
/** Years relative to today, so that in force / expired / overdue never rot. */
const YEAR = new Date().getUTCFullYear();
const year = (offset: number) => String(YEAR + offset);

interface Item {
  id: string;
  [k: string]: unknown;
}

/** The meetings, agreements and commitments read models through HTTP, on a real PostgreSQL. */
describe('read models: meetings, agreements, commitments', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let mx: string;
  let karimov: string;
  let moratinos: string;
  let last = '0';

  /** A read as a viewer, after the last command (read-your-writes). */
  const view = (path: string, query: Record<string, string> = {}) =>
    t.http.get(`/api/v1${path}`).query({ minPosition: last, ...query }).set('Authorization', t.as('viewer').auth);
  const ids = (res: { body: { items: Item[] } }) => res.body.items.map((i) => i.id);
  const cmd = async (path: string, body: object) => {
    const res = await send(t, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body.position;
    return res.body.id as string;
  };
  const person = (fullName: string) => cmd('/people', { fullName });

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ' });
    un = await registerParty(t, 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' });
    mx = await registerParty(t, 'United Mexican States', 'state', { countryCode: 'MX' });
    karimov = await person('Anar Karimov');
    moratinos = await person('Miguel Ángel Moratinos');
  });
  afterAll(() => t.close());

  describe('meetings', () => {
    let slip: string;

    it('the UNHCR slip: found by q=UNHCR as typed; once corrected, shows the corrected title and the correction trail', async () => {
      slip = await cmd('/meetings', {
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
      });
      expect(ids(await view('/meetings', { q: 'UNHCR' }))).toEqual([slip]);

      const reason = 'Article 001 wrote UNHCR, another UN body; the High Representative is that of UNAOC.';
      const before = Date.now();
      await cmd(`/meetings/${slip}/corrections`, { reason, changes: { title: RIGHT_TITLE } });
      const res = await view(`/meetings/${slip}`);
      expect(res.status).toBe(200);
      const commitmentId = res.body.commitments[0]?.id;
      expect(res.body).toEqual({
        id: slip,
        occurredOn: '2020-12-02',
        format: 'virtual',
        location: null,
        title: RIGHT_TITLE,
        parties: [
          { id: az, name: 'Republic of Azerbaijan' },
          { id: un, name: 'United Nations Alliance of Civilizations' },
        ],
        participants: [
          { person: { id: karimov, fullName: 'Anar Karimov' }, party: { id: az, name: 'Republic of Azerbaijan' } },
          { person: { id: moratinos, fullName: 'Miguel Ángel Moratinos' }, party: { id: un, name: 'United Nations Alliance of Civilizations' } },
        ],
        topics: ['Baku Process', '6th World Forum on Intercultural Dialogue in 2021', 'Protection of places of worship'],
        summary: 'Held by video conference.',
        outcomes: ['Agreed to implement initiatives on intercultural and interreligious relations in the region'],
        commitments: [{ id: expect.any(String), description: 'Present the initiatives at the World Forum on Intercultural Dialogue 2021', dueBy: '2021' }],
        sourceRef: 'seed-documents/001',
        corrections: [{ reason, changes: { title: RIGHT_TITLE }, previous: { title: SLIP_TITLE }, recordedAt: expect.any(String) }],
        retracted: null,
      });
      const recordedAt = Date.parse(res.body.corrections[0].recordedAt);
      expect(Math.abs(recordedAt - before)).toBeLessThan(60_000);
      expect((await view(`/commitments/${commitmentId}`)).body).toMatchObject({ meetingId: slip, dueBy: '2021' });
    });

    it('q=UNHCR finds nothing after the correction; q="Baku Process" and words of the corrected record find it', async () => {
      expect((await view('/meetings', { q: 'UNHCR' })).body).toEqual({ items: [], next: null });
      expect(ids(await view('/meetings', { q: '"Baku Process"' }))).toEqual([slip]);
      expect(ids(await view('/meetings', { q: 'UNAOC worship' }))).toEqual([slip]);
      expect(ids(await view('/meetings', { q: 'forums' }))).toEqual([slip]); // English stem of "Forum"
      expect(ids(await view('/meetings', { q: '"Process Baku"' }))).toEqual([]);
      expect(ids(await view('/meetings', { q: 'Baku -worship' }))).toEqual([]);
    });

    it('a retracted meeting is gone from the list and from searches, but answered by id with retracted: {reason}', async () => {
      const duplicate = await cmd('/meetings', { occurredOn: '2020-12-02', format: 'virtual', partyIds: [az, un], topics: ['Baku Process'] });
      expect(ids(await view('/meetings', { q: 'Baku' })).sort()).toEqual([slip, duplicate].sort());
      await cmd(`/meetings/${duplicate}/retraction`, { reason: 'Duplicate of the record of the same conference.' });
      expect(ids(await view('/meetings'))).not.toContain(duplicate);
      expect(ids(await view('/meetings', { partyId: az }))).not.toContain(duplicate);
      expect(ids(await view('/meetings', { q: 'Baku' }))).toEqual([slip]);
      const res = await view(`/meetings/${duplicate}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: duplicate, retracted: { reason: 'Duplicate of the record of the same conference.' }, topics: ['Baku Process'] });
    });

    describe('filters and paging', () => {
      const byDate: Record<string, string> = {};
      const dates = (res: { body: { items: { occurredOn: string }[] } }) => res.body.items.map((m) => m.occurredOn);

      beforeAll(async () => {
        for (const occurredOn of ['2019-05-20', '2019', '2019-11', '2019-05', '2019-05-01', '2018-12-31']) {
          byDate[occurredOn] = await cmd('/meetings', { occurredOn, format: 'phone', partyIds: [az, mx], topics: [`Call ${occurredOn}`] });
        }
      });

      it('partyId keeps the meetings of that party, newest first: partial-date order (first day, then last day) reversed', async () => {
        expect(dates(await view('/meetings', { partyId: mx }))).toEqual(['2019-11', '2019-05-20', '2019-05', '2019-05-01', '2019', '2018-12-31']);
        expect(ids(await view('/meetings', { partyId: un }))).toEqual([slip]);
      });

      it('from and to are partial dates; a meeting is kept when its days overlap theirs', async () => {
        expect(dates(await view('/meetings', { partyId: mx, from: '2019-06' }))).toEqual(['2019-11', '2019']);
        expect(dates(await view('/meetings', { partyId: mx, to: '2019-05' }))).toEqual(['2019-05-20', '2019-05', '2019-05-01', '2019', '2018-12-31']);
        expect(dates(await view('/meetings', { partyId: mx, from: '2019-05-20', to: '2019-05-20' }))).toEqual(['2019-05-20', '2019-05', '2019']);
        expect(dates(await view('/meetings', { partyId: mx, from: '2018', to: '2018' }))).toEqual(['2018-12-31']);
        expect(dates(await view('/meetings', { from: '2020' }))).toEqual(['2020-12-02']);
        expect(ids(await view('/meetings', { from: '2020-12-03' }))).toEqual([]);
      });

      it('pages with limit and next, each meeting once, in order', async () => {
        const p1 = await view('/meetings', { partyId: mx, limit: '2' });
        expect(dates(p1)).toEqual(['2019-11', '2019-05-20']);
        expect(p1.body.next).toEqual(expect.any(String));
        const p2 = await view('/meetings', { partyId: mx, limit: '2', cursor: p1.body.next });
        expect(dates(p2)).toEqual(['2019-05', '2019-05-01']);
        const p3 = await view('/meetings', { partyId: mx, limit: '2', cursor: p2.body.next });
        expect(dates(p3)).toEqual(['2019', '2018-12-31']);
        expect(p3.body.next).toBeNull();
        // A page that ends exactly at the last meeting says so.
        const all = await view('/meetings', { partyId: mx, limit: '6' });
        expect(all.body.items).toHaveLength(6);
        expect(all.body.next).toBeNull();
      });
    });

    it('404 for an unknown id; 400 for bad ids, dates, cursors, limits, unknown parameters, a to before from, a blank q', async () => {
      const notFound = await view(`/meetings/${UNKNOWN}`);
      expect(notFound.status).toBe(404);
      expect(notFound.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(notFound.body).toMatchObject({ status: 404, title: 'Not Found' });
      const bad = async (path: string, query: Record<string, string>, field: string) => {
        const res = await view(path, query);
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      };
      await bad('/meetings/not-a-uuid', {}, 'id');
      await bad('/meetings', { from: '2019-02-30' }, 'from');
      await bad('/meetings', { to: '19' }, 'to');
      await bad('/meetings', { from: '2020', to: '2019-12' }, 'to');
      await bad('/meetings', { partyId: 'x' }, 'partyId');
      await bad('/meetings', { cursor: 'bm90LWEta2V5' }, 'cursor');
      await bad('/meetings', { limit: '501' }, 'limit');
      await bad('/meetings', { limit: '0' }, 'limit');
      await bad('/meetings', { q: '   ' }, 'q');
      await bad('/meetings', { q: 'x'.repeat(201) }, 'q');
      await bad('/meetings', { status: 'open' }, 'status');
    });

    it('401 without a token or with an unknown one', async () => {
      expect((await t.http.get('/api/v1/meetings')).status).toBe(401);
      expect((await t.http.get(`/api/v1/meetings/${slip}`).set('Authorization', 'Bearer nope')).status).toBe(401);
      expect((await t.http.get('/api/v1/agreements')).status).toBe(401);
      expect((await t.http.get('/api/v1/commitments')).status).toBe(401);
    });

    it('minPosition: a read sees the command that answered it; a position not yet written is 503 with Retry-After', async () => {
      const res = await send(t, '/meetings', { occurredOn: '2017', format: 'other', partyIds: [az, mx], topics: ['Read your writes'] });
      last = res.body.position;
      const read = await t.http
        .get(`/api/v1/meetings/${res.body.id}?minPosition=${res.body.position}`)
        .set('Authorization', t.as('viewer').auth);
      expect(read.status).toBe(200);
      expect((await view('/meetings', { q: '"Read your writes"' })).body.items).toHaveLength(1);
      expect((await view('/meetings', { minPosition: 'abc' })).status).toBe(400);
      const later = await t.http.get(`/api/v1/meetings?minPosition=${Number(last) + 1000}`).set('Authorization', t.as('viewer').auth);
      expect(later.status).toBe(503);
      expect(later.headers['retry-after']).toBe('1');
    }, 15_000);
  });

  describe('agreements', () => {
    let inForce: string;
    let expired: string;
    let terminated: string;
    let terminatesLater: string;
    let renewed: string;
    let noExpiry: string;

    beforeAll(async () => {
      inForce = await cmd('/agreements', {
        title: 'Memorandum of Understanding',
        partyIds: [az, un],
        signedOn: year(-3),
        signatories: [{ personId: karimov, partyId: az }],
        effectiveFrom: `${year(-3)}-02`,
        expiresOn: year(2),
        areas: ['culture', 'intercultural dialogue'],
      });
      await cmd(`/agreements/${inForce}/amendments`, { summary: 'Adds the protection of religious monuments', on: `${year(-1)}-05` });
      expired = await cmd('/agreements', { title: 'Action plan', kind: 'action_plan', partyIds: [az, un], signedOn: year(-10), expiresOn: year(-2) });
      terminated = await cmd('/agreements', { title: 'Terminated', kind: 'agreement', partyIds: [az, mx], signedOn: year(-5), expiresOn: year(5) });
      await cmd(`/agreements/${terminated}/termination`, { on: year(-1), reason: 'Replaced by a new agreement' });
      terminatesLater = await cmd('/agreements', { title: 'Ends next year', kind: 'agreement', partyIds: [az, mx], signedOn: year(-5) });
      await cmd(`/agreements/${terminatesLater}/termination`, { on: year(1), reason: 'Notice given' });
      renewed = await cmd('/agreements', { title: 'Renewed', kind: 'agreement', partyIds: [az, mx], signedOn: year(-10), expiresOn: year(-3) });
      await cmd(`/agreements/${renewed}/renewal`, { expiresOn: year(3) });
      noExpiry = await cmd('/agreements', { title: 'Cooperation in education, science, youth, culture and sports', kind: 'agreement', partyIds: [az, mx], signedOn: '2019' });
    });

    it('status is derived for today and filtered: in force, expired, terminated', async () => {
      expect(ids(await view('/agreements', { status: 'in_force' })).sort()).toEqual([inForce, terminatesLater, renewed, noExpiry].sort());
      expect(ids(await view('/agreements', { status: 'expired' }))).toEqual([expired]);
      expect(ids(await view('/agreements', { status: 'terminated' }))).toEqual([terminated]);
      const all = await view('/agreements');
      const statuses = Object.fromEntries(all.body.items.map((a: Item) => [a.id, a.status]));
      expect(statuses).toEqual({
        [inForce]: 'in_force',
        [expired]: 'expired',
        [terminated]: 'terminated',
        [terminatesLater]: 'in_force',
        [renewed]: 'in_force',
        [noExpiry]: 'in_force',
      });
    });

    it('filters by party and kind, newest signed first, and pages', async () => {
      expect(ids(await view('/agreements', { partyId: un }))).toEqual([inForce, expired]);
      expect(ids(await view('/agreements', { kind: 'mou' }))).toEqual([inForce]);
      expect(ids(await view('/agreements', { partyId: mx, status: 'in_force', kind: 'agreement' })).sort()).toEqual([terminatesLater, renewed, noExpiry].sort());
      const p1 = await view('/agreements', { partyId: mx, limit: '3' });
      const p2 = await view('/agreements', { partyId: mx, limit: '3', cursor: p1.body.next });
      expect(p2.body.next).toBeNull();
      expect([...ids(p1), ...ids(p2)].sort()).toEqual([terminated, terminatesLater, renewed, noExpiry].sort());
      const signed = [...p1.body.items, ...p2.body.items].map((a: Item) => a.signedOn);
      expect(signed).toEqual([year(-5), year(-5), '2019', year(-10)].sort((a, b) => Number(b) - Number(a)));
    });

    it('GET /agreements/{id}: parties, signatories, amendments, renewals, termination', async () => {
      const one = await view(`/agreements/${inForce}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual({
        id: inForce,
        title: 'Memorandum of Understanding',
        kind: 'mou',
        status: 'in_force',
        parties: [
          { id: az, name: 'Republic of Azerbaijan' },
          { id: un, name: 'United Nations Alliance of Civilizations' },
        ],
        signedOn: year(-3),
        signatories: [{ person: { id: karimov, fullName: 'Anar Karimov' }, party: { id: az, name: 'Republic of Azerbaijan' } }],
        effectiveFrom: `${year(-3)}-02`,
        expiresOn: year(2),
        areas: ['culture', 'intercultural dialogue'],
        amendments: [{ summary: 'Adds the protection of religious monuments', on: `${year(-1)}-05` }],
        renewals: [],
        terminated: null,
      });
      expect((await view(`/agreements/${renewed}`)).body).toMatchObject({ expiresOn: year(3), renewals: [{ expiresOn: year(3), previousExpiresOn: year(-3) }] });
      expect((await view(`/agreements/${terminated}`)).body).toMatchObject({ status: 'terminated', terminated: { on: year(-1), reason: 'Replaced by a new agreement' } });
      expect((await view(`/agreements/${terminatesLater}`)).body).toMatchObject({ status: 'in_force', terminated: { on: year(1), reason: 'Notice given' } });
    });

    it('404 for an unknown id; 400 for a bad status, kind, id or cursor', async () => {
      expect((await view(`/agreements/${UNKNOWN}`)).status).toBe(404);
      expect((await view('/agreements', { status: 'active' })).status).toBe(400);
      expect((await view('/agreements', { kind: 'treaty' })).status).toBe(400);
      expect((await view('/agreements/123')).status).toBe(400);
      expect((await view('/agreements', { cursor: '!!' })).status).toBe(400);
    });
  });

  describe('commitments', () => {
    let cc: string;
    let meeting: string;
    let c: Record<'overdue' | 'due' | 'undated' | 'fulfilled' | 'withdrawn', string>;

    beforeAll(async () => {
      cc = await registerParty(t, 'Coventry University', 'academic');
      meeting = await cmd('/meetings', {
        occurredOn: year(-3),
        format: 'in_person',
        partyIds: [az, cc],
        topics: ['Peace4Culture'],
        commitments: [
          { description: 'Overdue', dueBy: `${year(-1)}-06` },
          { description: 'Due next year', dueBy: year(1) },
          { description: 'No due date' },
          { description: 'Fulfilled', dueBy: `${year(-2)}-01` },
          { description: 'Withdrawn', dueBy: `${year(-2)}-02`, partyIds: [cc] },
        ],
      });
      const made = (await view(`/meetings/${meeting}`)).body.commitments as { id: string; description: string }[];
      const id = (d: string) => made.find((m) => m.description === d)!.id;
      c = { overdue: id('Overdue'), due: id('Due next year'), undated: id('No due date'), fulfilled: id('Fulfilled'), withdrawn: id('Withdrawn') };
      await cmd(`/commitments/${c.fulfilled}/fulfilment`, { on: `${year(-2)}-03-15`, note: 'Presented at the forum' });
      await cmd(`/commitments/${c.withdrawn}/withdrawal`, { reason: 'The campaign ended' });
    });

    it('lists soonest due first, undated last, each as the contract says with madeOn, fulfilledOn, note, withdrawnReason', async () => {
      const res = await view('/commitments', { partyId: cc });
      expect(ids(res)).toEqual([c.fulfilled, c.withdrawn, c.overdue, c.due, c.undated]);
      expect(res.body.items[2]).toEqual({
        id: c.overdue,
        description: 'Overdue',
        parties: [
          { id: az, name: 'Republic of Azerbaijan' },
          { id: cc, name: 'Coventry University' },
        ],
        dueBy: `${year(-1)}-06`,
        status: 'open',
        overdue: true,
        meetingId: meeting,
        forumId: null,
        madeOn: year(-3),
        fulfilledOn: null,
        note: null,
        withdrawnReason: null,
        meetingRetracted: null,
      });
      expect(res.body.items[0]).toMatchObject({ status: 'fulfilled', overdue: false, fulfilledOn: `${year(-2)}-03-15`, note: 'Presented at the forum' });
      expect(res.body.items[1]).toMatchObject({ status: 'withdrawn', overdue: false, withdrawnReason: 'The campaign ended', parties: [{ id: cc, name: 'Coventry University' }] });
    });

    it('filters open / fulfilled / withdrawn and overdue true / false', async () => {
      const of = async (query: Record<string, string>) => ids(await view('/commitments', { partyId: cc, ...query }));
      expect(await of({ status: 'open' })).toEqual([c.overdue, c.due, c.undated]);
      expect(await of({ status: 'fulfilled' })).toEqual([c.fulfilled]);
      expect(await of({ status: 'withdrawn' })).toEqual([c.withdrawn]);
      expect(await of({ overdue: 'true' })).toEqual([c.overdue]);
      expect(await of({ overdue: 'false' })).toEqual([c.fulfilled, c.withdrawn, c.due, c.undated]);
      expect(await of({ status: 'open', overdue: 'false' })).toEqual([c.due, c.undated]);
      expect(await of({ status: 'fulfilled', overdue: 'true' })).toEqual([]);
      expect(ids(await view('/commitments', { partyId: cc, limit: '2' }))).toEqual([c.fulfilled, c.withdrawn]);
      const p1 = await view('/commitments', { partyId: cc, limit: '3' });
      const p2 = await view('/commitments', { partyId: cc, limit: '3', cursor: p1.body.next });
      expect([...ids(p1), ...ids(p2)]).toEqual([c.fulfilled, c.withdrawn, c.overdue, c.due, c.undated]);
      expect(p2.body.next).toBeNull();
    });

    it('a commitment made in a meeting later retracted is not listed, but answers by id', async () => {
      const other = await cmd('/meetings', {
        occurredOn: year(-1),
        format: 'phone',
        partyIds: [az, cc],
        topics: ['Typed twice'],
        commitments: [{ description: 'From a record to retract', dueBy: year(-1) }],
      });
      const [made] = (await view(`/meetings/${other}`)).body.commitments as { id: string }[];
      expect(ids(await view('/commitments', { partyId: cc, overdue: 'true' }))).toContain(made.id);
      await cmd(`/meetings/${other}/retraction`, { reason: 'Typed twice' });
      expect(ids(await view('/commitments', { partyId: cc }))).not.toContain(made.id);
      expect(ids(await view('/commitments', { overdue: 'true' }))).not.toContain(made.id);
      const one = await view(`/commitments/${made.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: made.id, meetingId: other, status: 'open', meetingRetracted: { reason: 'Typed twice' } });
    });

    it('GET /commitments/{id}; 404 for an unknown id; 400 for bad filters', async () => {
      expect((await view(`/commitments/${c.withdrawn}`)).body).toMatchObject({ id: c.withdrawn, status: 'withdrawn', meetingRetracted: null });
      expect((await view(`/commitments/${UNKNOWN}`)).status).toBe(404);
      expect((await view('/commitments', { overdue: 'yes' })).status).toBe(400);
      expect((await view('/commitments', { status: 'done' })).status).toBe(400);
      expect((await view('/commitments', { partyId: 'cc' })).status).toBe(400);
    });
  });

  it('the OpenAPI document describes the read endpoints and their answers', async () => {
    const doc = (await t.http.get('/docs-json')).body;
    const get = (path: string) => doc.paths[`/api/v1${path}`]?.get;
    expect(get('/meetings/{id}').summary).toMatch(/retracted/);
    expect(get('/meetings').parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['partyId', 'from', 'to', 'q', 'limit', 'cursor', 'minPosition']));
    expect(get('/agreements').parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['partyId', 'status', 'kind']));
    expect(get('/commitments').parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['partyId', 'status', 'overdue']));
    for (const path of ['/meetings', '/meetings/{id}', '/agreements', '/agreements/{id}', '/commitments', '/commitments/{id}']) {
      expect(get(path).responses['200'].content['application/json'].schema.$ref).toMatch(/^#\/components\/schemas\//);
    }
    expect(Object.keys(doc.components.schemas.MeetingView.properties)).toEqual(
      expect.arrayContaining(['corrections', 'retracted', 'participants', 'commitments']),
    );
    expect(Object.keys(doc.components.schemas.CommitmentView.properties)).toEqual(expect.arrayContaining(['overdue', 'meetingRetracted']));
  });

  describe('rebuild', () => {
    it.each(['meetings', 'agreements', 'commitments'])('a rebuild of %s in compare mode gives identical rows', async (name) => {
      const report = await t.app.get(ProjectionRebuilder).rebuild(name, 'compare', 'test');
      expect(report).toMatchObject({ identical: true });
      expect(report.events).toBeGreaterThan(0);
      for (const table of report.tables) {
        expect(table).toMatchObject({ differing: 0, missingInLive: 0, missingInRebuild: 0 });
        expect(table.equal).toBeGreaterThan(0);
      }
    });
  });
});
