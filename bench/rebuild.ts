import 'reflect-metadata';
import v8 from 'node:v8';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { EVENT_COLUMNS } from '../src/event-store/event-store.js';
import { ProjectionRebuilder, type RebuildReport } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { LOG_SIZES, withLogs } from './support/log.js';
import { type Machine, atLeast, below, machine, median, printTable, round, rssSampler, runMain, writeResult } from './support/report.js';

/**
 * Pattern 4, projection rebuild: every projection rebuilt at once from the start of the log
 * (the admin rebuild of every projection, `POST /admin/projections/rebuild`: one read of the log
 * for all, shadow tables, compare, swap), at two log sizes, in this process: the log
 * events per second, each projection's own rate, and the peak RSS. Beside it, a raw sequential
 * read of the same log (plain `pg`, keyset pages of 1000), taken twice just before and twice just after (their median), and
 * PostgreSQL's own cost of writing the rows the rebuild wrote (`serverCopy`).
 */

async function rawRead(url: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    let after = '0';
    let n = 0;
    const t = process.hrtime.bigint();
    for (;;) {
      const { rows } = await pool.query(`select ${EVENT_COLUMNS} from events where global_position > $1::bigint order by global_position limit 1000`, [after]);
      n += rows.length;
      if (rows.length < 1000) break;
      after = rows[rows.length - 1].position;
    }
    return n / (Number(process.hrtime.bigint() - t) / 1e9);
  } finally {
    await pool.end();
  }
}

interface FloorTable {
  table: string;
  rows: number;
  /** `create table ... as select` */
  copySeconds: number;
  /** every index of the table, built after the copy */
  indexSeconds: number;
  /** the index that took longest, and how long */
  slowestIndex: string;
  slowestIndexSeconds: number;
}

/**
 * PostgreSQL's own cost of writing what the rebuild wrote: every rebuilt table copied inside the
 * server (`create table ... as select`, then the same indexes), one table after another on one
 * connection. No log to read, no JSON, no network, no folding: a floor that any rebuild of these
 * rows pays, to show how much of a rebuild's time is the read models' size rather than our code.
 */
