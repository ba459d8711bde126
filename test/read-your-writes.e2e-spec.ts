import { startTestApp, type TestApp } from './support/app.js';
import { send } from './support/fixtures.js';
import { recordHistory } from './support/history.js';

/**
 * Read-your-writes on every read endpoint of the OpenAPI document: with the position a command
 * answered, the answer already holds the write; with a position not yet written, 503 with
 * Retry-After after the 5 s wait. A new GET route the table below does not know fails the test.
 */
describe('minPosition on every read endpoint', () => {
  let t: TestApp;
  let ids: Map<string, string>;
  let routes: string[];

  /** Read routes and the id each path needs; null: not a read model or log read (no minPosition). */
  const PATHS: Record<string, ((ids: Map<string, string>, extra: Record<string, string>) => string) | null> = {
    '/partnerships': () => '/partnerships',
    '/partnerships/{id}': (_, x) => `/partnerships/${x.partnership}`,
    '/forums': () => '/forums',
    '/forums/upcoming': () => '/forums/upcoming',
    '/forums/{id}': (i) => `/forums/${i.get('forum:wfid-7')}`,
    '/parties': () => '/parties',
    '/parties/{id}': (i) => `/parties/${i.get('party:unaoc')}`,
    '/people': () => '/people',
    '/people/{id}': (i) => `/people/${i.get('person:karimli')}`,
    '/meetings': () => '/meetings',
    '/meetings/{id}': (_, x) => `/meetings/${x.meeting}`,
    '/agreements': () => '/agreements',
    '/agreements/{id}': (i) => `/agreements/${i.get('agreement:unaoc-mou')}`,
    '/commitments': () => '/commitments',
    '/commitments/{id}': (_, x) => `/commitments/${x.commitment}`,
    '/initiatives': () => '/initiatives',
    '/initiatives/{id}': (i) => `/initiatives/${i.get('initiative:baku-process')}`,
    '/timeline': () => '/timeline',
    '/events': () => '/events',
    '/events/export': () => '/events/export',
    '/streams/{streamId}': (_, x) => `/streams/${x.meeting}`,
    '/audit/requests/{correlationId}': () => '/audit/requests/ryw-1',
    '/audit/verify': () => '/audit/verify',
    // operations and the live stream are not read models
    '/admin/projections': null,
    '/admin/projections/{name}': null,
    '/admin/tokens': null,
    '/admin/tokens/{id}': null,
    '/live': null,
  };
  const extra: Record<string, string> = {};
  let position: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids } = await recordHistory(t));
    const doc = (await t.http.get('/docs-json')).body;
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path, ops]) => path.startsWith('/api/v1/') && 'get' in ops)
      .map(([path]) => path.slice('/api/v1'.length));
    // One command right before the reads: every read must already show it.
    const met = await send(t, '/meetings', {
      occurredOn: '2026-11-20',
      format: 'virtual',
      partyIds: [ids.get('party:azerbaijan'), ids.get('party:unaoc')],
      topics: ['Read your writes'],
      commitments: [{ description: 'Follow up' }],
    }, { 'X-Correlation-Id': 'ryw-1' });
    expect(met.status).toBe(201);
    position = met.body.position;
    extra.meeting = met.body.id;
    const made = await t.ds.query(`select stream_id from events where type = 'CommitmentMade' and metadata->>'correlationId' = 'ryw-1'`);
    extra.commitment = made[0].stream_id;
    const pairs = await t.http
      .get('/api/v1/partnerships')
      .query({ partyId: ids.get('party:unaoc'), minPosition: position, limit: '500' })
      .set('Authorization', t.as('admin').auth);
    extra.partnership = pairs.body.items[0].id;
  });
  afterAll(() => t.close());

  it('knows every GET route of the OpenAPI document', () => {
    expect(routes.filter((r) => !(r in PATHS))).toEqual([]);
  });

  it('answers with the write already applied when given the position a command answered', async () => {
    for (const route of routes) {
      const make = PATHS[route];
      if (!make) continue;
      const res = await t.http.get(`/api/v1${make(ids, extra)}`).query({ minPosition: position }).set('Authorization', t.as('admin').auth);
      expect({ route, status: res.status }).toEqual({ route, status: 200 });
    }
    const meeting = await t.http.get(`/api/v1/meetings/${extra.meeting}`).query({ minPosition: position }).set('Authorization', t.as('viewer').auth);
    expect(meeting.body.topics).toEqual(['Read your writes']);
    const commitments = await t.http.get('/api/v1/commitments').query({ minPosition: position, limit: '500' }).set('Authorization', t.as('viewer').auth);
    expect(commitments.body.items.map((c: { id: string }) => c.id)).toContain(extra.commitment);
  });

  it('answers 503 with Retry-After when the position has not been applied within 5 s', async () => {
    const future = '9000000000000';
    const answers = await Promise.all(
      routes
        .filter((r) => PATHS[r])
        .map(async (route) => {
          const res = await t.http.get(`/api/v1${PATHS[route]!(ids, extra)}`).query({ minPosition: future }).set('Authorization', t.as('admin').auth);
          return { route, status: res.status, retryAfter: res.headers['retry-after'] ?? null, type: res.headers['content-type'] };
        }),
    );
    for (const a of answers) expect(a).toEqual({ route: a.route, status: 503, retryAfter: '1', type: expect.stringMatching(/problem\+json/) });
  }, 20_000);
});
