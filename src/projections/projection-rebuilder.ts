import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { EventStore, NO_EVENTS_TX } from '../event-store/event-store.js';
import type { LogCursor, StoredEvent } from '../event-store/event.types.js';
import { AppError } from '../shared/errors.js';
import { applyEvents } from './apply-batch.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** batches a projection may have waiting to be applied while a rebuild of all reads on */
const QUEUED = 2;
/** how often a rebuild's progress is written to projection_rebuilds, at most */
const PROGRESS_SAVE_MS = 250;

/** Claims the rebuild of a projection: none may be running (or one stuck for an hour). */
const CLAIM = `insert into projection_rebuilds (name, status, mode, requested_by) values ($1, 'running', $2, $3)
  on conflict (name) do update set status = 'running', mode = excluded.mode, requested_by = excluded.requested_by,
    started_at = now(), finished_at = null, events_done = 0, events_total = 0, events_per_second = null,
    differences = null, error = null
  where projection_rebuilds.status <> 'running' or projection_rebuilds.started_at < now() - interval '1 hour'
  returning name`;

export interface TableComparison {
  table: string;
  equal: number;
  differing: number;
  /** rows the rebuild produced that the live table lacks */
  missingInLive: number;
  /** rows of the live table the rebuild did not produce */
  missingInRebuild: number;
  /** up to five rows that are not equal: their key, and the columns that differ */
  examples: { key: Record<string, unknown>; columns: string[] }[];
}

export interface RebuildReport {
  name: string;
  mode: 'swap' | 'compare';
  events: number;
  seconds: number;
  eventsPerSecond: number;
  tables: TableComparison[];
  identical: boolean;
}

export interface RebuildProgress {
  done: number;
  total: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
}

/**
 * Rebuilds a projection from the start of the log into shadow copies of its tables (a schema
 * of their own, reached through the search path, so handlers need no change), catches up,
 * compares the copies with the live tables, and (mode `swap`) swaps them in one transaction.
 * Reads keep using the live tables until the swap.
 */
@Injectable()
export class ProjectionRebuilder {
  private readonly log = new Logger('Rebuild');
  private readonly inFlight = new Map<string, Promise<RebuildReport>>();
  /** Events read from the log at a time, and applied per shadow transaction. Tests set it small. */
  batchSize = 1000;

  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  /** Starts a rebuild in the background (the 202 of the admin endpoint). */
  async start(name: string, requestedBy: string, mode: 'swap' | 'compare' = 'swap'): Promise<void> {
    const p = this.runner.projection(name);
    if (!p) throw AppError.notFound('projection', name);
    const claimed = await this.db.query(CLAIM, [name, mode, requestedBy]);
    if (claimed.length === 0) throw AppError.rule('PROJECTION.REBUILD_RUNNING', `A rebuild of ${name} is already running.`);
    this.track(name, this.run(p, mode));
  }

  /** Marks a rebuild failed when it fails, and keeps it for `finished` while it runs. */
  private track(name: string, run: Promise<RebuildReport>): void {
    const tracked = run.catch(async (err) => {
      this.log.error(`${name}: ${(err as Error).stack ?? err}`);
      await this.db
        .query(`update projection_rebuilds set status = 'failed', finished_at = now(), error = $2 where name = $1`, [name, String((err as Error).message ?? err)])
        .catch(() => undefined);
      throw err;
    });
    this.inFlight.set(name, tracked);
    tracked.finally(() => this.inFlight.delete(name)).catch(() => undefined);
  }

  /**
   * Rebuilds several projections at once from one read of the log (a rebuild of each reads the
   * whole log by its own types, and four of them see nearly every event): each batch of the log
   * goes to every projection it holds events of, and a projection applies its share in its own
   * shadow transaction once it has a batch's worth. Then each one finishes as `rebuild` does
   * (the last stretch, the comparison, the swap). All are claimed, or none.
   */
  async rebuildAll(names: string[], mode: 'swap' | 'compare', requestedBy: string, onProgress?: (name: string, p: RebuildProgress) => void): Promise<RebuildReport[]> {
    await this.startAll(names, requestedBy, mode);
    if (onProgress) for (const name of names) this.progressListeners.set(name, (p) => onProgress(name, p));
    try {
      // Every one settled (its status written) before this answers, a failure included.
      const settled = await Promise.allSettled(names.map((name) => this.finished(name)));
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((r) => (r as PromiseFulfilledResult<RebuildReport>).value);
    } finally {
      for (const name of names) this.progressListeners.delete(name);
    }
  }