async function serverCopy(url: string, tables: string[]): Promise<{ seconds: number; rows: number; tables: FloorTable[] }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;
  try {
    await c.query('drop schema if exists bench_floor cascade; create schema bench_floor');
    let rows = 0;
    const perTable: FloorTable[] = [];
    const t = process.hrtime.bigint();
    for (const table of tables) {
      const tc = process.hrtime.bigint();
      const copied = (await c.query(`create table bench_floor.${table} as select * from public.${table}`)).rowCount ?? 0;
      const entry: FloorTable = { table, rows: copied, copySeconds: since(tc), indexSeconds: 0, slowestIndex: '', slowestIndexSeconds: 0 };
      rows += copied;
      const { rows: defs } = await c.query<{ indexname: string; indexdef: string }>(`select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename = $1`, [table]);
      for (const d of defs) {
        const ti = process.hrtime.bigint();
        await c.query(d.indexdef.replace(/^(CREATE (?:UNIQUE )?INDEX \S+ ON )(?:ONLY )?public\./, '$1bench_floor.'));
        const took = since(ti);
        entry.indexSeconds += took;
        if (took > entry.slowestIndexSeconds) Object.assign(entry, { slowestIndex: d.indexname, slowestIndexSeconds: took });
      }
      perTable.push(entry);
    }
    const seconds = since(t);
    await c.query('drop schema bench_floor cascade');
    return { seconds, rows, tables: perTable };
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const config = { ...loadConfig({ LOG_LEVEL: 'warn' }), projections: false, authTokens: [{ role: 'admin' as const, token: 'bench', label: 'bench' }] };
  const rows: Record<string, unknown>[] = [];
  const perProjection: Record<string, unknown>[] = [];
  let floorTables: Record<string, unknown>[] = [];
  const ratios: number[] = [];
  let peakRss = 0;
  let mach: Machine | undefined;
  await withLogs(LOG_SIZES, async (dbUrl, events) => {
    mach ??= await machine(dbUrl);
    // Two raw reads before and two after; their median is the reference. One read alone moved by
    // half from run to run (how much of the log the page cache held just then).
    const rawReads = [await rawRead(dbUrl), await rawRead(dbUrl)];
    const app = await createApp(config, dbUrl);
    // The live read models count as caught up (as a running service's are), so that the rebuild's
    // last stretch has nothing to apply to them: what is timed is the rebuild alone.
    await app.get(DataSource).query(
      `update projection_checkpoints c set transaction_id = h.transaction_id, position = h.global_position
         from (select transaction_id, global_position from events order by transaction_id desc, global_position desc limit 1) h`,
    );
    const rss = rssSampler();
    const t = process.hrtime.bigint();
    let reports: RebuildReport[];
    try {
      const rebuilder = app.get(ProjectionRebuilder);
      reports = await rebuilder.rebuildAll(app.get(ProjectionRunner).names, 'swap', 'bench');
    } finally {
      await app.close();
    }
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const peak = rss.stop();
    peakRss = Math.max(peakRss, peak);
    rawReads.push(await rawRead(dbUrl), await rawRead(dbUrl));
    const raw = median(rawReads);
    const floor = await serverCopy(dbUrl, reports.flatMap((r) => r.tables.map((x) => x.table)));
    const rate = events / seconds;
    // The time a rebuild may take at the target (0.5x the raw read), against the floor alone.
    const budget = events / (0.5 * raw);
    ratios.push(rate / raw);
    rows.push({
      events,
      projections: reports.length,
      seconds: round(seconds, 1),
      'rebuild ev/s': round(rate),
      'raw read ev/s': round(raw),
      'rebuild/raw': atLeast(rate / raw, 0.5),
      'peak RSS MB': peak,
      'rows written': floor.rows,
      'server copy s': round(floor.seconds, 1),
      'rebuild/server copy': `${round(seconds / floor.seconds, 1)}x the time`,
      'budget at 0.5x s': round(budget, 1),
      'server copy / budget': `${round(floor.seconds / budget, 1)}x`,
    });
    // Where the floor's time goes, at the last (largest) log: the rows a read model holds and its
    // indexes; the ten costliest tables (the others hold a few rows a party).
    floorTables = floor.tables
      .sort((a, b) => b.copySeconds + b.indexSeconds - (a.copySeconds + a.indexSeconds))
      .slice(0, 10)
      .map((x) => ({
        events,
        table: x.table,
        rows: x.rows,
        'copy s': round(x.copySeconds, 1),
        'indexes s': round(x.indexSeconds, 1),
        'slowest index': x.slowestIndex ? `${x.slowestIndex} ${round(x.slowestIndexSeconds, 1)} s` : '',
        'share of floor': `${round((100 * (x.copySeconds + x.indexSeconds)) / floor.seconds)}%`,
      }));
    for (const r of reports) perProjection.push({ events, projection: r.name, 'its events': r.events, seconds: round(r.seconds, 1), 'ev/s': round(r.eventsPerSecond) });
  });
  const flat = { 'rebuild/raw at large / at small': atLeast(ratios[1] / ratios[0], 0.9), 'peak RSS MB': below(peakRss, 250, ' MB') };
  printTable('Rebuild of every projection at once (log events per second over the wall time; RSS of this process)', rows);
  printTable('Each projection (rebuilt concurrently with the others)', perProjection);
  printTable('The server-copy floor at the larger log: its ten costliest tables', floorTables);
  printTable('Flat as the log grows; memory', [flat]);
  const heapLimitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  console.log(`(V8 heap limit of this process: ${heapLimitMb} MB)`);
  writeResult('rebuild', { machine: mach, heapLimitMb, rows, perProjection, floorTables, flat });
}

runMain(main);
