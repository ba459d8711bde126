import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { type TestApp, startTestApp } from './support/app.js';
import { registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const WORLD_FORUM = 'World Forum on Intercultural Dialogue';

interface Ref {
  id: string;
  name: string;
}
interface ForumItem {
  id: string;
  title: string | null;
  status: string;
  plannedFor: string | null;
  partners: Ref[];
}
interface Entry {
  id: string;
  on: string;
  kind: string;
  type: string;
  recordId: string;
  title: string;
  parties: Ref[];
}

describe('forums, initiatives and the timeline, read over HTTP', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let unesco: string;
  let mx: string;
  let last = '0';

  const view = (path: string, role: 'viewer' | 'auditor' = 'viewer') =>
    t.http.get(`/api/v1${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`).set('Authorization', t.as(role).auth);
  const cmd = async (path: string, body: object) => {
    const res = await send(t, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body.position;
    return res.body.id as string;
  };
  /** Every item of a list, following `next` page by page. */
  const all = async <T>(path: string, limit: number): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const res = await view(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.next;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state');
    un = await registerParty(t, 'United Nations Alliance of Civilizations');
    unesco = await registerParty(t, 'UNESCO');
    mx = await registerParty(t, 'United Mexican States', 'state');
  });
  afterAll(() => t.close());

  describe('GET /forums and GET /forums/{id}', () => {
    const series = 'Test series for the forum list';
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const announce = (title: string, plannedFor: string, extra: object = {}) =>
        cmd('/forums', { series, title, plannedFor, organizerPartyIds: [az], ...extra });
      ids.late = await announce('late', '2031-06');
      ids.year = await announce('year', '2031', { partnerPartyIds: [unesco] });
      ids.day = await announce('day', '2031-05-01');
      ids.held = await announce('held', '2011', { partnerPartyIds: [unesco] });
      await cmd(`/forums/${ids.held}/convening`, { startsOn: '2011-05-03', endsOn: '2011-05-05', venue: 'Baku Congress Centre' });
      ids.cancelled = await announce('cancelled', '2030');
      await cmd(`/forums/${ids.cancelled}/cancellation`, { reason: 'No host.' });
      ids.undated = await announce('undated', '2029');
      await cmd(`/forums/${ids.undated}/postponement`, { reason: 'Suspended.' });
    });

    it('lists a series in date order (held days, else planned date), undated last', async () => {
      const res = await view(`/forums?series=${encodeURIComponent(series)}`);
      expect(res.status).toBe(200);
      expect(res.body.next).toBeNull();
      expect(res.body.items.map((f: ForumItem) => [f.title, f.status])).toEqual([
        ['held', 'held'],
        ['cancelled', 'cancelled'],
        ['year', 'planned'],
        ['day', 'planned'],
        ['late', 'planned'],
        ['undated', 'postponed'],
      ]);
      expect(res.body.items[0]).toEqual({
        id: ids.held,
        series,
        edition: null,
        title: 'held',
        hostCity: null,
        host: null,
        status: 'held',
        plannedFor: '2011',
        startsOn: '2011-05-03',
        endsOn: '2011-05-05',
        venue: 'Baku Congress Centre',
        organizers: [{ id: az, name: 'Republic of Azerbaijan' }],
        partners: [{ id: unesco, name: 'UNESCO' }],
      });
    });

    it('filters by status and by party, and pages with a cursor', async () => {
      const s = encodeURIComponent(series);
      const held = await view(`/forums?series=${s}&status=held`);
      expect(held.body.items.map((f: ForumItem) => f.id)).toEqual([ids.held]);
      const planned = await view(`/forums?series=${s}&status=planned`);
      expect(planned.body.items.map((f: ForumItem) => f.title)).toEqual(['year', 'day', 'late']);
      const withUnesco = await view(`/forums?series=${s}&partyId=${unesco}`);
      expect(withUnesco.body.items.map((f: ForumItem) => f.title)).toEqual(['held', 'year']);
      expect((await view(`/forums?series=${s}&partyId=${mx}`)).body.items).toEqual([]);

      const paged = await all<ForumItem>(`/forums?series=${s}`, 2);
      expect(paged.map((f) => f.title)).toEqual(['held', 'cancelled', 'year', 'day', 'late', 'undated']);
    });

    it('refuses a bad filter, a bad cursor, an unknown parameter; asks for a token', async () => {
      expect((await view('/forums?status=suspended')).status).toBe(400);
      expect((await view('/forums?partyId=abc')).status).toBe(400);
      expect((await view('/forums?cursor=!!')).status).toBe(400);
      expect((await view('/forums?limit=501')).status).toBe(400);
      expect((await view('/forums?colour=red')).status).toBe(400);
      expect((await t.http.get('/api/v1/forums')).status).toBe(401);
      expect((await t.http.get(`/api/v1/forums/${ids.held}`)).status).toBe(401);
    });

    it('shows one forum with its status history: announced for 2021, postponed without a date, confirmed for 2024', async () => {
      const wf6 = await cmd('/forums', { series: WORLD_FORUM, edition: 6, hostCity: 'Baku', hostPartyId: az, plannedFor: '2021', organizerPartyIds: [az], partnerPartyIds: [un] });
      await cmd(`/forums/${wf6}/postponement`, { reason: 'Temporarily suspended because of the COVID-19 pandemic.' });
      await cmd(`/forums/${wf6}/confirmation`, { plannedFor: '2024' });

      const res = await view(`/forums/${wf6}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: wf6,
        series: WORLD_FORUM,
        edition: 6,
        title: null,
        hostCity: 'Baku',
        host: { id: az, name: 'Republic of Azerbaijan' },
        status: 'planned',
        plannedFor: '2024',
        startsOn: null,
        endsOn: null,
        venue: null,
        organizers: [{ id: az, name: 'Republic of Azerbaijan' }],
        partners: [{ id: un, name: 'United Nations Alliance of Civilizations' }],
        history: [
          { status: 'planned', event: 'ForumAnnounced', plannedFor: '2021', startsOn: null, endsOn: null, reason: null, recordedAt: expect.any(String) },
          {
            status: 'postponed',
            event: 'ForumPostponed',
            plannedFor: null,
            startsOn: null,
            endsOn: null,
            reason: 'Temporarily suspended because of the COVID-19 pandemic.',
            recordedAt: expect.any(String),
          },
          { status: 'planned', event: 'ForumConfirmed', plannedFor: '2024', startsOn: null, endsOn: null, reason: null, recordedAt: expect.any(String) },
        ],
      });
      const times = res.body.history.map((h: { recordedAt: string }) => h.recordedAt);
      expect(times.every((x: string) => !Number.isNaN(Date.parse(x)))).toBe(true);
      expect([...times].sort()).toEqual(times);
      // the auditor reads projections too
      expect((await view(`/forums/${wf6}`, 'auditor')).status).toBe(200);
    });

    it('answers 404 for an unknown forum and 400 for an id that is not one; upcoming is not taken for an id', async () => {
      expect((await view(`/forums/${UNKNOWN}`)).status).toBe(404);
      expect((await view('/forums/not-a-uuid')).status).toBe(400);
      const upcoming = await view(`/forums/upcoming?series=${encodeURIComponent(series)}&from=2030`);
      expect(upcoming.status).toBe(200);
      expect(upcoming.body.items.map((f: ForumItem) => f.title)).toEqual(['year', 'day', 'late', 'undated']);
    });
  });

  describe('GET /initiatives and GET /initiatives/{id}', () => {
    let baku: string;
    let p4c: string;
    let one: string;

    beforeAll(async () => {
      one = await cmd('/initiatives', { name: 'One Humanity', kind: 'programme', launchedOn: '2023-03', leadPartyId: un, partnerPartyIds: [az] });
      p4c = await cmd('/initiatives', { name: 'Peace4Culture', kind: 'campaign', launchedOn: '2021', leadPartyId: az, partnerPartyIds: [unesco] });
      baku = await cmd('/initiatives', { name: 'Baku Process', kind: 'process', launchedOn: '2008', leadPartyId: az, partnerPartyIds: [unesco, un] });
    });

    it('lists initiatives by launch date, filters by kind and party, and pages', async () => {
      const res = await view('/initiatives');
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([baku, p4c, one]);
      expect(res.body.next).toBeNull();
      expect((await view('/initiatives?kind=campaign')).body.items.map((i: { id: string }) => i.id)).toEqual([p4c]);
      expect((await view(`/initiatives?partyId=${un}`)).body.items.map((i: { id: string }) => i.id)).toEqual([baku, one]);
      expect((await all<{ id: string }>('/initiatives', 1)).map((i) => i.id)).toEqual([baku, p4c, one]);
      expect((await view('/initiatives?kind=festival')).status).toBe(400);
      expect((await view('/initiatives?partyId=x')).status).toBe(400);
    });

    it('shows one initiative with its lead and partners', async () => {
      const res = await view(`/initiatives/${baku}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: baku,
        name: 'Baku Process',
        kind: 'process',
        launchedOn: '2008',
        lead: { id: az, name: 'Republic of Azerbaijan' },
        partners: [
          { id: unesco, name: 'UNESCO' },
          { id: un, name: 'United Nations Alliance of Civilizations' },
        ],
      });
      expect((await view(`/initiatives/${UNKNOWN}`)).status).toBe(404);
      expect((await view('/initiatives/123')).status).toBe(400);
      expect((await t.http.get(`/api/v1/initiatives/${baku}`)).status).toBe(401);
    });
  });

  describe('GET /timeline', () => {
    let partnership: string;
    let meeting: string;
    let retracted: string;

    beforeAll(async () => {
      partnership = await cmd('/partnerships', { partyIds: [az, un], since: '2010', basis: 'Partner of the World Forum since 2010' });
      meeting = await cmd('/meetings', { occurredOn: '2020-12', format: 'virtual', partyIds: [az, un], topics: ['Baku Process', '6th World Forum in 2021'] });
      await cmd(`/meetings/${meeting}/corrections`, { reason: 'The article gives the day.', changes: { occurredOn: '2020-12-02', title: 'Karimov and Moratinos, virtual conference' } });
      retracted = await cmd('/meetings', { occurredOn: '2019', format: 'phone', partyIds: [az, un], topics: ['A call that did not happen'] });
      await cmd(`/meetings/${retracted}/retraction`, { reason: 'Recorded by mistake.' });
      await cmd(`/parties/${mx}/renaming`, { name: 'Mexico', effectiveOn: '2026' });
    });

    it('tells a party\'s story in world order: 2008 before 2010 before 2020-12-02; a corrected meeting on its corrected day', async () => {
      const res = await view(`/timeline?partyId=${un}&to=2021`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((e: Entry) => [e.on, e.kind, e.type])).toEqual([
        ['2008', 'initiative', 'InitiativeLaunched'],
        ['2010', 'partnership', 'PartnershipEstablished'],
        ['2020-12-02', 'meeting', 'MeetingRecorded'],
      ]);
      const [launch, established, met] = res.body.items as Entry[];
      expect(launch).toEqual({
        id: expect.stringMatching(/^\d+$/),
        on: '2008',
        kind: 'initiative',
        type: 'InitiativeLaunched',
        recordId: expect.any(String),
        title: 'Baku Process launched',
        parties: [
          { id: az, name: 'Republic of Azerbaijan' },
          { id: unesco, name: 'UNESCO' },
          { id: un, name: 'United Nations Alliance of Civilizations' },
        ],
      });
      expect(established).toMatchObject({ recordId: partnership, title: 'Partnership established: Partner of the World Forum since 2010' });
      expect(met).toMatchObject({ recordId: meeting, title: 'Karimov and Moratinos, virtual conference' });
    });

    it('leaves a retracted meeting out', async () => {
      const items = await all<Entry>(`/timeline?partyId=${az}`, 500);
      expect(items.map((e) => e.recordId)).toContain(meeting);
      expect(items.map((e) => e.recordId)).not.toContain(retracted);
    });

    it('shows every fact, the ones without a world date on the day they were recorded, in date order then recording order', async () => {
      const items = await all<Entry>('/timeline', 500);
      const types = new Set(items.map((e) => e.type));
      for (const type of ['PartyRegistered', 'PartyRenamed', 'PartnershipEstablished', 'InitiativeLaunched', 'ForumAnnounced', 'ForumPostponed', 'ForumConfirmed', 'ForumConvened', 'ForumCancelled', 'MeetingRecorded']) {
        expect(types).toContain(type);
      }
      const today = new Date().toISOString().slice(0, 10);
      const registered = items.find((e) => e.type === 'PartyRegistered' && e.recordId === az)!;
      expect(registered).toMatchObject({ on: today, kind: 'party', title: 'Party registered: Republic of Azerbaijan', parties: [{ id: az, name: 'Republic of Azerbaijan' }] });
      expect(items.find((e) => e.type === 'ForumPostponed' && e.title.startsWith('6th'))).toMatchObject({
        on: today,
        kind: 'forum',
        title: '6th World Forum on Intercultural Dialogue postponed: Temporarily suspended because of the COVID-19 pandemic.',
      });
      const firstDay = (on: string) => (on.length === 4 ? `${on}-01-01` : on.length === 7 ? `${on}-01` : on);
      const days = items.map((e) => firstDay(e.on));
      expect([...days].sort()).toEqual(days);
      // paged with a small limit, the same entries in the same order
      expect((await all<Entry>('/timeline', 7)).map((e) => e.id)).toEqual(items.map((e) => e.id));
    });

    it('keeps entries whose date overlaps from and to', async () => {
      const between = await view(`/timeline?partyId=${un}&from=2010-06&to=2020-12`);
      expect(between.body.items.map((e: Entry) => e.on)).toEqual(['2010', '2020-12-02']);
      // a rename effective in 2026 is within from=2026-05
      const renamed = await view(`/timeline?partyId=${mx}&from=2026-05`);
      expect(renamed.body.items.map((e: Entry) => [e.on, e.type, e.title])).toContainEqual(['2026', 'PartyRenamed', 'United Mexican States renamed Mexico']);
      // parties under their current names
      expect(renamed.body.items.flatMap((e: Entry) => e.parties)).toContainEqual({ id: mx, name: 'Mexico' });
      const none = await view(`/timeline?partyId=${un}&from=2009-01&to=2009-12`);
      expect(none.body).toEqual({ items: [], next: null });
    });

    it('refuses bad dates, a period that ends before it starts, a bad party, a bad cursor; asks for a token', async () => {
      expect((await view('/timeline?from=2021-13')).status).toBe(400);
      expect((await view('/timeline?to=21')).status).toBe(400);
      const backwards = await view('/timeline?from=2021&to=2020-12');
      expect(backwards.status).toBe(400);
      expect(backwards.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await view('/timeline?partyId=nobody')).status).toBe(400);
      expect((await view('/timeline?cursor=WyJ4Il0')).status).toBe(400);
      expect((await view('/timeline?q=x')).status).toBe(400);
      expect((await t.http.get('/api/v1/timeline')).status).toBe(401);
    });

    it('waits for minPosition: a write is seen at once by the next read', async () => {
      const id = await cmd('/initiatives', { name: 'Action Plan for the Protection of Religious Monuments', kind: 'action_plan', launchedOn: '2019', leadPartyId: un });
      const [initiatives, timeline] = await Promise.all([view(`/initiatives/${id}`), view(`/timeline?partyId=${un}&from=2019&to=2019`)]);
      expect(initiatives.status).toBe(200);
      expect(timeline.body.items.map((e: Entry) => e.recordId)).toEqual([id]);
      for (const path of ['/forums', '/initiatives', '/timeline']) {
        expect((await t.http.get(`/api/v1${path}?minPosition=abc`).set('Authorization', t.as('viewer').auth)).status).toBe(400);
      }
    });
  });

  describe('rebuild, once everything above is recorded', () => {
    it('rebuilds forums, initiatives and the timeline into rows identical to the live ones', async () => {
      const rebuilder = t.app.get(ProjectionRebuilder);
      for (const name of ['forums', 'initiatives', 'timeline']) {
        const report = await rebuilder.rebuild(name, 'compare', 'test');
        expect({ name, identical: report.identical, missing: report.tables.reduce((n, x) => n + x.missingInLive + x.missingInRebuild, 0) }).toEqual({
          name,
          identical: true,
          missing: 0,
        });
        expect(report.tables.reduce((n, x) => n + x.equal, 0)).toBeGreaterThan(0);
      }
    });
  });
});
