import { replayAll } from '../../src/audit/replay.js';
import { ProjectionRebuilder } from '../../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { startTestApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { post, SERVICE_TOKENS, type ServiceProcess, startService, stopAllServices } from '../support/service-process.js';

/**
 * Three service processes (the built `src/main.js`) on one PostgreSQL database. Commands go to
 * all three; the one running the projections is killed with SIGKILL (no chance to hand its
 * leases over); another must take them over once they expire (5 s), and in the end nothing
 * is lost or applied twice (every projection equals its rebuild from the log, the seal chain
 * verifies) and the survivors answer every read alike.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Lease (5 s) + poll (1 s) + slack for a loaded machine; a takeover later than this is a failure. */
const TAKEOVER_DEADLINE_MS = 20_000;

interface Owned {
  name: string;
  owner: string | null;
  lag: number;
  epoch: string;
  status: string;
}

async function get(base: string, path: string, role: keyof typeof SERVICE_TOKENS = 'viewer'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${SERVICE_TOKENS[role]}` } });
  return { status: res.status, body: await res.json() };
}

/** Every item of a list, following `next`. */
async function all(base: string, path: string, role: keyof typeof SERVICE_TOKENS = 'viewer'): Promise<any[]> {
  const items: any[] = [];
  for (let cursor: string | null = null; ; ) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(base, `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, role);
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    // the log's `next` is given at its head too (to poll from): stop on a short page
    if (!res.body.next || res.body.items.length < 500) return items;
    cursor = res.body.next;
  }
}

const projections = async (s: ServiceProcess): Promise<Owned[]> => (await get(s.base, '/admin/projections', 'admin')).body;
/** The owner ids are `host:pid:random`: the pid says which process holds a lease. */
const pidOf = (owner: string | null) => (owner ? Number(owner.split(':').at(-2)) : null);

