import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { ProjectorThread } from '../src/projections/projector-thread.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort, post, SERVICE_TOKENS, type ServiceProcess, serviceBuild, startService, stopAllServices, waitFor } from './support/service-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The projections in a worker thread of the service's process (PROJECTIONS_THREAD=worker, the
 * default of main.ts): first the real built service, then ProjectorThread's supervision of
 * the thread, on real worker threads running a fixture that misbehaves as told.
 */
describe('the projector thread of the real service', () => {
  let db: TestDatabase;
  let admin: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await stopAllServices();
    await admin?.end();
    await db?.drop();
  });

  const get = async (s: ServiceProcess, path: string, role: keyof typeof SERVICE_TOKENS = 'admin') => {
    const res = await fetch(`${s.base}${path}`, { headers: { authorization: `Bearer ${SERVICE_TOKENS[role]}` } });
    return { status: res.status, text: await res.text() };
  };
  const connections = async () =>
    (
      await admin.query<{ app: string; n: number }>(
        `select application_name as app, count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() group by 1`,
      )
    ).rows;
  const owners = async () => (await admin.query<{ name: string; owner: string | null }>(`select name, owner from projection_checkpoints order by name`)).rows;

  it('runs every projection in a thread of the process on a pool of its own, answers read-your-writes, and hands the leases over on SIGTERM', async () => {
    const svc = await startService({ databaseUrl: db.url });
    await svc.ready(60_000);
    expect(svc.output()).toContain('Projections: in a worker thread');

    const party = await post(svc.base, '/parties', { name: 'UN Alliance of Civilizations', kind: 'international_organization' });
    expect(party.status).toBe(201);
    const read = await get(svc, `/api/v1/parties/${party.body.id}?minPosition=${party.body.position}`, 'viewer');
    expect(read.status).toBe(200);
    expect(JSON.parse(read.text).name).toBe('UN Alliance of Civilizations');

    // One owner for all ten, this process's (owner ids are host:pid:random).
    const held = await owners();
    expect(held).toHaveLength(10);
    const owner = held[0].owner;
    expect(owner).toMatch(new RegExp(`:${svc.pid}:[0-9a-f]+$`));
    expect(held.every((h) => h.owner === owner)).toBe(true);
    // The thread's pool is told apart from the main thread's.
    const apps = await connections();
    expect(apps.find((a) => a.app === 'entente-projector')?.n ?? 0).toBeGreaterThan(0);
    expect(apps.find((a) => a.app === 'entente')?.n ?? 0).toBeGreaterThan(0);
    // The main thread's metrics count the thread's leases as this instance's.
    const metrics = (await get(svc, '/metrics')).text;
    const leaseHeld = metrics.split('\n').filter((l) => l.startsWith('entente_projection_lease_held{'));
    expect(leaseHeld).toHaveLength(10);
    expect(leaseHeld.every((l) => l.endsWith(' 1'))).toBe(true);

    // A rebuild requested of the main thread swaps under the thread's live projection; the
    // thread goes on applying to the rebuilt table.
    const started = await fetch(`${svc.base}/api/v1/admin/projections/parties/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKENS.admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(started.status).toBe(202);
    const rebuilt = await waitFor('the rebuild done', async () => {
      const s = JSON.parse((await get(svc, '/api/v1/admin/projections/parties')).text);
      return s.rebuild?.status === 'running' ? null : s;
    });
    expect(rebuilt.rebuild).toMatchObject({ status: 'done', error: null });
    const second = await post(svc.base, '/parties', { name: 'Ministry of Culture', kind: 'ministry' });
    const after = await get(svc, `/api/v1/parties/${second.body.id}?minPosition=${second.body.position}`, 'viewer');
    expect(after.status).toBe(200);
    expect(JSON.parse((await get(svc, '/api/v1/parties?limit=500', 'viewer')).text).items.map((p: { name: string }) => p.name).sort()).toEqual([
      'Ministry of Culture',
      'UN Alliance of Civilizations',
    ]);

    svc.kill('SIGTERM');
    expect(await svc.exited).toEqual({ code: 0, signal: null });
    expect(svc.output()).toContain('shut down cleanly');
    expect((await owners()).every((h) => h.owner === null)).toBe(true);
    // both pools closed (a backend leaves pg_stat_activity a moment after its client)
    await waitFor('every connection of the service closed', async () => (await connections()).length === 0, 10_000);
  });

  it('with PROJECTIONS_THREAD=main runs them in the main thread, on its one pool', async () => {
    const svc = await startService({ databaseUrl: db.url, env: { PROJECTIONS_THREAD: 'main' } });
    await svc.ready(60_000);
    expect(svc.output()).toContain('Projections: in the main thread');
    await waitFor('the leases taken', async () => (await owners()).every((h) => h.owner?.includes(`:${svc.pid}:`)));
    const apps = await connections();
    expect(apps.map((a) => a.app)).not.toContain('entente-projector');
    svc.kill('SIGTERM');
    expect(await svc.exited).toEqual({ code: 0, signal: null });
  });
});

describe('a projector thread that cannot start', () => {
  // A build without the thread's script (a broken deployment), on its own embedded PostgreSQL.
  const broken = resolve(`data/service-build/broken-projector-${process.pid}-${Date.now()}`);
  const dataDir = resolve(`data/test-projector-start-${process.pid}-${Date.now()}`);
  afterAll(async () => {
    await stopAllServices();
    rmSync(broken, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails start-up with the reason, exit code 1, nothing listening, its embedded PostgreSQL stopped', async () => {
    const main = await serviceBuild();
    cpSync(dirname(dirname(main)), broken, { recursive: true });
    rmSync(join(broken, 'src/projections/projector-worker.js'));
    const port = await freePort();
    const svc = await startService({ main: join(broken, 'src/main.js'), port, env: { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) } });
    const exit = await svc.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(svc.output()).toMatch(/the projector thread did not start: .*projector-worker\.js/);
    expect(svc.output()).not.toContain('Entente is listening');
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    // The embedded server it started is stopped, not left behind holding its data directory.
    expect(existsSync(join(dataDir, 'pg/PG_VERSION'))).toBe(true); // it did start one
    const pidFile = join(dataDir, 'pg/postmaster.pid');
    await waitFor('the embedded PostgreSQL gone', async () => !existsSync(pidFile), 20_000);
  });
});

describe('ProjectorThread supervision', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entente-projector-'));
  const script = new URL('./support/projector-fixture.mjs', import.meta.url);
  const config = loadConfig({});
  let n = 0;
  let threads: ProjectorThread[] = [];

  afterEach(async () => {
    await Promise.all(threads.map((t) => t.stop()));
    threads = [];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function thread(scenario: string, options: Partial<ConstructorParameters<typeof ProjectorThread>[0]> = {}) {
    const file = join(dir, `${scenario}-${++n}.log`);
    const logged: string[] = [];
    const t = new ProjectorThread({
      config,
      databaseUrl: `${scenario}|${file}`,
      script,
      log: { log: (m) => logged.push(`log: ${m}`), error: (m) => logged.push(`error: ${m}`) },
      restartDelaysMs: [50, 100],
      ...options,
    });
    threads.push(t);
    const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);
    return { t, logged, starts: () => lines().filter((l) => l === 'start').length, wakes: () => lines().filter((l) => l === 'wake').length };
  }

  it('starts a thread that died again, after a delay, under a new instance id; forwards wakes; stops for good', async () => {
    const { t, logged, starts, wakes } = thread('crash-once');
    await t.start();
    expect(t.instanceId).toBe('fixture:1');
    await waitFor('the thread started again', async () => t.instanceId === 'fixture:2', 10_000, 10);
    expect(t.restarts).toBe(1);
    expect(logged.join('\n')).toMatch(/exited \(code 1\): .*boom 1 \(fixture\)/);
    expect(logged).toContain('error: projector thread: starting it again in 50 ms');
    t.wake();
    await waitFor('the wake forwarded', async () => wakes() === 1, 5_000, 10);
    await t.stop();
    expect(t.instanceId).toBeNull();
    await sleep(300);
    expect(starts()).toBe(2);
  });

  it('waits longer before each restart of a thread that keeps dying, and none once stopped', async () => {
    const { t, logged, starts } = thread('always-crash');
    await t.start();
    await waitFor('three restarts', async () => t.restarts >= 3, 10_000, 10);
    const delays = logged.filter((l) => l.includes('starting it again')).map((l) => Number(/in (\d+) ms/.exec(l)![1]));
    expect(delays.slice(0, 3)).toEqual([50, 100, 100]);
    await t.stop();
    const after = starts();
    await sleep(400);
    expect(starts()).toBe(after);
  });

  it('rejects start with the error of a thread that cannot start', async () => {
    const { t } = thread('fail-at-start');
    await expect(t.start()).rejects.toThrow(/did not start: .*cannot reach the database \(fixture\)/);
    expect(t.instanceId).toBeNull();
  });

  it('gives up on a start that does not answer in time', async () => {
    const { t } = thread('hang-at-start', { startTimeoutMs: 300 });
    await expect(t.start()).rejects.toThrow(/not started after 300 ms/);
  });

  it('terminates a thread that does not answer stop in time', async () => {
    const { t, logged } = thread('ignore-stop', { stopTimeoutMs: 200 });
    await t.start();
    const started = Date.now();
    await t.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(logged.join('\n')).toContain('no answer to stop in time');
    expect(t.instanceId).toBeNull();
  });
});
