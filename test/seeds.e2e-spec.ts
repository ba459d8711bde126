import { rangeOf, today } from '../src/shared/partial-date.js';
import { HISTORY, SOURCES } from '../seeds/history.js';
import { seedOnFirstStart, type ProgressOutput } from '../src/seeding/first-start.js';
import { SeedLoader, type SeedSummary } from '../src/seeding/seed-loader.js';
import { eventCount, registerParty } from './support/fixtures.js';
import { type TestApp, startTestApp } from './support/app.js';

/** Collects what the first start prints, as a terminal would receive it. */
function terminal(): ProgressOutput & { text: string[] } {
  const text: string[] = [];
  return { isTTY: true, text, write: (s: string) => text.push(s) };
}

const WORLD_FORUM = 'World Forum on Intercultural Dialogue';
const GLOBAL_FORUM = 'UNAOC Global Forum';
/** one event per step, and a CommitmentMade for each commitment a meeting records */
const EXPECTED_EVENTS =
  HISTORY.length + HISTORY.reduce((n, s) => n + (s.command === 'RecordMeeting' ? ((s.body.commitments as unknown[] | undefined)?.length ?? 0) : 0), 0);

/**
 * The first start on an empty database, through the module main.ts calls, and what a
 * dashboard then shows through the read endpoints. "Upcoming" and "overdue" are computed
 * for the real today (2026-11-23 when this was written); where an endpoint takes the date
 * (`from`), the test gives it.
 */
