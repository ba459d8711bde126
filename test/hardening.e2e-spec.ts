import type { Server } from 'node:http';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, send } from './support/fixtures.js';

/** HTTP hardening: helmet headers, the body size limit, rate limits per token, CORS only when configured. */
describe('HTTP hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('sends helmet headers on API answers, errors and the docs, and no X-Powered-By', async () => {
    for (const res of [
      await t.http.get('/api/v1/parties').set('Authorization', t.as('viewer').auth),
      await t.http.get('/api/v1/parties'),
      await t.http.get('/docs'),
      await t.http.get('/health/live'),
    ]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("object-src 'none'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers 413 problem+json to a body over the limit, and writes nothing', async () => {
    const partyNamed = (kib: number) =>
      t.http
        .post('/api/v1/parties')
        .set('Authorization', t.as('recorder').auth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ name: 'x'.repeat(kib * 1024), kind: 'ngo' }));
    const before = await eventCount(t);
    const res = await partyNamed(300);
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(await eventCount(t)).toBe(before);
    // just under the limit is read (and refused for what it says, not for its size)
    const under = await partyNamed(200);
    expect(under.status).toBe(400);
    expect(under.body.errors.map((e: { field: string }) => e.field)).toEqual(['name']);
  });

  it('sends no CORS headers when CORS_ORIGINS is not set', async () => {
    const simple = await t.http.get('/api/v1/parties').set('Authorization', t.as('viewer').auth).set('Origin', 'https://dash.example.org');
    expect(simple.status).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http
      .options('/api/v1/parties')
      .set('Origin', 'https://dash.example.org')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('does not count requests without a token against a limit, and the default limit is generous', async () => {
    for (let i = 0; i < 30; i++) expect((await t.http.get('/health/live')).status).toBe(200);
    const res = await t.http.get('/api/v1/parties').set('Authorization', t.as('viewer').auth);
    expect(Number(res.headers['x-ratelimit-limit'])).toBeGreaterThanOrEqual(20_000);
  });

  it("closes an idle keep-alive connection after 65 s, past a proxy's usual 60 s, not Node's 5 s", () => {
    const server: Server = t.app.getHttpServer();
    expect(server.keepAliveTimeout).toBe(65_000);
  });

  it('gives a request 5 minutes to arrive, headers and body, as Node does by default', () => {
    const server: Server = t.app.getHttpServer();
    expect(server.requestTimeout).toBe(300_000);
    expect(server.headersTimeout).toBe(60_000);
  });
});