  /** Starts `rebuildAll` in the background (the 202 of the admin endpoint). */
  async startAll(names: string[], requestedBy: string, mode: 'swap' | 'compare' = 'swap'): Promise<void> {
    const projections: Projection[] = [];
    for (const name of names) {
      const p = this.runner.projection(name);
      if (!p) throw AppError.notFound('projection', name);
      projections.push(p);
    }
    // One transaction: all are claimed, or none.
    await this.db.transaction(async (m) => {
      for (const name of names) {
        if ((await m.query(CLAIM, [name, mode, requestedBy])).length === 0) {
          throw AppError.rule('PROJECTION.REBUILD_RUNNING', `A rebuild of ${name} is already running.`);
        }
      }
    });
    const jobs = this.runTogether(projections, mode);
    names.forEach((name, i) => this.track(name, jobs.then((js) => js[i])));
  }

  /** One read of the log for every job; answers the promise of each one's report. */
  private async runTogether(projections: Projection[], mode: 'swap' | 'compare'): Promise<Promise<RebuildReport>[]> {
    const jobs: Job[] = [];
    // Per projection, its batches not yet awaited, in order; each starts when the one before ends.
    const chains: Promise<void>[][] = [];
    try {
      for (const p of projections) jobs.push(await this.prepare(p));
      const handles = jobs.map((j) => new Set(j.p.handles));
      const pending: StoredEvent[][] = jobs.map(() => []);
      // Each projection applies its batches in order, on its own chain, while the log is read on
      // and the others apply theirs: Node folds one projection's batch while PostgreSQL writes
      // another's. A chain holds at most QUEUED batches; the read waits for the slowest.
      for (const _ of jobs) chains.push([]);
      let failure = null as { err: unknown } | null;
      const flush = (i: number) => {
        const events = pending[i];
        pending[i] = [];
        const chain = chains[i];
        const before = chain[chain.length - 1] ?? Promise.resolve();
        chain.push(
          before
            .then(async () => {
              if (failure) return;
              await this.inShadow(jobs[i].shadow, (q) => this.applyRead(jobs[i].p, q, events));
              await this.progressed(jobs[i], events.length);
            })
            .catch((err) => {
              failure ??= { err };
            }),
        );
      };
      const read = async (after: LogCursor) => this.store.readLog({ after, limit: this.batchSize, fence: await this.store.currentFence() });
      let cursor: LogCursor = { transactionId: '0', position: '0' };
      // The next batch is read while the projections apply this one.
      for (let next = read(cursor); ; ) {
        const events = await next;
        for (const e of events) handles.forEach((h, i) => h.has(e.type) && pending[i].push(e));
        if (events.length) cursor = events[events.length - 1];
        const last = events.length < this.batchSize;
        if (!last) {
          next = read(cursor);
          // Awaited below; if a flush fails first, this read's own failure must not go unhandled.
          next.catch(() => undefined);
        }
        pending.forEach((batch, i) => (batch.length >= this.batchSize || (last && batch.length > 0) ? flush(i) : undefined));
        for (const chain of chains) while (chain.length > (last ? 0 : QUEUED)) await chain.shift();
        if (failure) throw failure.err;
        if (last) break;
      }
      for (const j of jobs) j.cursor = cursor;
    } catch (err) {
      await Promise.all(chains.flat()); // never rejects: a chain's failure is kept in `failure`
      for (const j of jobs) await this.db.query(`drop schema if exists ${j.shadow} cascade`).catch(() => undefined);
      throw err;
    }
    return jobs.map((j) => this.finish(j, mode));
  }

  /** Waits for a rebuild this instance started (tests, the replay command). */
  async finished(name: string): Promise<RebuildReport> {
    const run = this.inFlight.get(name);
    if (!run) throw new Error(`no rebuild of ${name} under way here`);
    return run;
  }

  /** Rebuilds and answers the report; used directly by `npm run replay`. */
  async rebuild(name: string, mode: 'swap' | 'compare', requestedBy: string, onProgress?: (p: RebuildProgress) => void): Promise<RebuildReport> {
    await this.start(name, requestedBy, mode);
    // Only once claimed: a refused rebuild must not take the listener of the one running.
    if (onProgress) this.progressListeners.set(name, onProgress);
    try {
      return await this.finished(name);
    } finally {
      this.progressListeners.delete(name);
    }
  }

  private readonly progressListeners = new Map<string, (p: RebuildProgress) => void>();