describe('three instances on one database', () => {
  let db: TestDatabase;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let c: ServiceProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await stopAllServices();
    await db?.drop();
  });

  it('survives losing the instance that runs the projections: takeover within seconds, nothing lost or applied twice, reads agree', async () => {
    // A first, so that it takes every lease; then B and C.
    a = await startService({ databaseUrl: db.url });
    await a.ready(60_000);
    for (const deadline = Date.now() + 15_000; ; ) {
      const list = await projections(a);
      if (list.length > 0 && list.every((p) => pidOf(p.owner) === a.pid)) break;
      if (Date.now() > deadline) throw new Error(`A did not take every lease: ${JSON.stringify(list)}`);
      await sleep(100);
    }
    [b, c] = await Promise.all([startService({ databaseUrl: db.url }), startService({ databaseUrl: db.url })]);
    await Promise.all([b.ready(60_000), c.ready(60_000)]);
    const instances = [a, b, c];
    const epochsBefore = new Map((await projections(b)).map((p) => [p.name, BigInt(p.epoch)]));

    // Commands to all three.
    const parties: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await post(instances[i % 3].base, '/parties', { name: `Cluster Party ${i}`, kind: 'other' });
      expect(res.status).toBe(201);
      parties.push(res.body.id);
    }
    const acked = new Map<string, string>(); // meeting id -> position
    let lastPosition = 0n;
    const record = async (target: ServiceProcess, n: number) => {
      const res = await post(target.base, '/meetings', {
        occurredOn: `20${10 + (n % 15)}`,
        format: 'in_person',
        partyIds: [parties[n % 6], parties[(n + 1 + (n % 5)) % 6]],
        topics: [`Cluster topic ${n}`],
        ...(n % 4 === 0 ? { commitments: [{ description: `Cluster commitment ${n}` }] } : {}),
      });
      expect(res.status).toBe(201);
      acked.set(res.body.id, res.body.position);
      if (BigInt(res.body.position) > lastPosition) lastPosition = BigInt(res.body.position);
    };
    let n = 0;
    for (let round = 0; round < 5; round++) await Promise.all(instances.map((s) => record(s, n++)));

    // Keep writing through all three while A dies: its requests in flight at the kill fail
    // (they may or may not have committed); B and C must keep answering.
    let writing = true;
    let aDead = false;
    void a.exited.then(() => (aDead = true));
    const writer = (async () => {
      while (writing) {
        const targets = aDead ? [b, c] : [a, b, c];
        await Promise.all(
          targets.map((s) =>
            record(s, n++).catch((err) => {
              if (s !== a) throw err;
            }),
          ),
        );
        await sleep(20);
      }
    })();
    await sleep(300);
    const killedAt = Date.now();
    expect((await a.killHard()).signal).toBe('SIGKILL');

    // Another instance takes every lease over, within the deadline.
    let after: Owned[] = [];
    for (;;) {
      after = await projections(b);
      if (after.every((p) => p.owner !== null && [b.pid, c.pid].includes(pidOf(p.owner)!))) break;
      if (Date.now() - killedAt > TAKEOVER_DEADLINE_MS) throw new Error(`no takeover within ${TAKEOVER_DEADLINE_MS} ms: ${JSON.stringify(after)}`);
      await sleep(100);
    }
    // A new epoch for each: a late write of the dead owner could not commit.
    for (const p of after) expect(BigInt(p.epoch)).toBeGreaterThan(epochsBefore.get(p.name)!);
    await sleep(500);
    writing = false;
    await writer;
    expect(acked.size).toBeGreaterThan(15);

    // Both survivors read the last acknowledged write, and answer every read alike.
    const paths = ['/parties?limit=500', '/meetings?limit=500', '/partnerships?limit=500', '/commitments?limit=500', '/timeline?limit=500', '/forums/upcoming'];
    for (const path of paths) {
      const url = `${path}${path.includes('?') ? '&' : '?'}minPosition=${lastPosition}`;
      const [fromB, fromC] = await Promise.all([b, c].map((s) => get(s.base, url)));
      expect([path, fromB.status, fromC.status]).toEqual([path, 200, 200]);
      expect([path, fromC.body]).toEqual([path, fromB.body]);
    }

    // Nothing lost: every acknowledged meeting is there, and the read model holds exactly the
    // meetings of the log (a request cut off by the kill may have committed unacknowledged).
    const meetings = (await all(b.base, `/meetings?minPosition=${lastPosition}`)) as { id: string }[];
    const seen = new Set(meetings.map((m) => m.id));
    expect([...acked.keys()].filter((id) => !seen.has(id))).toEqual([]);
    const log = (await all(b.base, `/events?type=MeetingRecorded`, 'auditor')) as { streamId: string }[];
    expect(meetings.length).toBe(log.length);
    expect(new Set(log.map((e) => e.streamId))).toEqual(seen);

    // Nothing applied twice: every projection equals its rebuild from the log; the seal chain
    // (one link per event, in commit order) verifies.
    const verify = await get(b.base, `/audit/verify`, 'auditor');
    expect(verify.body).toMatchObject({ ok: true, firstBrokenPosition: null });
    const checker = await startTestApp({ projections: false }, { db });
    try {
      const names = checker.app.get(ProjectionRunner).names;
      const result = await replayAll(checker.app.get(ProjectionRebuilder), names, { line: () => undefined, progress: () => undefined });
      const different = result.reports.filter((r) => !r.identical).map((r) => ({ name: r.name, tables: r.tables }));
      expect(different).toEqual([]);
      expect(result.reports.map((r) => r.name).sort()).toEqual([...names].sort());
    } finally {
      await checker.close();
    }

    // LOG_LEVEL=warn (the services' setting) held: JSON lines, none below warn.
    for (const s of [b, c]) {
      const json = s
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(json.filter((e) => !['warn', 'error', 'fatal'].includes(e.level))).toEqual([]);
    }
  });
});
