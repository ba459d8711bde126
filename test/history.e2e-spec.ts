import { rangeOf, today } from '../src/shared/partial-date.js';
import { HISTORY, planStep } from '../seeds/seed-plan.js';
import { type TestApp, startTestApp } from './support/app.js';

/**
 * Records the whole of ../shared/domain/history.md through the public API, as staff would,
 * and checks the log it leaves.
 */
describe('the real history, recorded through the API', () => {
  let t: TestApp;
  const ids = new Map<string, string>();
  let last = '0';

  beforeAll(async () => {
    t = await startTestApp();
    for (const [i, step] of HISTORY.entries()) {
      const planned = planStep(step, i, ids);
      const res = await t.http
        .post(`/api/v1${planned.path}`)
        .set('Authorization', t.as('recorder').auth)
        .set('Idempotency-Key', planned.idempotencyKey)
        .send(planned.body);
      if (res.status !== 200 && res.status !== 201) {
        throw new Error(`step ${i + 1} ${step.command}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      last = res.body.position;
      if (!step.key) continue;
      if (step.command === 'AppointPerson') {
        const [e] = await t.ds.query(`select data from events where global_position = $1`, [res.body.position]);
        ids.set(step.key, e.data.appointmentId);
      } else {
        ids.set(step.key, res.body.id);
      }
    }
  }, 60_000);
  afterAll(() => t.close());

  const events = (type: string) => t.ds.query(`select stream_id, data, occurred_on, metadata from events where type = $1 order by global_position`, [type]);

  it('every step became events, with the actor and correlation of its request', async () => {
    const [{ n }] = await t.ds.query(`select count(*)::int as n from events`);
    // one event per step, plus one CommitmentMade for each of the two commitments
    expect(n).toBe(HISTORY.length + 2);
    const actors = await t.ds.query(`select distinct metadata->>'actor' as actor from events`);
    expect(actors).toEqual([{ actor: 'test-recorder' }]);
  });

  it('keeps the "(UNHCR)" slip and its correction, both in the log', async () => {
    const meeting = ids.get('meeting:2020-12-02-unaoc')!;
    const stream = await t.ds.query(`select type, data from events where stream_id = $1 order by stream_version`, [meeting]);
    expect(stream.map((e: { type: string }) => e.type)).toEqual(['MeetingRecorded', 'MeetingRecordCorrected']);
    expect(stream[0].data.title).toContain('(UNHCR)');
    expect(stream[1].data.previous.title).toContain('(UNHCR)');
    expect(stream[1].data.corrected.title).not.toContain('UNHCR');
    expect(stream[1].data.reason).toMatch(/another UN body/);
  });

  it('keeps ISESCO as the former name of ICESCO', async () => {
    const [renamed] = await events('PartyRenamed');
    expect(renamed.stream_id).toBe(ids.get('party:icesco'));
    expect(renamed.data).toMatchObject({ formerShortName: 'ISESCO', shortName: 'ICESCO', effectiveOn: '2021' });
  });

  it('hands the Minister of Culture office on: acting, minister, successor', async () => {
    const appointed = await events('PersonAppointed');
    const ministry = ids.get('party:culture-ministry');
    const office = appointed.filter((e: { data: { partyId: string } }) => e.data.partyId === ministry);
    expect(office.map((e: { data: { title: string; from: string; acting: boolean | null } }) => [e.data.title, e.data.from, !!e.data.acting])).toEqual([
      ['First Deputy Minister and Acting Minister of Culture', '2020-12', true],
      ['Minister of Culture', '2021', false],
      ['Minister of Culture', '2025-12', false],
    ]);
    const ended = await events('AppointmentEnded');
    expect(ended.map((e: { data: { appointmentId: string; on: string } }) => [e.data.appointmentId, e.data.on])).toEqual([
      [ids.get('appointment:karimov-acting'), '2021'],
      [ids.get('appointment:karimov-minister'), '2025-12'],
    ]);
  });

  it('keeps each forum\'s story: held, suspended by the pandemic, planned, proposed', async () => {
    const status = async (key: string) => {
      const rows = await t.ds.query(`select type from events where stream_id = $1 order by stream_version`, [ids.get(key)]);
      return rows.map((r: { type: string }) => r.type);
    };
    expect(await status('forum:wfid-1')).toEqual(['ForumAnnounced', 'ForumConvened']);
    expect(await status('forum:wfid-6')).toEqual(['ForumAnnounced', 'ForumPostponed']);
    expect(await status('forum:wfid-7')).toEqual(['ForumAnnounced']);
    expect(await status('forum:gf-12')).toEqual(['ForumProposed']);
    const [postponed] = await events('ForumPostponed');
    expect(postponed.data).toMatchObject({ plannedFor: '2024', reason: expect.stringMatching(/COVID-19/) });
  });

  it('keeps dates at the precision the articles give', async () => {
    const meetings = await events('MeetingRecorded');
    expect(meetings.map((e: { occurred_on: string }) => e.occurred_on)).toEqual(['2020-12-02', '2020-12-02', '2021', '2023-03-08', '2025-12-17']);
    const [baku] = await events('InitiativeLaunched');
    expect(baku.data).toMatchObject({ name: 'Baku Process', launchedOn: '2008' });
    const commitments = await events('CommitmentMade');
    expect(commitments.map((e: { data: { dueBy: string | null; forumId: string } }) => [e.data.dueBy, e.data.forumId])).toEqual([
      ['2021', ids.get('forum:wfid-6')],
      [null, ids.get('forum:gf-12')],
    ]);
  });

  it('shows the partnership the history implies: Azerbaijan and UNAOC since 2008, with the MoU in force', async () => {
    const az = ids.get('party:azerbaijan');
    const un = ids.get('party:unaoc');
    const res = await t.http.get(`/api/v1/partnerships?partyId=${un}&minPosition=${last}&limit=500`).set('Authorization', t.as('viewer').auth);
    const pair = res.body.items.find((p: { parties: { id: string }[] }) => p.parties.some((x) => x.id === az));
    expect(pair).toMatchObject({ since: '2008', meetingsCount: 4, lastMeetingOn: '2025-12-17' });
    expect(pair.agreementsInForce.map((a: { kind: string }) => a.kind)).toEqual(['mou']);
    // "Upcoming" is computed for the real today: a forum drops out once its planned year is past.
    expect(pair.upcomingForums.map((f: { edition: number; status: string; plannedFor: string }) => [f.edition, f.status, f.plannedFor])).toEqual(
      [
        [7, 'planned', '2026'],
        [12, 'proposed', '2027'],
      ].filter(([, , plannedFor]) => rangeOf(plannedFor as string).last >= today()),
    );
  });

  it('recording the history twice with the same idempotency keys writes nothing more', async () => {
    const [{ n: before }] = await t.ds.query(`select count(*)::int as n from events`);
    const replay = new Map(ids);
    for (const [i, step] of HISTORY.entries()) {
      const planned = planStep(step, i, replay);
      const res = await t.http.post(`/api/v1${planned.path}`).set('Authorization', t.as('recorder').auth).set('Idempotency-Key', planned.idempotencyKey).send(planned.body);
      expect([200, 201]).toContain(res.status);
    }
    const [{ n: after }] = await t.ds.query(`select count(*)::int as n from events`);
    expect(after).toBe(before);
  });
});