  private async run(p: Projection, mode: 'swap' | 'compare'): Promise<RebuildReport> {
    const job = await this.prepare(p);
    // Catch up in batches, each its own transaction, outside any lock: reads go on.
    for (;;) {
      const r = await this.inShadow(job.shadow, async (q) => {
        const fence = await this.store.currentFence(q);
        return this.applyBatch(p, q, job.cursor, fence);
      });
      job.cursor = r.cursor;
      await this.progressed(job, r.read);
      if (r.read < this.batchSize) break;
    }
    return this.finish(job, mode);
  }

  /** The shadow copies, the statistics and the count of events to apply. */
  private async prepare(p: Projection): Promise<Job> {
    const started = Date.now();
    const shadow = shadowSchema(p.name);
    const indexes = await this.createShadow(p, shadow);
    // A rebuild reads the whole log by type in commit order: the planner needs to know the log.
    await this.store.refreshStatistics();
    const [{ total }] = await this.db.query(`select count(*)::bigint::text as total from events where type = any($1::text[])`, [p.handles]);
    await this.db.query(`update projection_rebuilds set events_total = $2 where name = $1`, [p.name, total]);
    return { p, started, shadow, indexes, total: Number(total), done: 0, cursor: { transactionId: '0', position: '0' }, saved: 0 };
  }

  private async progressed(job: Job, applied: number): Promise<void> {
    job.done += applied;
    const seconds = (Date.now() - job.started) / 1000;
    const rate = job.done / Math.max(seconds, 0.001);
    const progress: RebuildProgress = { done: job.done, total: job.total, eventsPerSecond: rate, etaSeconds: rate > 0 ? Math.max(0, (job.total - job.done) / rate) : null };
    this.progressListeners.get(job.p.name)?.(progress);
    // Each write is a commit of its own: a few a second are enough for GET /admin/projections.
    if (Date.now() - job.saved < PROGRESS_SAVE_MS) return;
    job.saved = Date.now();
    await this.db.query(`update projection_rebuilds set events_done = $2, events_per_second = $3 where name = $1`, [job.p.name, job.done, rate.toFixed(1)]);
  }

  /** The indexes, the last stretch, the comparison and (mode `swap`) the swap. */
  private async finish(job: Job, mode: 'swap' | 'compare'): Promise<RebuildReport> {
    const { p, shadow, indexes, started } = job;
    let { cursor, done } = job;
    for (const def of indexes) await this.db.query(def);

    // The last stretch, the comparison and the swap in one transaction that holds the live
    // checkpoint: the live runner waits, readers do not (until the swap's brief lock).
    const q = this.db.createQueryRunner();
    await q.connect();
    let tables: TableComparison[];
    try {
      await q.startTransaction();
      const [cp] = await q.query(
        `select transaction_id::text as "transactionId", position::text as position from projection_checkpoints where name = $1 for update`,
        [p.name],
      );
      const fence = await this.store.currentFence(q);
      // Bring both copies to the same fence: the shadow from its cursor, the live tables from theirs.
      await q.query(`set local search_path to ${shadow}, public`);
      for (let r = { read: this.batchSize, cursor }; r.read === this.batchSize; ) {
        r = await this.applyBatch(p, q, r.cursor, fence);
        done += r.read;
        cursor = r.cursor;
      }
      await q.query(`set local search_path to public`);
      let live: LogCursor = cp;
      for (let r = { read: this.batchSize, cursor: live }; r.read === this.batchSize; ) {
        r = await this.applyBatch(p, q, r.cursor, fence);
        live = r.cursor;
      }
      tables = [];
      for (const t of p.tables) tables.push(await compareTables(q, t, shadow));
      if (mode === 'swap') {
        await lockForSwap(q, p.tables);
        for (const t of p.tables) await swapTable(q, t, shadow);
        const head = (await this.store.lastBelow(fence, q)) ?? cursor;
        await q.query(`update projection_checkpoints set transaction_id = $2::xid8, position = $3::bigint, updated_at = now() where name = $1`, [
          p.name,
          head.transactionId,
          head.position,
        ]);
      } else {
        const head = (await this.store.lastBelow(fence, q)) ?? live;
        await q.query(`update projection_checkpoints set transaction_id = $2::xid8, position = $3::bigint, updated_at = now() where name = $1`, [
          p.name,
          head.transactionId,
          head.position,
        ]);
      }
      await q.query(`drop schema if exists ${shadow} cascade`);
      await q.commitTransaction();
    } catch (err) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      await this.db.query(`drop schema if exists ${shadow} cascade`).catch(() => undefined);
      throw err;
    } finally {
      await q.release();
    }

