import type { Response } from 'supertest';
import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';
const WORLD_FORUM = 'World Forum on Intercultural Dialogue';

interface UpcomingItem {
  id: string;
  status: string;
  plannedFor: string | null;
  startsOn: string | null;
  endsOn: string | null;
  partners: { id: string; name: string }[];
}

describe('forum lifecycle over HTTP', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let unesco: string;
  let seriesCount = 0;
  /** Each test its own series, so that the upcoming list holds only its forums. */
  const series = (name: string) => `${name} #${++seriesCount}`;

  /** A command that must succeed: answers its body. */
  const ok = async (path: string, body: object, expected = 200, headers: Record<string, string> = {}) => {
    const res = await send(t, path, body, headers);
    if (res.status !== expected) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number; position: string };
  };

  const announce = (body: object) => ok('/forums', { organizerPartyIds: [az], ...body }, 201);

  const upcoming = async (s: string, minPosition: string, from?: string): Promise<UpcomingItem[]> => {
    const res = await t.http
      .get('/api/v1/forums/upcoming')
      .query({ series: s, minPosition, ...(from ? { from } : {}) })
      .set('Authorization', t.as('viewer').auth);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  /** A refused command: its status (and code), and not one event written. */
  const refused = async (call: () => Promise<Response>, status: number, code?: string): Promise<Response> => {
    const before = await eventCount(t);
    const res = await call();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code: code ?? expect.anything() });
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await eventCount(t)).toBe(before);
    return res;
  };

  const fields = (res: Response) => res.body.errors.map((e: { field: string }) => e.field).sort();

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state', { shortName: 'Azerbaijan' });
    un = await registerParty(t, 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' });
    unesco = await registerParty(t, 'UNESCO', 'international_organization');
  });
  afterAll(() => t.close());

  describe('the 6th World Forum: announced for 2021, suspended because of COVID-19, to resume in 2024', () => {
    it('lists a forum postponed without a date last whatever from is, then back in date order once confirmed', async () => {
      const s = series(WORLD_FORUM);
      const wf6 = await announce({ series: s, edition: 6, hostCity: 'Baku', hostPartyId: az, plannedFor: '2021', partnerPartyIds: [un] });
      await announce({ series: s, title: 'earlier', plannedFor: '2023' });
      const later = await announce({ series: s, title: 'later', plannedFor: '2025' });

      const postponed = await send(t, `/forums/${wf6.id}/postponement`, { reason: 'Temporarily suspended because of the COVID-19 pandemic.' }, { 'If-Match': '"1"' });
      expect(postponed.status).toBe(200);
      expect(postponed.body).toEqual({ id: wf6.id, version: 2, position: expect.stringMatching(/^\d+$/) });
      expect(postponed.headers.etag).toBe('"2"');
      expect(postponed.headers.location).toBeUndefined();
      const [event] = await t.ds.query(`select type, data from events where stream_id = $1 and stream_version = 2`, [wf6.id]);
      expect(event).toEqual({ type: 'ForumPostponed', data: { forumId: wf6.id, reason: 'Temporarily suspended because of the COVID-19 pandemic.', plannedFor: null } });

      for (const from of ['2020', '2025-06', '2099']) {
        const items = await upcoming(s, postponed.body.position, from);
        expect(items[items.length - 1]).toMatchObject({ id: wf6.id, status: 'postponed', plannedFor: null, startsOn: null, endsOn: null });
      }
      expect((await upcoming(s, postponed.body.position, '2020')).map((f) => f.plannedFor)).toEqual(['2023', '2025', null]);
      expect((await upcoming(s, postponed.body.position, '2099')).map((f) => f.id)).toEqual([wf6.id]);

      const confirmed = await ok(`/forums/${wf6.id}/confirmation`, { plannedFor: '2024' }, 200, { 'If-Match': '"2"' });
      expect(confirmed.version).toBe(3);
      const items = await upcoming(s, confirmed.position, '2020');
      expect(items.map((f) => [f.plannedFor, f.status])).toEqual([
        ['2023', 'planned'],
        ['2024', 'planned'],
        ['2025', 'planned'],
      ]);
      expect(items[1].id).toBe(wf6.id);
      expect(items[2].id).toBe(later.id);
    });

    it('needs a date to confirm a forum postponed without one (400)', async () => {
      const f = await announce({ series: series(WORLD_FORUM), plannedFor: '2021' });
      await ok(`/forums/${f.id}/postponement`, { reason: 'COVID-19' });
      const res = await refused(() => send(t, `/forums/${f.id}/confirmation`, {}), 400, 'VALIDATION');
      expect(fields(res)).toEqual(['plannedFor']);
    });

    it('postpones to a later date; one earlier than planned is 409 FORUM.NOT_LATER', async () => {
      const s = series(WORLD_FORUM);
      const f = await announce({ series: s, plannedFor: '2021' });
      await refused(() => send(t, `/forums/${f.id}/postponement`, { reason: 'x', plannedFor: '2020-12' }), 409, 'FORUM.NOT_LATER');
      const res = await ok(`/forums/${f.id}/postponement`, { reason: 'COVID-19', plannedFor: '2024' });
      expect(await upcoming(s, res.position, '2022')).toMatchObject([{ id: f.id, status: 'postponed', plannedFor: '2024' }]);
    });
  });

  describe('schedule, then held', () => {
    it('schedules exact days, records the forum held, after which it leaves the upcoming list', async () => {
      const s = series(WORLD_FORUM);
      const f = await announce({ series: s, edition: 1, plannedFor: '2011' });
      const scheduled = await ok(`/forums/${f.id}/schedule`, { startsOn: '2011-04-07', endsOn: '2011-04-09', venue: 'Baku' });
      expect(await upcoming(s, scheduled.position, '2011-04-08')).toMatchObject([
        { id: f.id, status: 'scheduled', plannedFor: '2011', startsOn: '2011-04-07', endsOn: '2011-04-09' },
      ]);
      // Scheduled days, not the planned year, decide what is wholly before `from`.
      expect(await upcoming(s, scheduled.position, '2011-04-10')).toEqual([]);

      const held = await ok(`/forums/${f.id}/convening`, { startsOn: '2011-04-07', endsOn: '2011-04-09' });
      expect(held.version).toBe(3);
      const [event] = await t.ds.query(`select type, occurred_on, data from events where stream_id = $1 and stream_version = 3`, [f.id]);
      expect(event).toEqual({ type: 'ForumConvened', occurred_on: '2011-04-07', data: { forumId: f.id, startsOn: '2011-04-07', endsOn: '2011-04-09', venue: null } });
      expect(await upcoming(s, held.position, '2000')).toEqual([]);
    });

    it('records held on the partial dates the sources give ("held 2011")', async () => {
      const s = series(WORLD_FORUM);
      const f = await announce({ series: s, plannedFor: '2011' });
      const held = await ok(`/forums/${f.id}/convening`, { startsOn: '2011', venue: 'Baku' });
      const [event] = await t.ds.query(`select occurred_on, data from events where stream_id = $1 and stream_version = 2`, [f.id]);
      expect(event).toEqual({ occurred_on: '2011', data: { forumId: f.id, startsOn: '2011', endsOn: null, venue: 'Baku' } });
      expect(await upcoming(s, held.position, '2000')).toEqual([]);
    });
  });

  describe('the 12th UNAOC Global Forum: proposed, then confirmed, then scheduled', () => {
    it('refuses to schedule before confirmation, then confirms keeping 2027 and schedules', async () => {
      const s = series('UNAOC Global Forum');
      const gf = await announce({ series: s, edition: 12, plannedFor: '2027', organizerPartyIds: [un], hostPartyId: az, proposed: true });
      await refused(() => send(t, `/forums/${gf.id}/schedule`, { startsOn: '2027-05-01', endsOn: '2027-05-03' }), 409, 'FORUM.NOT_CONFIRMED');

      // No body at all: the forum keeps the date it was proposed for.
      const confirmed = await t.http.post(`/api/v1/forums/${gf.id}/confirmation`).set('Authorization', t.as('recorder').auth);
      expect(confirmed.status).toBe(200);
      expect(await upcoming(s, confirmed.body.position, '2026')).toMatchObject([{ id: gf.id, status: 'planned', plannedFor: '2027' }]);
      await refused(() => send(t, `/forums/${gf.id}/confirmation`, {}), 409, 'FORUM.NOT_PROPOSED');

      const scheduled = await ok(`/forums/${gf.id}/schedule`, { startsOn: '2027-05-01', endsOn: '2027-05-03', venue: 'Baku Congress Center' });
      expect(scheduled.version).toBe(3);
      expect(await upcoming(s, scheduled.position, '2026')).toMatchObject([
        { id: gf.id, status: 'scheduled', plannedFor: '2027', startsOn: '2027-05-01', endsOn: '2027-05-03' },
      ]);
    });
  });

  describe('cancellation', () => {
    it('cancels a forum, which leaves the upcoming list and can be neither held nor cancelled again', async () => {
      const s = series('Cancelled series');
      const f = await announce({ series: s, plannedFor: '2030' });
      const cancelled = await ok(`/forums/${f.id}/cancellation`, { reason: 'The hosting initiative was not taken up.' });
      const [event] = await t.ds.query(`select type, data from events where stream_id = $1 and stream_version = 2`, [f.id]);
      expect(event).toEqual({ type: 'ForumCancelled', data: { forumId: f.id, reason: 'The hosting initiative was not taken up.' } });
      expect(await upcoming(s, cancelled.position, '2000')).toEqual([]);
      await refused(() => send(t, `/forums/${f.id}/convening`, { startsOn: '2025' }), 409, 'FORUM.CANCELLED');
      await refused(() => send(t, `/forums/${f.id}/cancellation`, { reason: 'again' }), 409, 'FORUM.CANCELLED');
      await refused(() => send(t, `/forums/${f.id}/schedule`, { startsOn: '2030-05-01', endsOn: '2030-05-02' }), 409, 'FORUM.CANCELLED');
      await refused(() => send(t, `/forums/${f.id}/partners`, { partyId: unesco }), 409, 'FORUM.CANCELLED');
    });
  });

  describe('partners', () => {
    it('adds a registered party as partner, shown in the upcoming item; twice is 409 FORUM.ALREADY_PARTNER', async () => {
      const s = series(WORLD_FORUM);
      const f = await announce({ series: s, edition: 7, plannedFor: '2026', partnerPartyIds: [un] });
      const added = await ok(`/forums/${f.id}/partners`, { partyId: unesco });
      expect(added.version).toBe(2);
      const [item] = await upcoming(s, added.position, '2026');
      expect(item.partners).toEqual([
        { id: un, name: 'United Nations Alliance of Civilizations' },
        { id: unesco, name: 'UNESCO' },
      ]);
      await refused(() => send(t, `/forums/${f.id}/partners`, { partyId: unesco }), 409, 'FORUM.ALREADY_PARTNER');
      await refused(() => send(t, `/forums/${f.id}/partners`, { partyId: az }), 409, 'FORUM.ALREADY_PARTNER');
    });

    it('422 for a party that is not registered, naming the field', async () => {
      const f = await announce({ series: series(WORLD_FORUM), plannedFor: '2026' });
      const res = await refused(() => send(t, `/forums/${f.id}/partners`, { partyId: UNKNOWN }), 422, 'UNKNOWN_REFERENCE');
      expect(res.body.errors).toEqual([{ field: 'partyId', message: expect.stringContaining('no registered party') }]);
      // A forum is no party.
      await refused(() => send(t, `/forums/${f.id}/partners`, { partyId: f.id }), 422, 'UNKNOWN_REFERENCE');
    });
  });

  describe('illegal moves (409, nothing written)', () => {
    it('refuses to postpone, cancel, confirm or hold again a forum that was held', async () => {
      const f = await announce({ series: series(WORLD_FORUM), plannedFor: '2013' });
      await ok(`/forums/${f.id}/convening`, { startsOn: '2013' });
      await refused(() => send(t, `/forums/${f.id}/postponement`, { reason: 'COVID-19' }), 409, 'FORUM.ALREADY_HELD');
      await refused(() => send(t, `/forums/${f.id}/cancellation`, { reason: 'x' }), 409, 'FORUM.ALREADY_HELD');
      await refused(() => send(t, `/forums/${f.id}/confirmation`, { plannedFor: '2014' }), 409, 'FORUM.ALREADY_HELD');
      await refused(() => send(t, `/forums/${f.id}/convening`, { startsOn: '2013' }), 409, 'FORUM.ALREADY_HELD');
      await refused(() => send(t, `/forums/${f.id}/schedule`, { startsOn: '2013-05-01', endsOn: '2013-05-02' }), 409, 'FORUM.ALREADY_HELD');
    });
  });

  describe('bad input (400, nothing written)', () => {
    let forum: string;
    beforeAll(async () => {
      forum = (await announce({ series: series('Bad input'), plannedFor: '2026' })).id;
    });

    it.each([
      ['schedule: endsOn before startsOn', 'schedule', { startsOn: '2026-05-03', endsOn: '2026-05-01' }, ['endsOn']],
      ['schedule: dates that are not full days', 'schedule', { startsOn: '2026-05', endsOn: '2026' }, ['endsOn', 'startsOn']],
      ['schedule: a day that does not exist', 'schedule', { startsOn: '2026-02-29', endsOn: '2026-03-01' }, ['startsOn']],
      ['schedule: missing days', 'schedule', {}, ['endsOn', 'startsOn']],
      ['postponement: missing reason', 'postponement', { plannedFor: '2027' }, ['reason']],
      ['postponement: unknown field', 'postponement', { reason: 'x', colour: 'blue' }, ['colour']],
      ['postponement: a date that is no date', 'postponement', { reason: 'x', plannedFor: 'next year' }, ['plannedFor']],
      ['postponement: a blank reason', 'postponement', { reason: '   ' }, ['reason']],
      ['cancellation: missing reason', 'cancellation', {}, ['reason']],
      ['cancellation: a reason over its limit', 'cancellation', { reason: 'x'.repeat(2001) }, ['reason']],
      ['confirmation: a bad date', 'confirmation', { plannedFor: '2026-13' }, ['plannedFor']],
      ['confirmation: a wrong type', 'confirmation', { plannedFor: 2026 }, ['plannedFor']],
      ['convening: missing startsOn', 'convening', { venue: 'Baku' }, ['startsOn']],
      ['convening: endsOn wholly before startsOn', 'convening', { startsOn: '2011-04-07', endsOn: '2011-03' }, ['endsOn']],
      ['convening: a start after today', 'convening', { startsOn: '2999' }, ['startsOn']],
      ['partners: a partyId that is no UUID', 'partners', { partyId: 'unesco' }, ['partyId']],
      ['partners: unknown field', 'partners', { partyId: UNKNOWN, role: 'sponsor' }, ['role']],
    ])('400 for %s', async (_, route, body, expected) => {
      const res = await refused(() => send(t, `/forums/${forum}/${route}`, body), 400, 'VALIDATION');
      expect(res.body).toMatchObject({ title: 'Bad Request', status: 400, detail: expect.any(String) });
      expect([...new Set(fields(res))]).toEqual(expected);
    });

    it('400 for a forum id that is not a UUID', async () => {
      const res = await refused(() => send(t, '/forums/not-a-uuid/cancellation', { reason: 'x' }), 400, 'VALIDATION');
      expect(fields(res)).toEqual(['id']);
    });
  });

  describe('who, which forum, which version', () => {
    const valid: [string, object][] = [
      ['confirmation', { plannedFor: '2027' }],
      ['schedule', { startsOn: '2026-05-01', endsOn: '2026-05-03' }],
      ['postponement', { reason: 'x' }],
      ['convening', { startsOn: '2011' }],
      ['cancellation', { reason: 'x' }],
      ['partners', { partyId: '' }],
    ];
    const bodyFor = (body: object) => ('partyId' in body ? { partyId: unesco } : body);

    it.each(valid)('404 on %s of a forum that does not exist', async (route, body) => {
      const res = await refused(() => send(t, `/forums/${UNKNOWN}/${route}`, bodyFor(body)), 404, 'NOT_FOUND');
      expect(res.body.detail).toContain(UNKNOWN);
    });

    it('404 for an id that names a party, not a forum', async () => {
      await refused(() => send(t, `/forums/${az}/cancellation`, { reason: 'x' }), 404, 'NOT_FOUND');
    });

    it.each(valid)('403 on %s for a viewer or an auditor, 401 without a token', async (route, body) => {
      const f = await announce({ series: series('Access'), plannedFor: '2026' });
      await refused(() => t.http.post(`/api/v1/forums/${f.id}/${route}`).set('Authorization', t.as('viewer').auth).send(bodyFor(body)), 403);
      await refused(() => t.http.post(`/api/v1/forums/${f.id}/${route}`).set('Authorization', t.as('auditor').auth).send(bodyFor(body)), 403);
      await refused(() => t.http.post(`/api/v1/forums/${f.id}/${route}`).send(bodyFor(body)), 401);
    });

    it('If-Match with the current version succeeds; a stale one gets 412 and writes nothing', async () => {
      const f = await announce({ series: series('Concurrency'), plannedFor: '2030' });
      const first = await send(t, `/forums/${f.id}/partners`, { partyId: unesco }, { 'If-Match': '"1"' });
      expect(first.status).toBe(200);
      expect(first.headers.etag).toBe('"2"');
      const stale = await refused(() => send(t, `/forums/${f.id}/postponement`, { reason: 'x' }, { 'If-Match': '"1"' }), 412, 'CONCURRENCY.STALE_VERSION');
      expect(stale.body.status).toBe(412);
      await refused(() => send(t, `/forums/${f.id}/cancellation`, { reason: 'x' }, { 'If-Match': 'soon' }), 400, 'VALIDATION');
      const next = await send(t, `/forums/${f.id}/postponement`, { reason: 'x' }, { 'If-Match': '"2"' });
      expect(next.status).toBe(200);
      expect(next.body.version).toBe(3);
    });

    it('documents each command in the OpenAPI document, with If-Match and the event it writes', async () => {
      const doc = (await t.http.get('/docs-json')).body;
      const events: Record<string, string> = {
        confirmation: 'ForumConfirmed',
        schedule: 'ForumScheduled',
        postponement: 'ForumPostponed',
        convening: 'ForumConvened',
        cancellation: 'ForumCancelled',
        partners: 'ForumPartnerAdded',
      };
      for (const [route, event] of Object.entries(events)) {
        const op = doc.paths[`/api/v1/forums/{id}/${route}`]?.post;
        expect({ route, tags: op?.tags, summary: op?.summary }).toEqual({ route, tags: ['forums'], summary: expect.stringContaining(event) });
        expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(['header:If-Match', 'path:id']);
      }
    });

    it('writes who sent each command into the event metadata', async () => {
      const f = await announce({ series: series('Metadata'), plannedFor: '2030' });
      await ok(`/forums/${f.id}/cancellation`, { reason: 'x' }, 200, { 'X-Correlation-Id': 'forum-corr-1' });
      const [e] = await t.ds.query(`select stream_type, metadata from events where stream_id = $1 and stream_version = 2`, [f.id]);
      expect(e).toMatchObject({ stream_type: 'forum', metadata: { actor: 'test-recorder', role: 'recorder', correlationId: 'forum-corr-1' } });
    });
  });
});
