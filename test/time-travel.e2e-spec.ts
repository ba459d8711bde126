import { today } from '../src/shared/partial-date.js';
import { startTestApp, type RoleName, type TestApp } from './support/app.js';
import { send } from './support/fixtures.js';
import { recordHistory } from './support/history.js';

/**
 * Time travel on partnerships, forums, parties and agreements: `asOf` (the world on a date,
 * from what is recorded now) and `knownAt` (what the system held at an instant), over the real
 * history recorded through the API.
 */
describe('time travel: asOf and knownAt', () => {
  let t: TestApp;
  let ids: Map<string, string>;
  let last: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, last } = await recordHistory(t));
  });
  afterAll(() => t.close());

  const get = (path: string, query: Record<string, string> = {}, role: RoleName = 'auditor') =>
    t.http.get(`/api/v1${path}`).query(query).set('Authorization', t.as(role).auth);
  const id = (key: string) => {
    const v = ids.get(key);
    if (!v) throw new Error(`no id for ${key}`);
    return v;
  };
  const pairId = async (a: string, b: string) => {
    const res = await get('/partnerships', { partyId: id(a), limit: '500', minPosition: last });
    const pair = res.body.items.find((p: { parties: { id: string }[] }) => p.parties.some((x) => x.id === id(b)));
    if (!pair) throw new Error(`no partnership ${a}-${b}`);
    return pair.id as string;
  };
  const holders = (body: { officeHolders: { person: { fullName: string }; title: string }[] }) =>
    body.officeHolders.map((h) => `${h.person.fullName}: ${h.title}`).sort();

  it('a party as of a date: its name then, and who held its offices', async () => {
    const icesco = id('party:icesco');
    const before = await get(`/parties/${icesco}`, { asOf: '2015' });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: icesco, shortName: 'ISESCO', formerNames: [] });
    const after = await get(`/parties/${icesco}`, { asOf: '2021' });
    expect(after.body).toMatchObject({ shortName: 'ICESCO', formerNames: [expect.objectContaining({ shortName: 'ISESCO' })] });

    const ministry = id('party:culture-ministry');
    expect(holders((await get(`/parties/${ministry}`, { asOf: '2020-12' })).body)).toEqual(['Anar Karimov: First Deputy Minister and Acting Minister of Culture']);
    expect(holders((await get(`/parties/${ministry}`, { asOf: '2022' })).body)).toEqual(['Anar Karimov: Minister of Culture']);
    expect(holders((await get(`/parties/${ministry}`, { asOf: '2026-11-23' })).body)).toEqual(['Adil Karimli: Minister of Culture']);
    // and the live answer agrees with today's
    const live = await get(`/parties/${ministry}`, { minPosition: last }, 'viewer');
    expect(holders(live.body)).toEqual(['Adil Karimli: Minister of Culture']);
  });

  it('a partnership as of a date counts only what had happened by then', async () => {
    const pair = await pairId('party:azerbaijan', 'party:unaoc');
    const in2019 = await get(`/partnerships/${pair}`, { asOf: '2019' });
    expect(in2019.status).toBe(200);
    expect(in2019.body).toMatchObject({ id: pair, since: '2008', meetingsCount: 0, lastMeetingOn: null, agreementsInForce: [] });
    const in2021 = await get(`/partnerships/${pair}`, { asOf: '2021-12-31' });
    expect(in2021.body).toMatchObject({ meetingsCount: 2, lastMeetingOn: '2021' });
    const in2024 = await get(`/partnerships/${pair}`, { asOf: '2024' });
    expect(in2024.body).toMatchObject({ meetingsCount: 3, lastMeetingOn: '2023-03-08' });
    expect(in2024.body.agreementsInForce.map((a: { kind: string }) => a.kind)).toEqual(['mou']);
  });

  it('an agreement does not exist before it was signed, and was in force before it was terminated', async () => {
    const mou = id('agreement:unaoc-mou');
    expect((await get(`/agreements/${mou}`, { asOf: '2022' })).status).toBe(404);
    expect((await get(`/agreements/${mou}`, { asOf: '2023-03' })).body).toMatchObject({ id: mou, status: 'in_force', terminated: null });

    const az = id('party:azerbaijan');
    const un = id('party:unaoc');
    const signed = await send(t, '/agreements', { title: 'Action plan 2024', kind: 'action_plan', partyIds: [az, un], signedOn: '2024-01-10' });
    const ended = await send(t, `/agreements/${signed.body.id}/termination`, { on: '2025-06', reason: 'Superseded' });
    expect(ended.status).toBe(200);
    expect((await get(`/agreements/${signed.body.id}`, { asOf: '2024-12' })).body).toMatchObject({ status: 'in_force', terminated: null });
    expect((await get(`/agreements/${signed.body.id}`, { asOf: '2025' })).body).toMatchObject({ status: 'terminated', terminated: { on: '2025-06' } });
  });

  it('a record exists from the earliest thing that happened to it: a forum held in 2011 existed in 2015', async () => {
    // the tracker recorded its announcement only now, but it cannot have been later than the forum
    const wfid1 = await get(`/forums/${id('forum:wfid-1')}`, { asOf: '2015' });
    expect(wfid1.status).toBe(200);
    expect(wfid1.body).toMatchObject({ edition: 1, status: 'held', startsOn: '2011' });
    expect((await get(`/forums/${id('forum:wfid-1')}`, { asOf: '2010' })).status).toBe(404);
  });

  it('knownAt: what the system held at an instant, before a later command changed it', async () => {
    const forum = id('forum:wfid-7');
    const before = await get(`/forums/${forum}`, { minPosition: last }, 'viewer');
    expect(before.body.status).toBe('planned');
    // recorded_at is the committing transaction's clock, in milliseconds: step past it
    await new Promise((r) => setTimeout(r, 20));
    const instant = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const postponed = await send(t, `/forums/${forum}/postponement`, { reason: 'Venue unavailable', plannedFor: '2027' });
    expect(postponed.status).toBe(200);

    const then = await get(`/forums/${forum}`, { knownAt: instant });
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({ status: 'planned', plannedFor: before.body.plannedFor });
    expect(then.body.history).toEqual(before.body.history);
    const now = await get(`/forums/${forum}`, { knownAt: new Date(Date.now() + 1000).toISOString() });
    expect(now.body).toMatchObject({ status: 'postponed', plannedFor: '2027' });

    // before anything was recorded, nothing was known
    expect((await get(`/forums/${forum}`, { knownAt: '2000-01-01T00:00:00Z' })).status).toBe(404);
  });

  it('asOf and knownAt together: a retraction recorded later is unknown at an earlier instant', async () => {
    const az = id('party:azerbaijan');
    const mx = id('party:mexico');
    const pair = await pairId('party:azerbaijan', 'party:mexico');
    const base = (await get(`/partnerships/${pair}`, { asOf: '2026-11-23' })).body.meetingsCount as number;
    const met = await send(t, '/meetings', { occurredOn: '2026-02', format: 'virtual', partyIds: [az, mx], topics: ['Culture days'] });
    expect(met.status).toBe(201);
    await new Promise((r) => setTimeout(r, 20));
    const instant = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await send(t, `/meetings/${met.body.id}/retraction`, { reason: 'Recorded against the wrong partner' });

    expect((await get(`/partnerships/${pair}`, { asOf: '2026-03', knownAt: instant })).body.meetingsCount).toBe(base + 1);
    expect((await get(`/partnerships/${pair}`, { asOf: '2026-01', knownAt: instant })).body.meetingsCount).toBe(base);
    // from what is recorded now, the meeting never counted
    expect((await get(`/partnerships/${pair}`, { asOf: '2026-03' })).body.meetingsCount).toBe(base);
  });

  it('computes with the projections’ own code: at the present, time travel equals the live read model', async () => {
    const now = { asOf: today(), knownAt: new Date(Date.now() + 1000).toISOString() };
    const latest = (await t.ds.query(`select max(global_position)::text as p from events`))[0].p;
    const cases = [
      `/partnerships/${await pairId('party:azerbaijan', 'party:unaoc')}`,
      `/partnerships/${await pairId('party:azerbaijan', 'party:icesco')}`,
      `/forums/${id('forum:wfid-6')}`,
      `/forums/${id('forum:gf-12')}`,
      `/parties/${id('party:icesco')}`,
      `/parties/${id('party:culture-ministry')}`,
      `/agreements/${id('agreement:unaoc-mou')}`,
      `/agreements/${id('agreement:az-mx-cooperation')}`,
    ];
    for (const path of cases) {
      const live = await get(path, { minPosition: latest }, 'viewer');
      const travelled = await get(path, now);
      expect({ path, body: travelled.body }).toEqual({ path, body: live.body });
    }
  });

  it('is for auditors and admins; bad values are 400 naming the field', async () => {
    const path = `/parties/${id('party:unaoc')}`;
    expect((await get(path, { asOf: '2021' }, 'viewer')).status).toBe(403);
    expect((await get(path, { knownAt: '2026-01-01T00:00:00Z' }, 'recorder')).status).toBe(403);
    expect((await get(path, { asOf: '2021' }, 'admin')).status).toBe(200);
    for (const [query, field] of [
      [{ asOf: '2021-02-30' }, 'asOf'],
      [{ asOf: 'yesterday' }, 'asOf'],
      [{ knownAt: '2026-01-01' }, 'knownAt'],
      [{ knownAt: '2026-13-01T00:00:00Z' }, 'knownAt'],
    ] as const) {
      const res = await get(path, query);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await get('/agreements/0190a0a0-0000-7000-8000-000000000000', { asOf: '2021' })).status).toBe(404);
  });
});
