import 'reflect-metadata';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { EventStore } from '../src/event-store/event-store.js';
import { uuidv7 } from '../src/shared/ids.js';
import { benchDatabase, migrate } from './support/database.js';
import { BATCH, type Impl, POOL, meetingData, meta, nextStream, rawPg, writers } from './support/workloads.js';
import { QUICK, atLeast, concurrently, machine, median, printTable, round, runMain, writeResult } from './support/report.js';

/**
 * Pattern 1, append. The same writes three ways, in alternating rounds on one database:
 * - `entente`: the event store API (version check, per-stream hash chain, NOTIFY);
 * - `raw pg`: plain `pg` INSERTs into a table like `events` (same columns, indexes and
 *   unique (stream_id, stream_version)): the ceiling;
 * - `emmett`: @event-driven-io/emmett-postgresql, the nearest peer.
 * Workloads: 1 event per transaction with 1 and with 16 concurrent writers (each writer appends
 * to a stream of its own, at the version it knows, starting a new stream every 100 events), and
 * 100 events per transaction (one new stream per transaction, 1 writer).
 */

async function entente(url: string): Promise<Impl> {
  const ds = new DataSource(dataSourceOptions(url, { extra: { max: POOL, application_name: 'bench-entente' } }));
  await ds.initialize();
  const store = new EventStore(ds);
  return {
    name: 'entente',
    async one(w, n) {
      nextStream(w, uuidv7);
      const r = await store.append(
        [{ streamId: w.streamId, streamType: 'meeting', expectedVersion: w.version, events: [{ type: 'MeetingRecorded', data: meetingData(n), occurredOn: '2020-12' }] }],
        meta,
      );
      w.version = r.streams[0].version;
      return 1;
    },
    async batch(n) {
      const events = Array.from({ length: BATCH }, (_, i) => ({ type: 'MeetingRecorded', data: meetingData(n * BATCH + i), occurredOn: '2020-12' }));
      await store.append([{ streamId: uuidv7(), streamType: 'meeting', expectedVersion: 0, events }], meta);
      return BATCH;
    },
    close: () => ds.destroy(),
  };
}

async function emmett(url: string): Promise<Impl> {
  const pool = new pg.Pool({ connectionString: url, max: POOL, application_name: 'bench-emmett' });
  pool.on('error', () => undefined);
  const store: PostgresEventStore = getPostgreSQLEventStore(url, { connectionOptions: { pool } as never });
  await store.schema.migrate();
  const name = () => `meeting-${uuidv7()}`;
  return {
    name: 'emmett',
    async one(w, n) {
      nextStream(w, name);
      const r = await store.appendToStream(w.streamId, [{ type: 'MeetingRecorded', data: meetingData(n), metadata: meta }], {
        expectedStreamVersion: BigInt(w.version),
      });
      w.version = Number(r.nextExpectedStreamVersion);
      return 1;
    },
    async batch(n) {
      const events = Array.from({ length: BATCH }, (_, i) => ({ type: 'MeetingRecorded', data: meetingData(n * BATCH + i), metadata: meta }));
      await store.appendToStream(name(), events, { expectedStreamVersion: 0n });
      return BATCH;
    },
    async close() {
      await store.close();
      await pool.end().catch(() => undefined);
    },
  };
}

interface Workload {
  name: string;
  run(impl: Impl): Promise<number>;
}

const sizes = QUICK ? { one: 150, sixteen: 640, batches: 5, rounds: 5 } : { one: 1500, sixteen: 6000, batches: 40, rounds: 5 };

function workloads(): Workload[] {
  return [
    {
      name: '1 event/tx, 1 writer',
      run: (impl) => {
        const ws = writers(1);
        return concurrently(1, sizes.one, (w, i) => impl.one(ws[w], i));
      },
    },
    {
      name: '1 event/tx, 16 writers',
      run: (impl) => {
        const ws = writers(16);
        return concurrently(16, sizes.sixteen, (w, i) => impl.one(ws[w], i));
      },
    },
    { name: '100 events/tx, 1 writer', run: (impl) => concurrently(1, sizes.batches, (_, i) => impl.batch(i)) },
  ];
}

async function main(): Promise<void> {
  const db = await benchDatabase();
  try {
    await migrate(db.url);
    const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
    const make = async (name: string, f: (url: string) => Promise<Impl>) =>
      !only || only.includes(name) ? f(db.url) : ({ name, skip: true, close: async () => undefined } as unknown as Impl);
    const impls = [await make('entente', entente), await make('rawpg', rawPg), await make('emmett', emmett)];
    const loads = workloads();
    // rates[workload][impl] = events/s per round
    const rates = loads.map(() => impls.map(() => [] as number[]));
    // One warm-up round (JIT, pools, Emmett's schema), not counted.
    for (const load of loads) for (const impl of impls) if (!(impl as { skip?: boolean }).skip) await load.run(impl);
    for (let r = 0; r < sizes.rounds; r++) {
      for (const [li, load] of loads.entries()) {
        // Alternate the order each round, so no implementation always runs first or last.
        const order = impls.map((_, i) => (i + r) % impls.length);
        for (const ii of order) rates[li][ii].push((impls[ii] as { skip?: boolean }).skip ? NaN : await load.run(impls[ii]));
      }
      process.stdout.write(`\r  round ${r + 1}/${sizes.rounds}`);
    }
    console.log();
    for (const impl of impls) await impl.close();

    // Ratios are taken per round (neighbouring runs see the same load), then their median.
    const pairRatio = (li: number, a: number, b: number) => median(rates[li][a].map((x, r) => x / rates[li][b][r]));
    const rows = loads.map((load, li) => {
      const m = impls.map((_, ii) => median(rates[li][ii]));
      const vsRaw = pairRatio(li, 0, 1);
      return {
        workload: load.name,
        'entente ev/s': round(m[0]),
        'raw pg ev/s': round(m[1]),
        'emmett ev/s': round(m[2]),
        'entente/raw': li < 2 ? atLeast(vsRaw, 0.6) : round(vsRaw, 2),
        'emmett/raw': round(pairRatio(li, 2, 1), 2),
        'entente/emmett': round(pairRatio(li, 0, 2), 2),
      };
    });
    printTable(`Append: events per second, medians of ${sizes.rounds} alternating rounds; ratios: median of the per-round ratios`, rows);
    writeResult('append', {
      machine: await machine(db.url),
      sizes,
      rows,
      rounds: loads.map((load, li) => ({ workload: load.name, ...Object.fromEntries(impls.map((impl, ii) => [impl.name, rates[li][ii].map((x) => round(x))])) })),
    });
  } finally {
    await db.drop();
    await db.stop();
  }
}

runMain(main);