/** What the HTTP layer answers besides the routes themselves: conditional reads, bodies it cannot read, paths that are not URLs. */
describe('HTTP semantics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const viewer = () => t.as('viewer').auth;
  const post = (type: string, body: string) =>
    t.http.post('/api/v1/parties').set('Authorization', t.as('recorder').auth).set('Content-Type', type).send(body);

  it('tags a read by its body and answers 304 with no body to an If-None-Match naming the tag, until the answer changes', async () => {
    const { position } = (await send(t, '/parties', { name: 'Conditional Party One', kind: 'ngo' })).body;
    const first = await t.http.get(`/api/v1/parties?minPosition=${position}`).set('Authorization', viewer());
    expect(first.status).toBe(200);
    const tag = first.headers.etag;
    expect(tag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    expect((await t.http.get('/api/v1/parties').set('Authorization', viewer())).headers.etag).toBe(tag);
    expect((await t.http.head('/api/v1/parties').set('Authorization', viewer())).headers.etag).toBe(tag);

    const unchanged = await t.http.get('/api/v1/parties').set('Authorization', viewer()).set('If-None-Match', tag);
    expect(unchanged.status).toBe(304);
    expect(unchanged.text ?? '').toBe('');
    expect(unchanged.headers['content-type']).toBeUndefined();
    // a list of tags, and the strong form of the same tag, match too; another tag does not
    expect((await t.http.get('/api/v1/parties').set('Authorization', viewer()).set('If-None-Match', `"x", ${tag.slice(2)}`)).status).toBe(304);
    expect((await t.http.get('/api/v1/parties').set('Authorization', viewer()).set('If-None-Match', 'W/"1-other"')).status).toBe(200);
    // a client that asks for no cache gets the answer
    expect((await t.http.get('/api/v1/parties').set('Authorization', viewer()).set('If-None-Match', tag).set('Cache-Control', 'no-cache')).status).toBe(200);

    const next = (await send(t, '/parties', { name: 'Conditional Party Two', kind: 'ngo' })).body.position;
    const changed = await t.http.get(`/api/v1/parties?minPosition=${next}`).set('Authorization', viewer()).set('If-None-Match', tag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
    expect(changed.body.items.map((p: { name: string }) => p.name)).toContain('Conditional Party Two');
  });

  it("tags a command's answer with the stream's version, never a hash of the body", async () => {
    const res = await send(t, '/parties', { name: 'Tagged Party', kind: 'ngo' });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
  });

  it('answers a body it cannot read with problem+json naming what is wrong, and writes nothing', async () => {
    const before = await eventCount(t);
    const cases: [string, string, number, string][] = [
      ['application/json', '{"name": "Half', 400, 'urn:entente:problem:entity-parse-failed'],
      ['application/json', '"just a string"', 400, 'urn:entente:problem:entity-parse-failed'],
      ['application/json', '42', 400, 'urn:entente:problem:entity-parse-failed'],
      ['application/json; charset=latin1', '{"name":"Caf\u00e9","kind":"ngo"}', 415, 'urn:entente:problem:charset-unsupported'],
      ['text/plain', '{"name":"Plain","kind":"ngo"}', 415, 'urn:entente:problem:unsupported-media-type'],
      ['application/json-patch+json', '[]', 415, 'urn:entente:problem:unsupported-media-type'],
    ];
    for (const [type, body, status, problem] of cases) {
      const res = await post(type, body);
      expect({ type, body, status: res.status, problem: res.body.type }).toEqual({ type, body, status, problem });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (status === 400) expect(res.body.errors).toEqual([{ field: 'body', message: 'The body is not valid JSON.' }]);
    }
    // a JSON body in any case of the media type, with UTF-8 named, is read
    expect((await post('APPLICATION/JSON; charset=UTF-8', '{"name":"Upper Case Party","kind":"ngo"}')).status).toBe(201);
    // an empty JSON body: validation names the missing fields
    const empty = await post('application/json', '');
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'kind']));
    // a key naming the prototype chain: refused by name, not taken as the object's prototype
    const proto = await post('application/json', '{"name":"Proto","kind":"ngo","__proto__":{"admin":true}}');
    expect(proto.status).toBe(400);
    expect(proto.body.errors).toEqual([{ field: '__proto__', message: '__proto__ is not a known field' }]);
    expect(await eventCount(t)).toBe(before + 1);
  });

  it('answers a path that is not a valid URL with problem+json naming the path, with the usual headers', async () => {
    const res = await t.http.get('/api/v1/parties/%ZZ').set('Authorization', viewer()).set('X-Correlation-Id', 'corr-bad-url');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, title: 'Bad Request', errors: [{ field: 'path' }] });
    expect(res.headers['x-correlation-id']).toBe('corr-bad-url');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('routes a path with a trailing slash or in other letter case as the path itself, and answers an unknown path with problem+json 404', async () => {
    expect((await t.http.get('/api/v1/parties/').set('Authorization', viewer())).status).toBe(200);
    // letter case in the path is ignored, as it was on Express; a parameter keeps its own
    expect((await t.http.get('/API/V1/Parties').set('Authorization', viewer())).status).toBe(200);
    const created = await send(t, '/parties', { name: 'Case Party', kind: 'ngo' });
    const upper = await t.http.get(`/api/v1/PARTIES/${created.body.id.toUpperCase()}?minPosition=${created.body.position}`).set('Authorization', viewer());
    expect(upper.status).toBe(200);
    expect(upper.body.name).toBe('Case Party');
    const missing = await t.http.get('/api/v1/nowhere').set('Authorization', viewer());
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("names each request with a uuidv7 it sends back as X-Request-Id and records as the events' requestId", async () => {
    const res = await send(t, '/parties', { name: 'Request Id Party', kind: 'ngo' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [row] = await t.ds.query(`select metadata->>'requestId' as id from events where global_position = $1`, [res.body.position]);
    expect(row.id).toBe(res.headers['x-request-id']);
  });
});

describe('rate limit per token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ rateLimitPerMinute: 5 });
  });
  afterAll(() => t.close());

  it('answers 429 problem+json with Retry-After once a token is over its limit, across routes, and only for that token', async () => {
    const viewer = t.as('viewer').auth;
    const paths = ['/api/v1/parties', '/api/v1/forums', '/api/v1/meetings', '/api/v1/parties', '/api/v1/timeline'];
    for (const path of paths) expect((await t.http.get(path).set('Authorization', viewer)).status).toBe(200);
    const over = await t.http.get('/api/v1/agreements').set('Authorization', viewer);
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(over.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);

    // a command over the limit writes nothing
    const recorder = t.as('recorder').auth;
    for (let i = 0; i < 5; i++) expect((await t.http.get('/api/v1/parties').set('Authorization', recorder)).status).toBe(200);
    const before = await t.ds.query(`select count(*)::int as n from events`);
    const command = await t.http.post('/api/v1/parties').set('Authorization', recorder).send({ name: 'Over the limit', kind: 'ngo' });
    expect(command.status).toBe(429);
    expect(await t.ds.query(`select count(*)::int as n from events`)).toEqual(before);

    // other tokens keep their own count; no token is still 401, health still answers
    expect((await t.http.get('/api/v1/parties').set('Authorization', t.as('auditor').auth)).status).toBe(200);
    expect((await t.http.get('/api/v1/parties')).status).toBe(401);
    expect((await t.http.get('/health/live')).status).toBe(200);
  });
});

