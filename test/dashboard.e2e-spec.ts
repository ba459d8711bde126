import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveFeed } from '../src/dashboard/live-feed.js';
import { type SseMessage, SseParser } from '../web/src/sse.js';
import { startTestApp, type TestApp } from './support/app.js';
import { registerParty, send } from './support/fixtures.js';

/** An open `GET /api/v1/live` stream, read as it comes (the app must be listening). */
interface LiveStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  messages: SseMessage[];
  comments: string[];
  ended: Promise<void>;
  /** resolves with the first message (already received or to come) that matches */
  until(match: (m: SseMessage) => boolean, what: string): Promise<SseMessage>;
  untilComment(text: string): Promise<void>;
  close(): void;
}

function openLive(t: TestApp, auth: string): Promise<LiveStream> {
  return new Promise((resolveOpen, rejectOpen) => {
    const messages: SseMessage[] = [];
    const comments: string[] = [];
    let waiters: (() => void)[] = [];
    const notify = () => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    const parser = new SseParser((c) => {
      comments.push(c);
      notify();
    });
    let endStream!: () => void;
    const ended = new Promise<void>((r) => (endStream = r));
    const waitFor = <T>(check: () => T | undefined, what: string): Promise<T> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} on the live stream; got ${JSON.stringify(messages)}`)), 10_000);
        const tryNow = () => {
          const found = check();
          if (found !== undefined) {
            clearTimeout(timer);
            resolve(found);
          } else waiters.push(tryNow);
        };
        tryNow();
      });
    // A plain HTTP request on the listening server: it is closed by destroying it, as a browser tab would.
    const address = t.app.getHttpServer().address() as AddressInfo;
    const req = httpGet(
      { host: '127.0.0.1', port: address.port, path: '/api/v1/live', headers: { Authorization: auth, Accept: 'text/event-stream' } },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          messages.push(...parser.feed(chunk));
          notify();
        });
        res.on('end', () => endStream());
        res.on('error', () => endStream());
        res.on('close', () => endStream());
        resolveOpen({
          status: res.statusCode ?? 0,
          headers: res.headers,
          messages,
          comments,
          ended,
          until: (match, what) => waitFor(() => messages.find(match), what),
          untilComment: (text) => waitFor(() => (comments.includes(text) ? true : undefined), `comment "${text}"`).then(() => undefined),
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', (err) => {
      endStream();
      rejectOpen(err);
    });
  });
}

/** Waits until a condition holds (a state change the server makes after the response ended). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never: ${what}`);
}

const meeting = (partyIds: string[], title: string) => ({
  occurredOn: '2026-11',
  format: 'virtual',
  title,
  partyIds,
  topics: ['Live updates'],
});

