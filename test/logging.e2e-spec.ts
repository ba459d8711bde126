import { type TestApp, startTestApp, TOKENS } from './support/app.js';
import { send } from './support/fixtures.js';

/**
 * The JSON logs of one app at LOG_LEVEL=info, read from the destination the app writes them to.
 * (nestjs-pino keeps one root logger per process, so this file starts one app only.)
 */
describe('structured logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, any>);

  async function entryFor(correlationId: string): Promise<Record<string, any>> {
    for (const deadline = Date.now() + 5000; ; ) {
      const found = entries().find((e) => e.correlationId === correlationId && e.res);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no request line for ${correlationId}:\n${lines.join('')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    t = await startTestApp({ logLevel: 'info' }, { logDestination: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => t?.close());

  it('writes one JSON object per line, start-up included', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const started = entries().find((e) => e.context === 'NestApplication');
    expect(started).toMatchObject({ level: 'info', service: 'entente', msg: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('logs each request with its request id, correlation id and actor, and never the token or the body', async () => {
    const res = await send(t, '/people', { fullName: 'Zainab Quietname-Logtest' }, { 'X-Correlation-Id': 'corr-logging-1' });
    expect(res.status).toBe(201);
    const entry = await entryFor('corr-logging-1');
    expect(entry).toMatchObject({
      level: 'info',
      correlationId: 'corr-logging-1',
      actor: 'test-recorder',
      req: { id: res.headers['x-request-id'], method: 'POST', url: '/api/v1/people' },
      res: { statusCode: 201 },
      responseTime: expect.any(Number),
    });
    expect(entry.req.headers).toBeUndefined();
    const raw = lines.find((l) => l.includes('"corr-logging-1"') && l.includes('"res"'))!;
    expect(raw.match(/"correlationId"/g)).toHaveLength(1);

    const refused = await t.http.get('/api/v1/parties').set('Authorization', 'Bearer n0t-a-real-s3cret').set('X-Correlation-Id', 'corr-logging-2');
    expect(refused.status).toBe(401);
    expect(await entryFor('corr-logging-2')).toMatchObject({ res: { statusCode: 401 }, req: { method: 'GET' } });

    const all = lines.join('');
    for (const secret of [...Object.values(TOKENS), 'n0t-a-real-s3cret', 'Quietname', 'Bearer']) expect(all).not.toContain(secret);
  });

  it('puts the correlation id on what the app logs while handling a request', async () => {
    const [last] = await t.ds.query(`select id, timestamp, name from schema_migrations order by id desc limit 1`);
    await t.ds.query(`delete from schema_migrations where id = $1`, [last.id]);
    try {
      // readiness turning false is logged once, as a warning, from inside the probe's request
      expect((await t.http.get('/health/ready').set('X-Correlation-Id', 'corr-not-ready')).status).toBe(503);
    } finally {
      await t.ds.query(`insert into schema_migrations (id, timestamp, name) values ($1, $2, $3)`, [last.id, last.timestamp, last.name]);
    }
    const warning = entries().find((e) => e.context === 'Health');
    expect(warning).toMatchObject({ level: 'warn', correlationId: 'corr-not-ready', msg: expect.stringContaining(last.name) });
  });

  it('leaves health probes and scrapes out of the request log', async () => {
    await t.http.get('/health/live').set('X-Correlation-Id', 'corr-probe-1');
    await t.http.get('/metrics').set('X-Correlation-Id', 'corr-probe-2');
    // a request after them, so that their lines (if any) would have been written by now
    await t.http.get('/api/v1/parties').set('Authorization', t.as('viewer').auth).set('X-Correlation-Id', 'corr-probe-3');
    await entryFor('corr-probe-3');
    expect(entries().filter((e) => ['corr-probe-1', 'corr-probe-2'].includes(e.correlationId))).toEqual([]);
  });
});