    const seconds = (Date.now() - started) / 1000;
    const report: RebuildReport = {
      name: p.name,
      mode,
      events: done,
      seconds,
      eventsPerSecond: done / Math.max(seconds, 0.001),
      tables,
      identical: tables.every((t) => t.differing === 0 && t.missingInLive === 0 && t.missingInRebuild === 0),
    };
    await this.db.query(
      `update projection_rebuilds set status = 'done', finished_at = now(), events_done = $2, events_per_second = $3, differences = $4 where name = $1`,
      [p.name, done, report.eventsPerSecond.toFixed(1), JSON.stringify(tables)],
    );
    this.runner.wake();
    this.log.log(`${p.name}: ${mode} of ${done} events in ${seconds.toFixed(1)} s; ${report.identical ? 'identical to the live tables' : 'DIFFERENT from the live tables'}`);
    return report;
  }

  /**
   * Copies of the live tables with their keys (primary keys, unique constraints and indexes:
   * the upserts need them) and the indexes the projection's writes look rows up by
   * (`writeIndexes`), but without their other indexes: those are built once the copies are
   * filled (`indexShadow`), in one pass, rather than kept up event by event (a full-text GIN
   * index kept up for a million rows made the meetings rebuild twice as slow at 1M as at 100k).
   * Returns the statements that build the rest.
   */
  private async createShadow(p: Projection, shadow: string): Promise<string[]> {
    await this.db.query(`drop schema if exists ${shadow} cascade`);
    await this.db.query(`create schema ${shadow}`);
    const later: string[] = [];
    for (const t of p.tables) {
      await this.db.query(`create table ${shadow}.${t} (like public.${t} including all excluding indexes)`);
      const constraints: { def: string }[] = await this.db.query(
        `select pg_get_constraintdef(c.oid) as def from pg_constraint c
          where c.conrelid = $1::regclass and c.contype in ('p', 'u', 'x') order by c.contype, c.conname`,
        [`public.${t}`],
      );
      for (const c of constraints) await this.db.query(`alter table ${shadow}.${t} add ${c.def}`);
      const indexes: { def: string; unique: boolean }[] = await this.db.query(
        `select pg_get_indexdef(i.indexrelid) as def, i.indisunique as unique from pg_index i
          where i.indrelid = $1::regclass and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
          order by i.indexrelid`,
        [`public.${t}`],
      );
      for (const ix of indexes) {
        const def = ix.def.replace(/^(CREATE (?:UNIQUE )?INDEX \S+ ON )(?:ONLY )?\S+\.(\S+)/, `$1${shadow}.$2`);
        const name = /^CREATE (?:UNIQUE )?INDEX (\S+) /.exec(ix.def)?.[1];
        if (ix.unique || (name && p.writeIndexes?.includes(name))) await this.db.query(def);
        else later.push(def);
      }
    }
    return later;
  }

  private async inShadow<T>(shadow: string, work: (q: QueryRunner) => Promise<T>): Promise<T> {
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      // Shadow tables are thrown away if the rebuild does not finish: no need to wait for the WAL flush.
      await q.query(`set local search_path to ${shadow}, public; set local synchronous_commit = off; select ${NO_EVENTS_TX}`);
      const result = await work(q);
      await q.commitTransaction();
      return result;
    } catch (err) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await q.release();
    }
  }

  private async applyBatch(p: Projection, q: QueryRunner, after: LogCursor, fence: string): Promise<{ read: number; cursor: LogCursor }> {
    const events = await this.store.readLog({ after, limit: this.batchSize, types: p.handles, fence }, q);
    await this.applyRead(p, q, events);
    return { read: events.length, cursor: events.length ? events[events.length - 1] : after };
  }

  /** Applies events read from the log, but those an operator marked to skip. */
  private async applyRead(p: Projection, q: QueryRunner, events: StoredEvent[]): Promise<void> {
    const skips: { position: string }[] = events.length
      ? await q.query(`select position::text as position from public.projection_skips where name = $1 and position = any($2::bigint[])`, [
          p.name,
          events.map((e) => e.position),
        ])
      : [];
    await applyEvents(p, events, q, new Set(skips.map((s) => s.position)));
  }
}

/** A rebuild under way: its shadow schema, the indexes still to build, how far it has got. */
interface Job {
  p: Projection;
  started: number;
  shadow: string;
  indexes: string[];
  total: number;
  done: number;
  cursor: LogCursor;
  /** when its progress was last written to projection_rebuilds (ms) */
  saved: number;
}

export function shadowSchema(name: string): string {
  return `rebuild_${name.replace(/[^a-z0-9_]/gi, '_')}`;
}

async function primaryKey(q: QueryRunner, table: string): Promise<string[]> {
  const rows: { attname: string }[] = await q.query(
    `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey, a.attnum)`,
    [`public.${table}`],
  );
  return rows.map((r) => r.attname);
}

