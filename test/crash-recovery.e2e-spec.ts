import pg from 'pg';
import { DataSource } from 'typeorm';
import { generateLog } from '../bench/support/generate.js';
import { EventStore } from '../src/event-store/event-store.js';
import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { startTestApp } from './support/app.js';
import { createMigratedDataSource, type TestDatabase } from './support/database.js';
import { post, SERVICE_TOKENS, type ServiceProcess, startService, stopAllServices, waitFor } from './support/service-process.js';

/**
 * kill -9 of the real service (a child process), then a restart on the same database:
 * - during a burst of writes: every acknowledged command's events are in the log, once; a
 *   command in flight at the kill is in the log whole or not at all; retried with its
 *   Idempotency-Key after the restart, it is there exactly once;
 * - during projection catch-up: after the restart the read models equal a clean rebuild.
 */
describe('crash recovery (kill -9)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await stopAllServices();
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  async function database(): Promise<{ db: TestDatabase; ds: DataSource }> {
    const made = await createMigratedDataSource();
    cleanups.push(() => made.db.drop(), () => made.ds.destroy());
    return made;
  }

  interface Sent {
    tag: string;
    path: string;
    body: object;
    /** events the command writes */
    events: number;
    answer?: { id: string; version: number; position: string };
  }

  async function send(svc: ServiceProcess, s: Sent) {
    return post(svc.base, s.path, s.body, { 'Idempotency-Key': s.tag, 'X-Correlation-Id': s.tag });
  }

  it('during a write burst: acknowledged commands are in the log exactly once; the rest whole or not at all, and once after a retry', async () => {
    const { db, ds } = await database();
    let svc = await startService({ databaseUrl: db.url });
    await svc.ready();
    const setup = async (path: string, body: object) => {
      const r = await post(svc.base, path, body);
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const a = await setup('/parties', { name: 'Republic of Azerbaijan', kind: 'state' });
    const b = await setup('/parties', { name: 'UNAOC', kind: 'international_organization' });
    const agreement = await setup('/agreements', { title: 'Memorandum', partyIds: [a, b], signedOn: '2021-05-01' });

    // Six clients write as fast as they can: new streams, a meeting with two commitments
    // (three streams in one transaction), and amendments of one shared agreement (a contended stream).
    const sent: Sent[] = [];
    let n = 0;
    let acknowledged = 0;
    let stop = false;
    const client = async (c: number) => {
      while (!stop) {
        const i = n++;
        const kind = i % 3;
        const s: Sent =
          kind === 0
            ? { tag: `burst-${i}`, path: '/parties', body: { name: `Party ${i}`, kind: 'ngo' }, events: 1 }
            : kind === 1
              ? {
                  tag: `burst-${i}`,
                  path: '/meetings',
                  body: { occurredOn: '2024-05', format: 'virtual', partyIds: [a, b], topics: [`Topic ${i}`], commitments: [{ description: `First ${i}` }, { description: `Second ${i}` }] },
                  events: 3,
                }
              : { tag: `burst-${i}`, path: `/agreements/${agreement}/amendments`, body: { summary: `Amendment ${i} by client ${c}`, on: '2024-01-01' }, events: 1 };
        sent.push(s);
        try {
          const r = await send(svc, s);
          if (r.status !== 200 && r.status !== 201) throw new Error(`${s.path}: ${r.status} ${JSON.stringify(r.body)}`);
          s.answer = r.body;
          acknowledged++;
        } catch (err) {
          if (!stop) throw err;
        }
      }
    };
    const clients = Promise.all([0, 1, 2, 3, 4, 5].map(client));
    await waitFor('100 acknowledged commands', async () => acknowledged >= 100, 60_000, 5);
    svc.kill('SIGKILL');
    stop = true;
    await svc.exited;
    await clients;
    const acked = sent.filter((s) => s.answer);
    const unacked = sent.filter((s) => !s.answer);
    expect(unacked.length).toBeGreaterThan(0); // some were in flight at the kill

    type Row = { tag: string; n: number; streams: string[]; versions: number[]; last: string; txs: number };
    const inLog = async (): Promise<Map<string, Row>> => {
      const rows: Row[] = await ds.query(
        `select metadata->>'correlationId' as tag, count(*)::int as n, array_agg(stream_id::text) as streams,
                array_agg(stream_version) as versions, max(global_position)::text as last, count(distinct transaction_id)::int as txs
           from events where metadata->>'correlationId' like 'burst-%' group by 1`,
      );
      return new Map(rows.map((r) => [r.tag, r]));
    };

    // After the kill, before any retry.
    svc = await startService({ databaseUrl: db.url });
    await svc.ready();
    let log = await inLog();
    for (const s of acked) {
      const row = log.get(s.tag);
      expect({ tag: s.tag, n: row?.n, txs: row?.txs, last: row?.last }).toEqual({ tag: s.tag, n: s.events, txs: 1, last: s.answer!.position });
      const at = row!.streams.findIndex((id, k) => id === s.answer!.id && row!.versions[k] === s.answer!.version);
      expect(at).toBeGreaterThanOrEqual(0);
    }
    for (const s of unacked) {
      const row = log.get(s.tag);
      if (row) expect({ tag: s.tag, n: row.n, txs: row.txs }).toEqual({ tag: s.tag, n: s.events, txs: 1 }); // whole, or not at all
    }
    expect([...log.keys()].every((tag) => sent.some((s) => s.tag === tag))).toBe(true);

    // The clients retry what they never heard back about, with the same Idempotency-Key.
    for (const s of unacked) {
      const r = await send(svc, s);
      expect([200, 201]).toContain(r.status);
    }
    log = await inLog();
    for (const s of sent) expect({ tag: s.tag, n: log.get(s.tag)?.n, txs: log.get(s.tag)?.txs }).toEqual({ tag: s.tag, n: s.events, txs: 1 });

    // The contended stream has no gap and no duplicate, and the hash chains hold.
    const versions: { v: number }[] = await ds.query(`select stream_version as v from events where stream_id = $1 order by 1`, [agreement]);
    expect(versions.map((r) => r.v)).toEqual(versions.map((_, i) => i + 1));
    const verify = await fetch(`${svc.base}/api/v1/audit/verify`, { headers: { authorization: `Bearer ${SERVICE_TOKENS.auditor}` } });
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ ok: true, firstBrokenPosition: null });
    console.log(`write burst: ${acked.length} acknowledged before kill -9, ${unacked.length} in flight; after restart and retries ${sent.length} commands, each once`);
  }, 120_000);

  it('during projection catch-up: after a restart the read models equal a clean rebuild', async () => {
    const { db, ds } = await database();
    const store = new EventStore(ds);
    await generateLog(store, 1500, 250);
    // A transaction left open here holds the projections' commit-order fence: they catch up to
    // this point of the log and wait, so the kill lands in the middle of the log, whatever the
    // machine's speed. And the meetings projection blocks inside its first batch on a locked table.
    const fence = new pg.Client({ connectionString: db.url });
    const lock = new pg.Client({ connectionString: db.url });
    await fence.connect();
    await lock.connect();
    cleanups.push(() => fence.end(), () => lock.end());
    await fence.query('begin');
    const [{ xid }] = (await fence.query('select pg_current_xact_id()::text as xid')).rows;
    await generateLog(store, 1500, 250);
    await lock.query('begin');
    await lock.query('lock table rm_meetings in access exclusive mode');
    const [{ head1 }] = await ds.query(`select max(global_position)::text as head1 from events where transaction_id < $1::xid8`, [xid]);
    const [{ head }] = await ds.query(`select max(global_position)::text as head from events`);
    expect(BigInt(head1)).toBeLessThan(BigInt(head));

    const checkpoints = async () =>
      new Map(((await ds.query(`select name, position::text as position from projection_checkpoints`)) as { name: string; position: string }[]).map((r) => [r.name, r.position]));

    let svc = await startService({ databaseUrl: db.url });
    await svc.ready();
    await waitFor('every projection but meetings at the fence, and meetings blocked mid-batch', async () => {
      const cps = await checkpoints();
      const others = [...cps].filter(([name]) => name !== 'meetings');
      const [{ waiting }] = await ds.query(
        `select count(*)::int as waiting from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'rm_meetings' and not l.granted`,
      );
      return others.length >= 9 && others.every(([, p]) => p === head1) && waiting > 0;
    });
    svc.kill('SIGKILL');
    expect(await svc.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const atKill = await checkpoints();
    expect(atKill.get('meetings')).toBe('0'); // its batch died uncommitted
    await lock.query('rollback');
    await fence.query('commit');

    svc = await startService({ databaseUrl: db.url });
    await svc.ready();
    // The dead instance's leases run out (5 s), then this one takes them and catches up.
    await waitFor('every projection at the head of the log', async () => [...(await checkpoints()).values()].every((p) => p === head), 60_000, 100);
    svc.kill('SIGTERM');
    expect(await svc.exited).toEqual({ code: 0, signal: null });

    const t = await startTestApp({ projections: false }, { db });
    try {
      const names = t.app.get(ProjectionRunner).names;
      expect(names).toContain('meetings');
      for (const name of names) {
        const report = await t.app.get(ProjectionRebuilder).rebuild(name, 'compare', 'crash-test');
        expect({ name, identical: report.identical, differences: report.tables.filter((x) => x.differing || x.missingInLive || x.missingInRebuild) }).toEqual({
          name,
          identical: true,
          differences: [],
        });
      }
    } finally {
      await t.close();
    }
  }, 180_000);
});