describe('the seeded history on a first start', () => {
  let t: TestApp;
  let seeded: SeedSummary;
  const out = terminal();
  const id = (key: string) => {
    const v = seeded.ids.get(key);
    if (!v) throw new Error(`no id for ${key}`);
    return v;
  };
  /** a projection, once it has applied the last seeded event */
  const read = (path: string) => t.http.get(`/api/v1${path}${path.includes('?') ? '&' : '?'}minPosition=${seeded.last}`).set('Authorization', t.as('viewer').auth);
  /** the log itself (no projection to wait for) */
  const audit = (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', t.as('auditor').auth);

  beforeAll(async () => {
    t = await startTestApp();
    const outcome = await seedOnFirstStart(t.app, out);
    if (!outcome.seeded) throw new Error(`not seeded: ${outcome.reason}`);
    seeded = outcome.summary;
  }, 60_000);
  afterAll(() => t.close());

  it('loads every step once and shows one progress line', async () => {
    expect(seeded).toMatchObject({ steps: HISTORY.length, stepsWritten: HISTORY.length, stepsSkipped: 0, eventsWritten: EXPECTED_EVENTS });
    expect(await eventCount(t)).toBe(EXPECTED_EVENTS);
    expect(out.text).toHaveLength(HISTORY.length + 1);
    expect(out.text[0]).toBe(`\rSeeding the recorded history: 1/${HISTORY.length} steps`);
    expect(out.text.at(-1)).toBe(`\rSeeding the recorded history: ${HISTORY.length}/${HISTORY.length} steps, ${EXPECTED_EVENTS} events (SEED=false skips this)\n`);
  });

  it('writes every event as actor seed, with the articles it comes from as sourceRef', async () => {
    // the log itself, not the audit endpoint: that one reads below every running transaction,
    // and a projection's batch may still hold it back
    const events: { type: string; metadata: Record<string, string> }[] = await t.ds.query(`select type, metadata from events order by global_position`);
    expect(events).toHaveLength(EXPECTED_EVENTS);
    const files = new Set<string>(Object.values(SOURCES));
    for (const e of events) {
      expect(e.metadata).toMatchObject({ actor: 'seed', correlationId: seeded.correlationId, idempotencyKey: expect.stringMatching(/^seed:/) });
      for (const ref of e.metadata.sourceRef.split(', ')) expect(files).toContain(ref);
    }
    const renamed = events.find((e) => e.type === 'PartyRenamed')!;
    expect(renamed.metadata.sourceRef).toBe(`${SOURCES['004']}, ${SOURCES['002']}`);
  });

  it('shows the Azerbaijan-UNAOC partnership since 2008, with its meetings, the MoU in force and the forums ahead', async () => {
    const res = await read(`/partnerships?partyId=${id('party:unaoc')}&limit=500`);
    expect(res.status).toBe(200);
    const pair = res.body.items.find((p: { parties: { id: string }[] }) => p.parties.some((x) => x.id === id('party:azerbaijan')));
    expect(pair).toMatchObject({ since: '2008', meetingsCount: 4, lastMeetingOn: '2025-12-17', openCommitments: 2 });
    expect(pair.agreementsInForce.map((a: { id: string; kind: string; signedOn: string }) => [a.id, a.kind, a.signedOn])).toEqual([
      [id('agreement:unaoc-mou'), 'mou', '2023-03'],
    ]);
    // "Upcoming" is computed for the real today: a forum drops out once its planned year is past.
    expect(pair.upcomingForums.map((f: { id: string; plannedFor: string; status: string }) => [f.id, f.plannedFor, f.status])).toEqual(
      [
        [id('forum:wfid-7'), '2026', 'planned'],
        [id('forum:gf-12'), '2027', 'proposed'],
      ].filter(([, plannedFor]) => rangeOf(plannedFor).last >= today()),
    );

    const meetings = await read(`/meetings?partyId=${id('party:unaoc')}`);
    expect(meetings.body.items.map((m: { occurredOn: string }) => m.occurredOn).sort()).toEqual(['2020-12-02', '2021', '2023-03-08', '2025-12-17']);
  });

  it('lists the 7th World Forum (2026) and the proposed 12th Global Forum (2027) as upcoming, and the 6th as postponed', async () => {
    const upcoming = await read('/forums/upcoming?from=2026-11-23');
    expect(upcoming.status).toBe(200);
    expect(upcoming.body.items.map((f: { series: string; edition: number; plannedFor: string; status: string }) => [f.series, f.edition, f.plannedFor, f.status])).toEqual([
      [WORLD_FORUM, 7, '2026', 'planned'],
      [GLOBAL_FORUM, 12, '2027', 'proposed'],
    ]);
    const wf7 = upcoming.body.items[0];
    expect(wf7.hostCity).toBe('Baku');
    expect(wf7.partners.map((p: { id: string }) => p.id)).toEqual([id('party:unaoc')]);

    const sixth = await read(`/forums/${id('forum:wfid-6')}`);
    expect(sixth.status).toBe(200);
    expect(sixth.body).toMatchObject({ edition: 6, status: 'postponed', plannedFor: '2024' });
  });

  it('shows Adil Karimli as the Minister of Culture today, after Anar Karimov', async () => {
    const ministry = await read(`/parties/${id('party:culture-ministry')}`);
    expect(ministry.status).toBe(200);
    expect(ministry.body.officeHolders.map((h: { person: { fullName: string }; title: string; acting: boolean }) => [h.person.fullName, h.title, h.acting])).toEqual([
      ['Adil Karimli', 'Minister of Culture', false],
    ]);
    const karimov = await read(`/people/${id('person:karimov')}`);
    expect(karimov.status).toBe(200);
    expect(karimov.body.appointments.map((a: { title: string; from: string; endedOn: string | null; current: boolean }) => [a.title, a.from, a.endedOn, a.current])).toEqual([
      ['First Deputy Minister and Acting Minister of Culture', '2020-12', '2021', false],
      ['Minister of Culture', '2021', '2025-12', false],
    ]);
  });

  it('shows ICESCO under its current name, with ISESCO as its former name', async () => {
    const icesco = await read(`/parties/${id('party:icesco')}`);
    expect(icesco.body).toMatchObject({ shortName: 'ICESCO', name: 'Islamic World Educational, Scientific and Cultural Organization' });
    expect(icesco.body.formerNames).toEqual([{ name: 'Islamic Educational, Scientific and Cultural Organization', shortName: 'ISESCO', until: '2021' }]);
    const found = await read('/parties?q=ISESCO');
    expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([id('party:icesco')]);
  });

  it('shows the open commitments: the one due at the 2021 World Forum overdue, the 2027 hosting one not', async () => {
    const res = await read('/commitments?status=open');
    expect(res.status).toBe(200);
    const rows = res.body.items.map((c: { dueBy: string | null; overdue: boolean; forumId: string; meetingId: string }) => [c.forumId, c.dueBy, c.overdue, c.meetingId]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [id('forum:wfid-6'), '2021', true, id('meeting:2020-12-02-unaoc')],
        [id('forum:gf-12'), null, false, id('meeting:2025-12-17-unaoc')],
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it('keeps the "(UNHCR)" slip as a correction after the meeting', async () => {
    const meeting = await read(`/meetings/${id('meeting:2020-12-02-unaoc')}`);
    expect(meeting.status).toBe(200);
    expect(meeting.body.title).not.toContain('UNHCR');
    const stream = await audit(`/streams/${id('meeting:2020-12-02-unaoc')}`);
    expect(stream.body.events.map((e: { type: string }) => e.type)).toEqual(['MeetingRecorded', 'MeetingRecordCorrected']);
    expect(stream.body.events[0].data.title).toContain('(UNHCR)');
    expect(stream.body.events[1].metadata).toMatchObject({ actor: 'seed', sourceRef: SOURCES['001'] });
  });

  it('a second load writes nothing and answers the same ids', async () => {
    const before = await eventCount(t);
    const again = await t.app.get(SeedLoader).load();
    expect(again).toMatchObject({ steps: HISTORY.length, stepsWritten: 0, stepsSkipped: HISTORY.length, eventsWritten: 0, last: seeded.last });
    expect(again.ids).toEqual(seeded.ids);
    expect(await eventCount(t)).toBe(before);
  });

  it('a later start finds the log not empty and leaves it alone', async () => {
    const before = await eventCount(t);
    const later = terminal();
    expect(await seedOnFirstStart(t.app, later)).toEqual({ seeded: false, reason: 'log-not-empty' });
    expect(later.text).toEqual([]);
    expect(await eventCount(t)).toBe(before);
  });
});

describe('loading the seeds in parts, and refusing bad ones', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: false });
  });
  afterAll(() => t.close());

  it('validates each step with its command\'s DTO and writes nothing for a bad one', async () => {
    const loader = t.app.get(SeedLoader);
    const bad = { key: 'party:bad', command: 'RegisterParty' as const, body: { name: 'Nowhere', kind: 'planet' }, source: '000' as const };
    await expect(loader.load({ steps: [bad] })).rejects.toThrow(/seed step 1 \(RegisterParty party:bad\) failed: .*\[kind: /);
    expect(await eventCount(t)).toBe(0);
  });

  it('completes a load that stopped part way, writing only the steps it lacks', async () => {
    const loader = t.app.get(SeedLoader);
    const first = await loader.load({ steps: HISTORY.slice(0, 20) });
    expect(first).toMatchObject({ stepsWritten: 20, stepsSkipped: 0, eventsWritten: 20 });
    const rest = await loader.load();
    expect(rest).toMatchObject({ steps: HISTORY.length, stepsWritten: HISTORY.length - 20, stepsSkipped: 20, eventsWritten: EXPECTED_EVENTS - 20 });
    expect(await eventCount(t)).toBe(EXPECTED_EVENTS);
  });

  it('refuses a step whose data changed since it was loaded, rather than skip it', async () => {
    const changed = HISTORY.map((s) => (s.key === 'party:unaoc' ? { ...s, body: { ...s.body, shortName: 'AOC' } } : s));
    await expect(t.app.get(SeedLoader).load({ steps: changed })).rejects.toThrow(/party:unaoc.*changed since it was loaded/);
    expect(await eventCount(t)).toBe(EXPECTED_EVENTS);
  });
});

describe('the first start, when it must not seed', () => {
  it('does nothing with SEED=false', async () => {
    const t = await startTestApp({ seed: false });
    try {
      const out = terminal();
      expect(await seedOnFirstStart(t.app, out)).toEqual({ seeded: false, reason: 'disabled' });
      expect(out.text).toEqual([]);
      expect(await eventCount(t)).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('does nothing on a log that already holds other records', async () => {
    const t = await startTestApp();
    try {
      await registerParty(t, 'United Nations Alliance of Civilizations');
      const out = terminal();
      expect(await seedOnFirstStart(t.app, out)).toEqual({ seeded: false, reason: 'log-not-empty' });
      expect(out.text).toEqual([]);
      expect(await eventCount(t)).toBe(1);
    } finally {
      await t.close();
    }
  });
});