/** Rows equal, differing (same key, other values) and missing on either side. */
async function compareTables(q: QueryRunner, table: string, shadow: string): Promise<TableComparison> {
  const key = await primaryKey(q, table);
  if (key.length === 0) throw new Error(`${table} has no primary key to compare by`);
  const on = key.map((k) => `l.${k} = s.${k}`).join(' and ');
  const [r] = await q.query(
    `select count(*) filter (where l.${key[0]} is not null and s.${key[0]} is not null and to_jsonb(l) = to_jsonb(s))::int as equal,
            count(*) filter (where l.${key[0]} is not null and s.${key[0]} is not null and to_jsonb(l) <> to_jsonb(s))::int as differing,
            count(*) filter (where l.${key[0]} is null)::int as "missingInLive",
            count(*) filter (where s.${key[0]} is null)::int as "missingInRebuild"
       from public.${table} l full join ${shadow}.${table} s on ${on}`,
  );
  const examples = await q.query(
    `select jsonb_build_object(${key.map((k) => `'${k}', coalesce(l.${k}, s.${k})`).join(', ')}) as key,
            coalesce((select array_agg(k order by k) from jsonb_object_keys(coalesce(to_jsonb(l), to_jsonb(s))) k
                       where to_jsonb(l) -> k is distinct from to_jsonb(s) -> k), '{}') as columns
       from public.${table} l full join ${shadow}.${table} s on ${on}
      where to_jsonb(l) is distinct from to_jsonb(s)
      limit 5`,
  );
  return { table, ...r, examples };
}

/**
 * Takes every live table of the projection before the first drop. Readers lock the tables of
 * a query in their own order, so dropping them one by one could deadlock with a reader that
 * holds the second and waits for the first. The lock is tried with a short timeout (shorter
 * than PostgreSQL's deadlock check) and retried, so a reader is never the one that fails: it
 * waits a moment at most, then reads the new tables.
 */
async function lockForSwap(q: QueryRunner, tables: readonly string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await q.query('savepoint swap_lock');
    try {
      await q.query(`set local lock_timeout = '200ms'`);
      await q.query(`lock table ${tables.map((t) => `public.${t}`).join(', ')} in access exclusive mode`);
      await q.query('set local lock_timeout to default');
      await q.query('release savepoint swap_lock');
      return;
    } catch (err) {
      await q.query('rollback to savepoint swap_lock');
      const e = err as { code?: string; driverError?: { code?: string } };
      if ((e.code ?? e.driverError?.code) !== '55P03' || attempt >= 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(20 * attempt, 500)));
    }
  }
}

/**
 * Puts the shadow table in place of the live one and gives its indexes the live indexes'
 * names, so that later migrations find them.
 */
async function swapTable(q: QueryRunner, table: string, shadow: string): Promise<void> {
  const indexes = async (schema: string) =>
    (await q.query(
      `select c.relname as name, regexp_replace(pg_get_indexdef(c.oid), '^CREATE (UNIQUE )?INDEX \\S+ ON \\S+', '') as def
         from pg_index i join pg_class c on c.oid = i.indexrelid
        where i.indrelid = $1::regclass order by c.relname`,
      [`${schema}.${table}`],
    )) as { name: string; def: string }[];
  const live = await indexes('public');
  const fresh = await indexes(shadow);
  const constraints: { conname: string; indexname: string }[] = await q.query(
    `select con.conname, c.relname as indexname from pg_constraint con join pg_class c on c.oid = con.conindid
      where con.conrelid = $1::regclass and con.conindid <> 0`,
    [`public.${table}`],
  );
  await q.query(`drop table public.${table}`);
  await q.query(`alter table ${shadow}.${table} set schema public`);
  const used = new Set<string>();
  for (const l of live) {
    const match = fresh.find((f) => f.def === l.def && !used.has(f.name));
    if (!match) continue;
    used.add(match.name);
    if (match.name === l.name) continue;
    const constraint = constraints.find((c) => c.indexname === l.name);
    const freshConstraint: { conname: string }[] = await q.query(
      `select con.conname from pg_constraint con join pg_class c on c.oid = con.conindid where con.conrelid = $1::regclass and c.relname = $2`,
      [`public.${table}`, match.name],
    );
    if (constraint && freshConstraint.length) {
      await q.query(`alter table public.${table} rename constraint ${freshConstraint[0].conname} to ${constraint.conname}`);
    } else {
      await q.query(`alter index public.${match.name} rename to ${l.name}`);
    }
  }
}