describe('CORS_ORIGINS set', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ corsOrigins: ['https://dash.example.org'] });
  });
  afterAll(() => t.close());

  it('answers a configured origin, preflight included, and no other', async () => {
    const simple = await t.http.get('/api/v1/parties').set('Authorization', t.as('viewer').auth).set('Origin', 'https://dash.example.org');
    expect(simple.status).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBe('https://dash.example.org');
    expect(simple.headers['access-control-expose-headers']).toContain('ETag');

    const preflight = await t.http
      .options('/api/v1/parties')
      .set('Origin', 'https://dash.example.org')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,if-match,idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://dash.example.org');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');
    expect(preflight.headers['access-control-allow-headers']?.toLowerCase()).toContain('idempotency-key');

    const other = await t.http.get('/api/v1/parties').set('Authorization', t.as('viewer').auth).set('Origin', 'https://elsewhere.example.org');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('hardening configuration', () => {
  it('reads RATE_LIMIT_PER_MINUTE and CORS_ORIGINS, with CORS off and a generous limit by default', () => {
    expect(loadConfig({})).toMatchObject({ corsOrigins: [], rateLimitPerMinute: 30_000 });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', CORS_ORIGINS: 'https://a.example.org, http://localhost:5173/' })).toMatchObject({
      rateLimitPerMinute: 0,
      corsOrigins: ['https://a.example.org', 'http://localhost:5173'],
    });
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it.each([
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ CORS_ORIGINS: 'dash.example.org' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://dash.example.org/app' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'ftp://dash.example.org' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: '*,https://dash.example.org' }, 'CORS_ORIGINS'],
  ])('stops on %p naming %s', (env, variable) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(new RegExp(`^${variable}: `));
  });
});
