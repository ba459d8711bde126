import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { hashToken } from '../src/shared/auth/token-store.js';
import { TokenService } from '../src/shared/auth/token.service.js';
import { parseTokenArgs, runTokenCli, UsageError } from '../src/tokens/token-cli.js';
import { type RoleName, type TestApp, TOKENS, startTestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';

/**
 * Who may call what, written from the contract (docs: "The HTTP API", Conventions, Audit,
 * Operations), not from the code: viewer reads projections; recorder reads and sends
 * commands; auditor reads and the audit endpoints; admin everything; a few routes are public.
 * Every route of the OpenAPI document must be in this table: a new route without a decided
 * role fails the walk below.
 */
type Need = 'public' | 'read' | 'write' | 'audit' | 'admin';

const ROUTES: Record<string, Need> = {
  // projections (viewer)
  'GET /api/v1/parties': 'read',
  'GET /api/v1/parties/{id}': 'read',
  'GET /api/v1/people': 'read',
  'GET /api/v1/people/{id}': 'read',
  'GET /api/v1/partnerships': 'read',
  'GET /api/v1/partnerships/{id}': 'read',
  'GET /api/v1/meetings': 'read',
  'GET /api/v1/meetings/{id}': 'read',
  'GET /api/v1/forums': 'read',
  'GET /api/v1/forums/upcoming': 'read',
  'GET /api/v1/forums/{id}': 'read',
  'GET /api/v1/agreements': 'read',
  'GET /api/v1/agreements/{id}': 'read',
  'GET /api/v1/commitments': 'read',
  'GET /api/v1/commitments/{id}': 'read',
  'GET /api/v1/initiatives': 'read',
  'GET /api/v1/initiatives/{id}': 'read',
  'GET /api/v1/timeline': 'read',
  // the dashboard's live feed: news of the read models, a read
  'GET /api/v1/live': 'read',
  // commands (recorder)
  'POST /api/v1/parties': 'write',
  'POST /api/v1/parties/{id}/renaming': 'write',
  'POST /api/v1/people': 'write',
  'POST /api/v1/people/{id}/appointments': 'write',
  'POST /api/v1/people/{id}/appointments/{appointmentId}/end': 'write',
  'POST /api/v1/partnerships': 'write',
  'POST /api/v1/meetings': 'write',
  'POST /api/v1/meetings/{id}/corrections': 'write',
  'POST /api/v1/meetings/{id}/retraction': 'write',
  'POST /api/v1/forums': 'write',
  'POST /api/v1/forums/{id}/confirmation': 'write',
  'POST /api/v1/forums/{id}/schedule': 'write',
  'POST /api/v1/forums/{id}/postponement': 'write',
  'POST /api/v1/forums/{id}/convening': 'write',
  'POST /api/v1/forums/{id}/cancellation': 'write',
  'POST /api/v1/forums/{id}/partners': 'write',
  'POST /api/v1/agreements': 'write',
  'POST /api/v1/agreements/{id}/amendments': 'write',
  'POST /api/v1/agreements/{id}/renewal': 'write',
  'POST /api/v1/agreements/{id}/termination': 'write',
  'POST /api/v1/initiatives': 'write',
  'POST /api/v1/commitments/{id}/fulfilment': 'write',
  'POST /api/v1/commitments/{id}/withdrawal': 'write',
  // audit (auditor)
  'GET /api/v1/events': 'audit',
  'GET /api/v1/events/export': 'audit',
  'GET /api/v1/streams/{streamId}': 'audit',
  'GET /api/v1/audit/verify': 'audit',
  'GET /api/v1/audit/requests/{correlationId}': 'audit',
  // operations (admin)
  'GET /api/v1/admin/projections': 'admin',
  'GET /api/v1/admin/projections/{name}': 'admin',
  'POST /api/v1/admin/projections/rebuild': 'admin',
  'POST /api/v1/admin/projections/{name}/rebuild': 'admin',
  'POST /api/v1/admin/projections/{name}/pause': 'admin',
  'POST /api/v1/admin/projections/{name}/resume': 'admin',
  'POST /api/v1/admin/projections/{name}/skip': 'admin',
  'POST /api/v1/admin/tokens': 'admin',
  'GET /api/v1/admin/tokens': 'admin',
  'GET /api/v1/admin/tokens/{id}': 'admin',
  'DELETE /api/v1/admin/tokens/{id}': 'admin',
  // no token
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'GET /docs': 'public',
  'GET /docs-json': 'public',
};

/** Public by the contract, whether or not the OpenAPI document lists them. */
const PUBLIC_PATHS = ['/health/live', '/health/ready', '/metrics', '/docs', '/docs-json'];

/** Time travel is an audit question: these reads take asOf and knownAt, for auditor and admin only. */
const TIME_TRAVEL = ['GET /api/v1/partnerships/{id}', 'GET /api/v1/forums/{id}', 'GET /api/v1/parties/{id}', 'GET /api/v1/agreements/{id}'];

const ALLOWED: Record<Need, RoleName[]> = {
  public: ['viewer', 'recorder', 'auditor', 'admin'],
  read: ['viewer', 'recorder', 'auditor', 'admin'],
  write: ['recorder', 'admin'],
  audit: ['auditor', 'admin'],
  admin: ['admin'],
};
const ROLE_NAMES = Object.keys(TOKENS) as RoleName[];

interface Answer {
  status: number;
  type: string;
  wwwAuthenticate: string | null;
}

describe('access: every route, every role', () => {
  let t: TestApp;
  let base: string;
  let doc: { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };

  /** One request; the answer's status and headers only (a stream such as /live is not read to its end). */
  async function call(method: string, path: string, token: string | null): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (method === 'POST') headers['Content-Type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: method === 'POST' ? '{}' : undefined });
    const answer = { status: res.status, type: res.headers.get('content-type') ?? '', wwwAuthenticate: res.headers.get('www-authenticate') };
    await res.body?.cancel();
    return answer;
  }

  const fill = (path: string) => path.replace(/\{[^}]+\}/g, () => randomUUID());
  const documented = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path, op: ops[method] })));

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    doc = (await (await fetch(`${base}/docs-json`)).json()) as typeof doc;
  });
  afterAll(() => t.close());

  it('knows the role of every route the OpenAPI document lists', () => {
    const routes = documented().map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !(r in ROUTES))).toEqual([]);
  });

  it('answers 401 without a token, 403 to a role too low, and lets each permitted role through', async () => {
    const wrong: string[] = [];
    for (const { method, path } of documented()) {
      const need = ROUTES[`${method} ${path}`];
      const url = fill(path);
      const anonymous = await call(method, url, null);
      if (need === 'public') {
        if (anonymous.status === 401 || anonymous.status === 403) wrong.push(`${method} ${path}: no token → ${anonymous.status}`);
      } else if (anonymous.status !== 401 || !anonymous.type.startsWith('application/problem+json') || !anonymous.wwwAuthenticate?.startsWith('Bearer')) {
        wrong.push(`${method} ${path}: no token → ${anonymous.status} ${anonymous.type}`);
      }
      for (const role of ROLE_NAMES) {
        const { status, type } = await call(method, url, TOKENS[role]);
        const allowed = ALLOWED[need].includes(role);
        if (allowed && (status === 401 || status === 403 || status >= 500)) wrong.push(`${method} ${path}: ${role} → ${status}, expected allowed`);
        if (!allowed && (status !== 403 || !type.startsWith('application/problem+json'))) wrong.push(`${method} ${path}: ${role} → ${status}, expected 403`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses time travel (asOf, knownAt) to viewer and recorder, and gives it to auditor and admin', async () => {
    const declaring = documented()
      .filter((r) => (r.op.parameters ?? []).some((p) => p.in === 'query' && (p.name === 'asOf' || p.name === 'knownAt')))
      .map((r) => `${r.method} ${r.path}`);
    expect(declaring.sort()).toEqual([...TIME_TRAVEL].sort());
    const wrong: string[] = [];
    for (const route of TIME_TRAVEL) {
      const path = fill(route.split(' ')[1]);
      for (const query of ['asOf=2020-06', 'knownAt=2026-01-01T00:00:00Z', 'asOf=2020&knownAt=2026-01-01T00:00:00Z']) {
        const anonymous = await call('GET', `${path}?${query}`, null);
        if (anonymous.status !== 401) wrong.push(`${route}?${query}: no token → ${anonymous.status}`);
        for (const role of ROLE_NAMES) {
          const { status } = await call('GET', `${path}?${query}`, TOKENS[role]);
          const allowed = ALLOWED.audit.includes(role);
          if (allowed ? status === 401 || status === 403 || status >= 500 : status !== 403) wrong.push(`${route}?${query}: ${role} → ${status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('needs no token for health, metrics and the docs, and serves the docs', async () => {
    for (const path of PUBLIC_PATHS) {
      const { status } = await call('GET', path, null);
      expect([path, status === 401 || status === 403]).toEqual([path, false]);
    }
    expect((await call('GET', '/docs', null)).status).toBe(200);
    expect((await call('GET', '/docs-json', null)).status).toBe(200);
    expect((await call('GET', '/health/live', 'not-a-token')).status).toBe(200);
  });

  it('answers 401 to an unknown token, a token of the stored shape that was never issued, and a header that is not Bearer', async () => {
    expect((await call('GET', '/api/v1/parties', 'nope')).status).toBe(401);
    expect((await call('GET', '/api/v1/parties', `ent_${'A'.repeat(32)}`)).status).toBe(401);
    const basic = await fetch(`${base}/api/v1/parties`, { headers: { Authorization: `Basic ${Buffer.from(`x:${TOKENS.admin}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    const bare = await fetch(`${base}/api/v1/parties`, { headers: { Authorization: TOKENS.admin } });
    expect(bare.status).toBe(401);
  });
});

describe('stored tokens', () => {
  let t: TestApp;
  let second: TestApp;
  const admin = () => t.as('admin').auth;

  async function create(app: TestApp, role: string, label: string) {
    const res = await app.http.post('/api/v1/admin/tokens').set('Authorization', admin()).send({ role, label });
    expect(res.status).toBe(201);
    return res;
  }

  beforeAll(async () => {
    t = await startTestApp();
    second = await startTestApp({}, { db: t.db });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('are not created on start when AUTH_TOKENS is set', async () => {
    expect(t.app.get(TokenService).takeFirstAdminToken()).toBeNull();
    expect(await t.ds.query(`select count(*)::int as n from api_tokens`)).toEqual([{ n: 0 }]);
  });

  it('are created by an admin, shown once, work at once, and record their label as the actor', async () => {
    const res = await create(t, 'recorder', 'lifecycle clerk');
    expect(res.body).toEqual({ id: expect.any(String), role: 'recorder', label: 'lifecycle clerk', token: expect.stringMatching(/^ent_[A-Za-z0-9_-]{32}$/), createdAt: expect.any(String) });
    expect(res.headers.location).toBe(`/api/v1/admin/tokens/${res.body.id}`);
    expect(res.headers['cache-control']).toBe('no-store');

    const sent = await t.http.post('/api/v1/parties').set('Authorization', `Bearer ${res.body.token}`).send({ name: 'Token Test Party', kind: 'ngo' });
    expect(sent.status).toBe(201);
    const [event] = await t.ds.query(`select metadata->>'actor' as actor from events where global_position = $1`, [sent.body.position]);
    expect(event.actor).toBe('lifecycle clerk');
    // a recorder token is a recorder: no audit, no admin
    expect((await t.http.get('/api/v1/events').set('Authorization', `Bearer ${res.body.token}`)).status).toBe(403);
    expect((await t.http.get('/api/v1/admin/tokens').set('Authorization', `Bearer ${res.body.token}`)).status).toBe(403);

    const one = await t.http.get(`/api/v1/admin/tokens/${res.body.id}`).set('Authorization', admin());
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: res.body.id, role: 'recorder', label: 'lifecycle clerk', createdBy: 'test-admin', revokedAt: null });
    expect(one.body.lastUsedAt).toEqual(expect.any(String));
  });

  it('are revoked at once, on this instance and on another sharing the database, whichever revokes', async () => {
    const a = (await create(t, 'viewer', 'revoked on the first')).body;
    const b = (await create(second, 'auditor', 'revoked on the second')).body;
    for (const app of [t, second]) {
      expect((await app.http.get('/api/v1/parties').set('Authorization', `Bearer ${a.token}`)).status).toBe(200);
      expect((await app.http.get('/api/v1/events').set('Authorization', `Bearer ${b.token}`)).status).toBe(200);
    }
    expect((await t.http.delete(`/api/v1/admin/tokens/${a.id}`).set('Authorization', admin())).status).toBe(204);
    expect((await second.http.delete(`/api/v1/admin/tokens/${b.id}`).set('Authorization', admin())).status).toBe(204);
    for (const app of [t, second]) {
      const refusedA = await app.http.get('/api/v1/parties').set('Authorization', `Bearer ${a.token}`);
      expect(refusedA.status).toBe(401);
      expect(refusedA.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await app.http.get('/api/v1/events').set('Authorization', `Bearer ${b.token}`)).status).toBe(401);
    }
    const record = await t.http.get(`/api/v1/admin/tokens/${a.id}`).set('Authorization', admin());
    expect(record.body).toMatchObject({ revokedAt: expect.any(String), revokedBy: 'test-admin' });
    // DELETE again: still gone (204); an id never issued: 404; not an id: 400 naming it
    expect((await t.http.delete(`/api/v1/admin/tokens/${a.id}`).set('Authorization', admin())).status).toBe(204);
    expect((await t.http.delete(`/api/v1/admin/tokens/${randomUUID()}`).set('Authorization', admin())).status).toBe(404);
    const bad = await t.http.delete('/api/v1/admin/tokens/nope').set('Authorization', admin());
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
  });

  it('are kept as a SHA-256 hash only: no column holds the token, and the list shows no secret', async () => {
    const created = (await create(t, 'viewer', 'hash check')).body;
    const rows: Record<string, unknown>[] = await t.ds.query(`select * from api_tokens where id = $1`, [created.id]);
    expect(rows).toHaveLength(1);
    expect(Buffer.compare(rows[0].token_hash as Buffer, hashToken(created.token))).toBe(0);
    for (const [column, value] of Object.entries(rows[0])) {
      const text = Buffer.isBuffer(value) ? value.toString('latin1') + value.toString('hex') + value.toString('base64') : String(value);
      expect([column, text.includes(created.token) || text.includes(created.token.slice(4))]).toEqual([column, false]);
    }
    const [{ n }] = await t.ds.query(
      `select count(*)::int as n from api_tokens t where exists (select 1 from jsonb_each_text(to_jsonb(t)) c where c.value like '%' || $1 || '%')`,
      [created.token.slice(4)],
    );
    expect(n).toBe(0);

    const list = await t.http.get('/api/v1/admin/tokens?limit=500').set('Authorization', admin());
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: { id: string }) => i.id === created.id)).toEqual({
      id: created.id,
      role: 'viewer',
      label: 'hash check',
      createdAt: expect.any(String),
      createdBy: 'test-admin',
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toMatch(/ent_|token_?hash/i);
  });

  it('page the list newest first', async () => {
    for (const label of ['page 1', 'page 2', 'page 3']) await create(t, 'viewer', label);
    const first = await t.http.get('/api/v1/admin/tokens?limit=2').set('Authorization', admin());
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items.map((i: { label: string }) => i.label)).toEqual(['page 3', 'page 2']);
    const next = await t.http.get(`/api/v1/admin/tokens?limit=2&cursor=${first.body.next}`).set('Authorization', admin());
    expect(next.body.items[0].label).toBe('page 1');
    expect((await t.http.get('/api/v1/admin/tokens?cursor=bad!').set('Authorization', admin())).status).toBe(400);
  });

  it.each([
    ['an unknown role', { role: 'root', label: 'x' }, 'role'],
    ['no role', { label: 'x' }, 'role'],
    ['no label', { role: 'viewer' }, 'label'],
    ['a blank label', { role: 'viewer', label: '   ' }, 'label'],
    ['a label over 200 characters', { role: 'viewer', label: 'x'.repeat(201) }, 'label'],
    ['a label that is a number', { role: 'viewer', label: 7 }, 'label'],
    ['a token chosen by the client', { role: 'viewer', label: 'x', token: 'chosen' }, 'token'],
  ])('refuse %s with 400 (problem+json naming the field) and store nothing', async (_case, body, field) => {
    const before = await t.ds.query(`select count(*)::int as n from api_tokens`);
    const res = await t.http.post('/api/v1/admin/tokens').set('Authorization', admin()).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await t.ds.query(`select count(*)::int as n from api_tokens`)).toEqual(before);
  });

  it('are created only by an admin', async () => {
    for (const role of ['viewer', 'recorder', 'auditor'] as const) {
      expect((await t.http.post('/api/v1/admin/tokens').set('Authorization', t.as(role).auth).send({ role: 'admin', label: 'escalation' })).status).toBe(403);
    }
    expect((await t.http.post('/api/v1/admin/tokens').send({ role: 'admin', label: 'escalation' })).status).toBe(401);
    const [{ n }] = await t.ds.query(`select count(*)::int as n from api_tokens where label = 'escalation'`);
    expect(n).toBe(0);
  });

  it('answer 503 with Retry-After, not 500, when the token table cannot be read; AUTH_TOKENS go on working', async () => {
    const created = (await create(t, 'viewer', 'store away')).body;
    await t.ds.query(`alter table api_tokens rename to api_tokens_away`);
    try {
      const res = await t.http.get('/api/v1/parties').set('Authorization', `Bearer ${created.token}`);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect((await t.http.get('/api/v1/parties').set('Authorization', t.as('viewer').auth)).status).toBe(200);
    } finally {
      await t.ds.query(`alter table api_tokens_away rename to api_tokens`);
    }
    expect((await t.http.get('/api/v1/parties').set('Authorization', `Bearer ${created.token}`)).status).toBe(200);
  });

  it('can be created from the command line, printed once, and work', async () => {
    const printed: string[] = [];
    const token = await runTokenCli(['--role', 'admin', '--label', 'ops'], { DATABASE_URL: t.db.url, LOG_LEVEL: 'error' }, (l) => printed.push(l));
    expect(printed).toEqual([expect.stringMatching(/^Created admin token [0-9a-f-]{36} \(label "ops"\); only its hash is stored\.$/), `Token (shown once): ${token}`]);
    const list = await t.http.get('/api/v1/admin/tokens').set('Authorization', `Bearer ${token}`);
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: { label: string }) => i.label === 'ops')).toMatchObject({ role: 'admin', createdBy: 'cli' });
    expect(parseTokenArgs(['--role=viewer', '--label=wall screen'])).toEqual({ role: 'viewer', label: 'wall screen' });
    for (const argv of [[], ['--role', 'root', '--label', 'x'], ['--role', 'admin'], ['--role', 'admin', '--label'], ['--role', 'admin', '--label', 'x', '--force']]) {
      expect(() => parseTokenArgs(argv)).toThrow(UsageError);
    }
  });
});

describe('first start without AUTH_TOKENS', () => {
  it('creates one admin token, stored hashed and reported once; a second start creates none; the service is never open', async () => {
    const db = await createTestDatabase();
    try {
      const first = await startTestApp({ authTokens: [] }, { db });
      const token = first.app.get(TokenService).takeFirstAdminToken();
      expect(token).toMatch(/^ent_/);
      expect(first.app.get(TokenService).takeFirstAdminToken()).toBeNull();
      const rows = await first.ds.query(`select role, label, created_by, token_hash from api_tokens`);
      expect(rows).toEqual([{ role: 'admin', label: 'first-start-admin', created_by: 'first-start', token_hash: hashToken(token!) }]);
      expect((await first.http.get('/api/v1/parties')).status).toBe(401);
      expect((await first.http.get('/api/v1/admin/tokens').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      await first.close();

      const again = await startTestApp({ authTokens: [] }, { db });
      expect(again.app.get(TokenService).takeFirstAdminToken()).toBeNull();
      expect(await again.ds.query(`select count(*)::int as n from api_tokens`)).toEqual([{ n: 1 }]);
      expect((await again.http.get('/api/v1/admin/tokens').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      await again.close();
    } finally {
      await db.drop();
    }
  });

  it('two instances racing on an empty database create one admin token between them', async () => {
    const db = await createTestDatabase();
    try {
      // the schema first, so both race on the token and not on the migrations
      const schema = new DataSource(dataSourceOptions(db.url));
      await schema.initialize();
      await schema.runMigrations();
      await schema.destroy();
      const apps = await Promise.all([startTestApp({ authTokens: [] }, { db }), startTestApp({ authTokens: [] }, { db })]);
      const reported = apps.map((a) => a.app.get(TokenService).takeFirstAdminToken()).filter((x) => x !== null);
      expect(reported).toHaveLength(1);
      expect(await apps[0].ds.query(`select count(*)::int as n from api_tokens`)).toEqual([{ n: 1 }]);
      await Promise.all(apps.map((a) => a.close()));
    } finally {
      await db.drop();
    }
  });
});
