import type { AddressInfo } from 'node:net';
import { type TestApp, startTestApp, TOKENS } from './support/app.js';
import { registerParty, send } from './support/fixtures.js';

/**
 * Racing writers over real HTTP: Idempotency-Key retries sent all at once, and 40 commands on
 * one stream with and without If-Match. Requests go out together (fetch, one connection each),
 * so they meet in the database, where the races are decided.
 */
describe('racing writers', () => {
  let t: TestApp;
  let base: string;
  let a: string;
  let b: string;

  interface Answer {
    status: number;
    body: any;
    etag: string | null;
    location: string | null;
    type: string;
  }

  async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.recorder}`, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json(), etag: res.headers.get('etag'), location: res.headers.get('location'), type: res.headers.get('content-type') ?? '' };
  }

  const together = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

  async function eventsWithKey(key: string): Promise<{ type: string; stream_id: string }[]> {
    return t.ds.query(`select type, stream_id from events where metadata->>'idempotencyKey' = $1`, [key]);
  }

  async function stream(id: string): Promise<{ version: number; data: any; type: string }[]> {
    return t.ds.query(`select stream_version as version, data, type from events where stream_id = $1 order by stream_version`, [id]);
  }

  async function newAgreement(): Promise<string> {
    const res = await send(t, '/agreements', { title: 'Memorandum on cultural cooperation', partyIds: [a, b], signedOn: '2021-05-01' });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  beforeAll(async () => {
    t = await startTestApp({ projections: false });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    a = await registerParty(t, 'Republic of Azerbaijan', 'state');
    b = await registerParty(t, 'United Nations Alliance of Civilizations');
  });
  afterAll(() => t.close());

  describe('Idempotency-Key', () => {
    it('20 concurrent retries of a create: one stream, one event, every retry answered 201 with the first answer', async () => {
      const body = { name: 'UNESCO', kind: 'international_organization' };
      const answers = await together(20, () => post('/parties', body, { 'Idempotency-Key': 'create-1' }));
      expect(answers.map((x) => x.status)).toEqual(Array(20).fill(201));
      const first = answers[0];
      for (const x of answers) {
        expect(x.body).toEqual(first.body);
        expect(x.etag).toBe('"1"');
        expect(x.location).toBe(`/api/v1/parties/${first.body.id}`);
      }
      expect(await eventsWithKey('create-1')).toEqual([{ type: 'PartyRegistered', stream_id: first.body.id }]);
      // A retry long after: the same answer, nothing written.
      const later = await post('/parties', body, { 'Idempotency-Key': 'create-1' });
      expect(later).toMatchObject({ status: 201, body: first.body });
      expect(await eventsWithKey('create-1')).toHaveLength(1);
    });

    it('20 concurrent retries of a change the decider would refuse twice (cancel): every retry gets the first 200, not a 409', async () => {
      const forum = await send(t, '/forums', { series: 'World Forum on Intercultural Dialogue', edition: 7, plannedFor: '2026', organizerPartyIds: [a] });
      const answers = await together(20, () => post(`/forums/${forum.body.id}/cancellation`, { reason: 'Postponed indefinitely' }, { 'Idempotency-Key': 'cancel-1' }));
      expect(answers.map((x) => x.status)).toEqual(Array(20).fill(200));
      for (const x of answers) expect(x.body).toEqual(answers[0].body);
      expect(answers[0].body).toMatchObject({ id: forum.body.id, version: 2 });
      expect((await stream(forum.body.id)).map((e) => e.type)).toEqual(['ForumAnnounced', 'ForumCancelled']);
    });

    it('20 concurrent retries carrying the same If-Match: every retry gets the first 200, not a 412', async () => {
      const id = await newAgreement();
      const answers = await together(20, () =>
        post(`/agreements/${id}/amendments`, { summary: 'Youth exchanges added', on: '2022-03-01' }, { 'Idempotency-Key': 'amend-1', 'If-Match': '"1"' }),
      );
      expect(answers.map((x) => x.status)).toEqual(Array(20).fill(200));
      for (const x of answers) expect(x.body).toEqual({ id, version: 2, position: answers[0].body.position });
      expect(await stream(id)).toHaveLength(2);
    });

    it('20 concurrent retries of a partnership (an id derived from the pair): one event, every retry the first 201', async () => {
      const c = await registerParty(t, 'ISESCO');
      const answers = await together(20, () => post('/partnerships', { partyIds: [a, c], since: '2019' }, { 'Idempotency-Key': 'partnership-1' }));
      expect(answers.map((x) => x.status)).toEqual(Array(20).fill(201));
      for (const x of answers) expect(x.body).toEqual(answers[0].body);
      expect(await eventsWithKey('partnership-1')).toHaveLength(1);
    });

    it('the same key with another body, or on another route: 422 problem+json naming the header, nothing written', async () => {
      const first = await post('/parties', { name: 'ICESCO', kind: 'international_organization' }, { 'Idempotency-Key': 'reuse-1' });
      expect(first.status).toBe(201);
      const [{ n: before }] = await t.ds.query(`select count(*)::int as n from events`);
      for (const [path, body] of [
        ['/parties', { name: 'ICESCO', kind: 'ngo' }],
        ['/people', { fullName: 'Someone Else' }],
      ] as const) {
        const res = await post(path, body, { 'Idempotency-Key': 'reuse-1' });
        expect(res.status).toBe(422);
        expect(res.type).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY.KEY_REUSED', errors: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
      }
      const [{ n: after }] = await t.ds.query(`select count(*)::int as n from events`);
      expect(after).toBe(before);
    });

    it('one key, two bodies racing (10 each): one write; the winner\'s retries get its answer, the others 422', async () => {
      const bodies = [
        { name: 'Council of Europe', kind: 'international_organization' },
        { name: 'Council of Europe', kind: 'other' },
      ];
      const answers = await together(20, (i) => post('/parties', bodies[i % 2], { 'Idempotency-Key': 'race-bodies-1' }));
      const events = await t.ds.query(`select stream_id, data->>'kind' as kind from events where metadata->>'idempotencyKey' = 'race-bodies-1'`);
      expect(events).toHaveLength(1);
      const winner = bodies.findIndex((x) => x.kind === events[0].kind);
      answers.forEach((x, i) => {
        if (i % 2 === winner) expect(x).toMatchObject({ status: 201, body: { id: events[0].stream_id, version: 1 } });
        else expect(x).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY.KEY_REUSED' } });
      });
    });
  });

  describe('40 writers on one stream', () => {
    it('with the same If-Match: exactly one 200, 39 × 412 problem+json, nothing else written', async () => {
      const id = await newAgreement();
      const answers = await together(40, (i) => post(`/agreements/${id}/amendments`, { summary: `Amendment ${i}`, on: '2022-03-01' }, { 'If-Match': '"1"' }));
      const ok = answers.filter((x) => x.status === 200);
      const stale = answers.filter((x) => x.status === 412);
      expect(ok).toHaveLength(1);
      expect(stale).toHaveLength(39);
      expect(ok[0].body).toMatchObject({ id, version: 2 });
      expect(ok[0].etag).toBe('"2"');
      for (const x of stale) {
        expect(x.type).toMatch(/^application\/problem\+json/);
        expect(x.body).toMatchObject({ status: 412, code: 'CONCURRENCY.STALE_VERSION' });
      }
      const events = await stream(id);
      expect(events.map((e) => e.version)).toEqual([1, 2]);
      const winner = answers.findIndex((x) => x.status === 200);
      expect(events[1].data.summary).toBe(`Amendment ${winner}`);
    });

    it('without If-Match: all 40 land, versions 2..41 contiguous, each command exactly once', async () => {
      const id = await newAgreement();
      const answers = await together(40, (i) => post(`/agreements/${id}/amendments`, { summary: `Amendment ${i}`, on: '2022-03-01' }));
      expect(answers.map((x) => x.status)).toEqual(Array(40).fill(200));
      const versions = answers.map((x) => x.body.version).sort((x, y) => x - y);
      expect(versions).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
      const events = await stream(id);
      expect(events.map((e) => e.version)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
      const summaries = events.slice(1).map((e) => e.data.summary).sort();
      expect(summaries).toEqual(Array.from({ length: 40 }, (_, i) => `Amendment ${i}`).sort());
      // Each answer names the version its own command was written at.
      answers.forEach((x, i) => expect(events[x.body.version - 1].data.summary).toBe(`Amendment ${i}`));
    });
  });
});