describe('dashboard: static page at /', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'entente-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Entente dashboard</title><p>dashboard-marker</p>');
    writeFileSync(join(dir, 'assets', 'main-Ab12Cd34.js'), 'console.log("dashboard asset");');
    t = await startTestApp({}, { dashboardDir: dir });
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without a token, revalidated on every load', async () => {
    const res = await t.http.get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('dashboard-marker');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets, cached as immutable', async () => {
    const res = await t.http.get('/assets/main-Ab12Cd34.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('leaves the API, the docs and health to their routes', async () => {
    const api = await t.http.get('/api/v1/forums/upcoming');
    expect(api.status).toBe(401);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unknown = await t.http.get('/api/v1/no-such-thing').set('Authorization', t.as('viewer').auth);
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('dashboard-marker');
    const docs = await t.http.get('/docs-json');
    expect(docs.status).toBe(200);
    expect(docs.body.paths['/api/v1/live']).toBeDefined();
    const live = await t.http.get('/health/live');
    expect(live.body).toEqual(expect.objectContaining({ status: 'ok' }));
    for (const path of ['/docs', '/metrics', '/health/ready', '/index.htm', '/assets/missing.js']) {
      const res = await t.http.get(path);
      expect({ path, servedThePage: (res.text ?? '').includes('dashboard-marker') }).toEqual({ path, servedThePage: false });
    }
  });

  it('answers only the files the build wrote, listed at start-up: no file is looked up for any other path', async () => {
    writeFileSync(join(dir, 'assets', 'added-later.js'), 'console.log("after start-up");');
    writeFileSync(join(dir, '.secret'), 'dotfile');
    expect((await t.http.get('/index.html')).text).toContain('dashboard-marker');
    for (const path of ['/assets/added-later.js', '/.secret', '/assets/../index.html/x']) {
      const res = await t.http.get(path);
      expect({ path, status: res.status, body: res.text }).toEqual({ path, status: 404, body: expect.not.stringMatching(/after start-up|dotfile/) });
    }
  });

  it('answers a plain 404 naming the build when the page was not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'entente-web-none-'));
    const bare = await startTestApp({}, { db: t.db, dashboardDir: empty, projections: { pollMs: 60_000 } });
    try {
      const res = await bare.http.get('/');
      expect(res.status).toBe(404);
      expect(res.text).toContain('npm run build');
      expect((await bare.http.get('/health/live')).status).toBe(200);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('GET /api/v1/live (server-sent events)', () => {
  let t: TestApp;
  let parties: string[];

  beforeAll(async () => {
    t = await startTestApp();
    // Listen once: supertest otherwise listens per request, and a second request beside an
    // open stream would try to listen again.
    await t.app.listen(0, '127.0.0.1');
    parties = [await registerParty(t, 'Live Party A', 'state'), await registerParty(t, 'Live Party B', 'ngo')];
  });

  afterAll(async () => {
    await t?.close();
  });

  it('needs a token: 401 problem+json, and no stream', async () => {
    const res = await t.http.get('/api/v1/live');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(t.app.get(LiveFeed).subscriberCount).toBe(0);
  });

  it('tells a viewer when the read models have applied a command, then cleans up on disconnect', async () => {
    const feed = t.app.get(LiveFeed);
    const live = await openLive(t, t.as('viewer').auth);
    try {
      expect(live.status).toBe(200);
      expect(live.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(live.headers['cache-control']).toContain('no-store');
      const ready = await live.until((m) => m.event === 'ready', 'ready event');
      const from = BigInt(JSON.parse(ready.data).position);

      const cmd = await send(t, '/meetings', meeting(parties, 'A meeting the dashboard hears of'));
      expect(cmd.status).toBe(201);
      const position = BigInt(cmd.body.position);
      expect(position).toBeGreaterThan(from);

      const change = await live.until(
        (m) => m.event === 'change' && JSON.parse(m.data).projections.includes('meetings') && BigInt(JSON.parse(m.data).position) >= position,
        'change naming the meetings read model',
      );
      const body = JSON.parse(change.data);
      expect(change.id).toBe(body.position);
      expect(body.types).toContain('MeetingRecorded');
      expect(body.streams).toContainEqual({ id: cmd.body.id, type: 'meeting' });
      // Told only once applied: a read without minPosition already shows the meeting.
      const read = await t.http.get(`/api/v1/meetings/${cmd.body.id}`).set('Authorization', t.as('viewer').auth);
      expect(read.status).toBe(200);
      expect(read.body.title).toBe('A meeting the dashboard hears of');
      expect(feed.subscriberCount).toBe(1);
      expect(feed.listening).toBe(true);
    } finally {
      live.close();
    }
    await eventually(() => feed.subscriberCount === 0, 'the subscriber is removed after the client left');
    await eventually(() => !feed.listening, 'the LISTEN connection is closed when no one listens');
  });

  it('sends a heartbeat comment on an idle stream', async () => {
    const feed = t.app.get(LiveFeed);
    const before = feed.heartbeatMs;
    feed.heartbeatMs = 50;
    const live = await openLive(t, t.as('auditor').auth);
    try {
      await live.untilComment('heartbeat');
      expect(live.messages.filter((m) => m.event === 'change')).toEqual([]);
    } finally {
      feed.heartbeatMs = before;
      live.close();
    }
  });

  it('serves several listeners at once, each told of the same change', async () => {
    const one = await openLive(t, t.as('viewer').auth);
    const two = await openLive(t, t.as('recorder').auth);
    try {
      await one.until((m) => m.event === 'ready', 'ready (1)');
      await two.until((m) => m.event === 'ready', 'ready (2)');
      const cmd = await send(t, '/meetings', meeting(parties, 'Heard twice'));
      const hears = (m: SseMessage) => m.event === 'change' && JSON.parse(m.data).streams.some((s: { id: string }) => s.id === cmd.body.id);
      await one.until(hears, 'change on stream 1');
      await two.until(hears, 'change on stream 2');
    } finally {
      one.close();
      two.close();
    }
  });

  it('ends open streams when the server stops listening (a graceful drain would wait for them)', async () => {
    const second = await startTestApp({}, { db: t.db, projections: { pollMs: 60_000 } });
    await second.app.listen(0, '127.0.0.1');
    const feed = second.app.get(LiveFeed);
    feed.pollMs = 50;
    const live = await openLive(second, second.as('viewer').auth);
    await live.until((m) => m.event === 'ready', 'ready');
    const server = second.app.getHttpServer();
    const closed = new Promise((resolve) => server.close(resolve));
    await live.ended;
    await closed;
    expect(feed.subscriberCount).toBe(0);
    await second.app.close().catch(() => undefined);
  });

  it('ends open streams when the application shuts down', async () => {
    const second = await startTestApp({}, { db: t.db });
    await second.app.listen(0, '127.0.0.1');
    const live = await openLive(second, second.as('viewer').auth);
    await live.until((m) => m.event === 'ready', 'ready');
    await second.app.close();
    await live.ended;
    expect(second.app.get(LiveFeed).subscriberCount).toBe(0);
  });
});
