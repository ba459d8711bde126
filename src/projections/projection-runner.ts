import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { EVENTS_CHANNEL, EventStore, FENCE_SQL, NO_EVENTS_TX } from '../event-store/event-store.js';
import type { LogCursor, StoredEvent } from '../event-store/event.types.js';
import { compareCursors } from '../event-store/log-cursor.js';
import { DATABASE_URL } from '../database/database.module.js';
import { READ_DB } from '../database/read-database.js';
import { returning } from '../database/rows.js';
import { analyzeIfStale } from '../database/statistics.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { Config } from '../config/config.js';
import { AppError } from '../shared/errors.js';
import { applyEvents, projectionTx } from './apply-batch.js';
import {
  ApplyError,
  DEFAULT_PROJECTION_OPTIONS,
  PROJECTION_OPTIONS,
  PROJECTIONS,
  type Projection,
  type ProjectionOptions,
  type ProjectionTx,
} from './projection.js';

/** The projector thread as its process's main thread sees it (src/projections/projector-thread.ts). */
export interface ProjectorLink {
  /** the instance id of the thread's runner (its leases' owner); null while it is not running */
  readonly instanceId: string | null;
  wake(): void;
}

interface Lease {
  epoch: string;
  status: 'running' | 'paused';
  retryAt: Date | null;
}

/** What a step learns in its first statement (see ProjectionRunner.step). */
interface StepStart {
  transaction_id: string;
  position: string;
  status: 'running' | 'paused';
  failures: number;
  fence: string;
  head_transaction_id: string | null;
  head_position: string | null;
  pending: boolean;
  has_skips: boolean;
}

/**
 * Whether an event of the given types lies after checkpoint `c` and below `fence`: one probe of
 * the `events_type` index per type. Written per type, with the index's order and `limit 1`,
 * because these statements are prepared and PostgreSQL plans them once for any types: a plain
 * `exists (... where type = any($n) ...)` got a generic plan that scanned the whole log (it
 * expected a match early on): 120 to 150 ms per step on a 50k-event log, ten steps at each poll
 * of an idle service, and every read stalled behind them. Ordered by the index, any other plan
 * would have to sort every match first, so the generic plan is the index probe.
 */
function pendingOf(types: string, c: string, fence: string): string {
  return `select 1 from unnest(${types}) as t(type),
            lateral (select 1 from events e
                      where e.type = t.type
                        and (e.transaction_id, e.global_position) > (${c}.transaction_id, ${c}.position)
                        and e.transaction_id < ${fence}
                      order by e.transaction_id, e.global_position limit 1) as first`;
}

const STEP_START = `
  select c.transaction_id::text as transaction_id, c.position::text as position, c.status, c.failures,
         f.fence::text as fence, h.transaction_id::text as head_transaction_id, h.global_position::text as head_position,
         exists (${pendingOf('$4::text[]', 'c', 'f.fence')}) as pending,
         exists (select 1 from projection_skips k where k.name = c.name) as has_skips,
         set_config('synchronous_commit', 'off', true) as commit_mode, ${NO_EVENTS_TX} as marked
    from projection_checkpoints c
   cross join lateral (select ${FENCE_SQL} as fence) f
    left join lateral (select transaction_id, global_position from events
                        where transaction_id < f.fence
                        order by transaction_id desc, global_position desc limit 1) h on true
   where c.name = $1 and c.owner = $2 and c.epoch = $3::bigint and c.lease_expires_at > clock_timestamp()
     for update of c`;

/**
 * See ProjectionRunner.advanceIdle. $1 this instance, $2 the projections it runs, $3 the event
 * types of each (a JSON object by name), $4 the lease in seconds. The statement commits
 * asynchronously and is marked as writing no events, as a step is.
 */
const ADVANCE_IDLE = `
  with mode as materialized (
         select set_config('synchronous_commit', 'off', true) as commit_mode, ${NO_EVENTS_TX} as marked),
       f as materialized (select ${FENCE_SQL} as fence from mode),
       h as materialized (
         select e.transaction_id, e.global_position from events e, f
          where e.transaction_id < f.fence order by e.transaction_id desc, e.global_position desc limit 1),
       idle as (
         select c.name from projection_checkpoints c, f
          where c.name = any($2::text[]) and c.owner = $1 and c.lease_expires_at > clock_timestamp()
            and c.status = 'running' and c.failures = 0 and c.retry_at is null
            and not exists (${pendingOf(`array(select jsonb_array_elements_text($3::jsonb -> c.name))`, 'c', 'f.fence')})
            for update of c skip locked),
       moved as (
         update projection_checkpoints c
            set transaction_id = h.transaction_id, position = h.global_position, updated_at = now(),
                lease_expires_at = clock_timestamp() + make_interval(secs => $4)
           from idle, h
          where c.name = idle.name and (c.transaction_id, c.position) < (h.transaction_id, h.global_position)
          returning c.name)
  select name from idle`;

const NONE: ReadonlySet<string> = new Set();

/** Raised inside a batch when the lease was lost: the batch rolls back, nothing is written. */
class LeaseLost extends Error {}

/**
 * Applies the log to every projection, in commit order, in batches. Each batch's writes and
 * its checkpoint commit in one transaction, so each event takes effect exactly once.
 *
 * Several instances may run against one database: each projection is run by the instance
 * holding its lease (the checkpoint row: owner, epoch, expiry, renewed by a heartbeat). Every
 * batch locks the row and checks owner and epoch, so a former owner that lost its lease, even
 * one paused mid-batch, cannot commit. A handler that throws parks its projection on that
 * event (a dead letter, retried with back-off) while the others go on.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('Projections');
  readonly instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly options: ProjectionOptions;
  private readonly leases = new Map<string, Lease>();
  private listener: pg.Client | null = null;
  private timers: NodeJS.Timeout[] = [];
  /** each projection's catch-up pass under way, and those woken again meanwhile */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private stopped = false;
  private started = false;

  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    @Inject(DATABASE_URL) private readonly url: string,
    @Inject(APP_CONFIG) private readonly config: Pick<Config, 'projections'>,
    @Optional() @Inject(PROJECTION_OPTIONS) options?: Partial<ProjectionOptions>,
    /** where the query endpoints read (a replica, or the primary): read-your-writes waits for its checkpoints */
    @Optional() @Inject(READ_DB) private readonly readDb?: DataSource,
  ) {
    this.options = { ...DEFAULT_PROJECTION_OPTIONS, ...options };
  }

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  projection(name: string): Projection | undefined {
    return this.projections.find((p) => p.name === name);
  }

  /** The projections this instance holds the lease of. */
  get owned(): string[] {
    return [...this.leases.keys()];
  }

  private projector: ProjectorLink | null = null;

  /**
   * Links the runner of this process's projector thread (main.ts, PROJECTIONS_THREAD=worker) to
   * this one, which then runs no projection itself: a wake here (read-your-writes, an operator's
   * resume or retry) wakes that runner, and its leases count as this process's (`holdsLease`).
   */
  attachProjector(link: ProjectorLink | null): void {
    this.projector = link;
  }

  /** Whether `owner`, a checkpoint's live lease holder, is this process: this runner or its projector thread's. */
  holdsLease(name: string, owner: string | null): boolean {
    if (this.leases.has(name)) return true;
    return owner !== null && owner === this.projector?.instanceId;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.query(`insert into projection_checkpoints (name) select unnest($1::text[]) on conflict (name) do nothing`, [this.names]);
    if (this.config.projections) await this.start();
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopped = false;
    this.listener = new pg.Client({ connectionString: this.url });
    this.listener.on('notification', () => this.wake());
    this.listener.on('error', (err) => this.log.warn(`listener: ${err.message}`));
    await this.listener.connect();
    await this.listener.query(`listen ${EVENTS_CHANNEL}`);
    this.timers.push(setInterval(() => this.wake(), this.options.pollMs));
    this.timers.push(setInterval(() => void this.heartbeat(), this.options.heartbeatMs));
    // Catching up reads the log by type: the planner needs statistics of it (not waited for).
    void this.store.refreshStatistics().catch((err) => this.log.warn(`analyze events: ${(err as Error).message}`));
    this.wake();
  }

  /** Stops at a batch boundary and gives the leases up, before the connection pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * Stops at a batch boundary. `release: false` keeps the leases until they expire, as a
   * process that died would: another instance takes over only after the lease time.
   */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all([...this.inFlight.values()].map((r) => r.catch(() => undefined)));
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
    if (release && this.leases.size) {
      // Hand over at once rather than after the lease expires.
      await this.db
        .query(`update projection_checkpoints set owner = null, lease_expires_at = null where owner = $1`, [this.instanceId])
        .catch(() => undefined);
    }
    this.leases.clear();
    this.started = false;
  }

  /**
   * Runs a catch-up pass of every projection now, or right after its pass under way. Each
   * projection runs on its own: one blocked inside a batch (a lock, a slow statement) holds
   * back none of the others.
   */
  wake(): void {
    this.projector?.wake();
    if (this.stopped || !this.started) return;
    if (this.advancing) {
      this.advanceAgain = true;
      return;
    }
    this.advancing = (async () => {
      do {
        this.advanceAgain = false;
        const idle = await this.advanceIdle();
        for (const p of this.projections) if (!idle.has(p.name)) this.wakeOne(p);
      } while (this.advanceAgain && !this.stopped);
    })().finally(() => {
      this.advancing = null;
    });
  }

  private advancing: Promise<void> | null = null;
  private advanceAgain = false;
  private handlesJson: string | null = null;

  /**
   * Moves, in one statement, the checkpoint of every projection this instance runs that has no
   * event of its types below the fence to the last event there; answers their names, which need
   * no step. Most writes concern three or four of the ten projections: the others' steps (four
   * round trips each, for every few writes) were most of the runner's work under a steady write
   * load, and what kept the projections that do have work waiting (bench/README.md). A checkpoint
   * a step holds locked is left to that step.
   */
  private async advanceIdle(): Promise<ReadonlySet<string>> {
    const owned = [...this.leases].filter(([, l]) => l.status === 'running' && !l.retryAt).map(([name]) => name);
    if (owned.length === 0) return NONE;
    const q = this.db.createQueryRunner();
    try {
      await q.connect();
      const rows: { name: string }[] = await projectionTx(q).query(ADVANCE_IDLE, [
        this.instanceId,
        owned,
        (this.handlesJson ??= JSON.stringify(Object.fromEntries(this.projections.map((p) => [p.name, p.handles])))),
        this.options.leaseSeconds,
      ]);
      return new Set(rows.map((r) => r.name));
    } catch (err) {
      this.log.warn(`advancing idle projections: ${(err as Error).message}`);
      return NONE;
    } finally {
      await q.release();
    }
  }

  private wakeOne(p: Projection): void {
    if (this.inFlight.has(p.name)) {
      this.again.add(p.name);
      return;
    }
    const run = (async () => {
      do {
        this.again.delete(p.name);
        await this.catchUp(p);
      } while (this.again.has(p.name) && !this.stopped);
    })().finally(() => {
      this.inFlight.delete(p.name);
    });
    this.inFlight.set(p.name, run);
  }

  private readonly sinceStatistics = new Map<string, { events: number; checkedAt: number; running: boolean }>();

  /**
   * Counts the events a projection read; past 1,000 since the last look (and at most every 5 s),
   * analyzes those of its tables whose statistics are behind (`analyzeIfStale`), in the
   * background: the planner then plans its prepared statements for the tables as they are now.
   */
  private noteApplied(p: Projection, read: number): void {
    if (read === 0) return;
    let s = this.sinceStatistics.get(p.name);
    if (!s) this.sinceStatistics.set(p.name, (s = { events: 0, checkedAt: 0, running: false }));
    s.events += read;
    if (s.events < 1000 || s.running || Date.now() - s.checkedAt < 5000) return;
    const state = s;
    state.events = 0;
    state.checkedAt = Date.now();
    state.running = true;
    analyzeIfStale(this.db, p.tables)
      .catch((err) => this.log.warn(`analyze ${p.name}: ${(err as Error).message}`))
      .finally(() => (state.running = false));
  }

  private async catchUp(p: Projection): Promise<void> {
    try {
      const lease = this.leases.get(p.name) ?? (await this.tryAcquire(p.name));
      if (!lease || lease.status === 'paused') return;
      if (lease.retryAt && lease.retryAt.getTime() > Date.now()) return;
      // A projection parked on a failing event retries that event alone first.
      let batch = lease.retryAt ? 1 : this.options.batchSize;
      while (!this.stopped) {
        try {
          const read = await this.step(p, lease.epoch, batch);
          this.noteApplied(p, read);
          if (read < batch) {
            if (batch === this.options.batchSize) return;
            batch = this.options.batchSize; // past the failing event: back to full batches
          }
        } catch (err) {
          if (err instanceof LeaseLost) {
            this.leases.delete(p.name);
            return;
          }
          if (!(err instanceof ApplyError)) throw err;
          if (batch > 1) {
            // Apply the events before the failing one, one per transaction, then park on it.
            batch = 1;
            continue;
          }
          await this.recordFailure(p, lease.epoch, err);
          return;
        }
      }
    } catch (err) {
      this.log.error(`${p.name}: ${(err as Error).stack ?? err}`);
    }
  }

  private readonly lastAttempt = new Map<string, number>();

  /** Leases held elsewhere are tried at most once per poll interval, not on every notification. */
  private async tryAcquire(name: string): Promise<Lease | null> {
    const last = this.lastAttempt.get(name) ?? 0;
    if (Date.now() - last < this.options.pollMs / 2) return null;
    this.lastAttempt.set(name, Date.now());
    return this.acquire(name);
  }

  /** Takes or renews the lease of a projection; null when another instance holds it. */
  private async acquire(name: string): Promise<Lease | null> {
    const rows: { epoch: string; status: 'running' | 'paused'; retry_at: Date | null }[] = await returning(
      this.db,
      `update projection_checkpoints
          set epoch = case when owner = $2 and lease_expires_at > clock_timestamp() then epoch else epoch + 1 end,
              owner = $2,
              lease_expires_at = clock_timestamp() + make_interval(secs => $3)
        where name = $1 and (owner is null or owner = $2 or lease_expires_at < clock_timestamp())
        returning epoch::text, status, retry_at`,
      [name, this.instanceId, this.options.leaseSeconds],
    );
    if (rows.length === 0) {
      this.leases.delete(name);
      return null;
    }
    const lease: Lease = { epoch: rows[0].epoch, status: rows[0].status, retryAt: rows[0].retry_at };
    const before = this.leases.get(name);
    if (!before || before.epoch !== lease.epoch) this.log.log(`${name}: lease taken (epoch ${lease.epoch})`);
    this.leases.set(name, lease);
    return lease;
  }

  /**
   * Renews the leases held, so that no other instance takes them while this one is alive. A
   * checkpoint that a step holds locked is skipped, not waited for: the step renews it when it
   * saves, and one statement waiting on it while holding the others' rows would stall every
   * projection of this instance behind one busy step.
   */
  private async heartbeat(): Promise<void> {
    if (this.stopped || this.leases.size === 0) return;
    try {
      const names = [...this.leases.keys()];
      const rows: { name: string; epoch: string; status: Lease['status']; retry_at: Date | null }[] = await this.db.query(
        `with held as (
           select name from projection_checkpoints
            where name = any($1::text[]) and owner = $2 and lease_expires_at > clock_timestamp()
              for update skip locked),
         renewed as (
           update projection_checkpoints c set lease_expires_at = clock_timestamp() + make_interval(secs => $3)
             from held where c.name = held.name
           returning c.name, c.epoch::text as epoch, c.status, c.retry_at)
         select name, epoch, status, retry_at from renewed
         union all
         select name, epoch::text, status, retry_at from projection_checkpoints
          where name = any($1::text[]) and owner = $2 and lease_expires_at > clock_timestamp()
            and name not in (select name from held)`,
        [names, this.instanceId, this.options.leaseSeconds],
      );
      const kept = new Map(rows.map((r) => [r.name, r]));
      for (const n of names) {
        const r = kept.get(n);
        // Pause, resume and skip are made by whichever instance took the admin request.
        if (r && r.epoch === this.leases.get(n)?.epoch) this.leases.set(n, { epoch: r.epoch, status: r.status, retryAt: r.retry_at });
        else this.leases.delete(n);
      }
    } catch (err) {
      this.log.warn(`heartbeat: ${(err as Error).message}`);
    }
  }

  /**
   * One batch in one transaction: lock the checkpoint (checking the lease), read events below
   * one fence, apply them, save the checkpoint. Answers how many events it read.
   *
   * A caught-up projection runs a step for every few writes, most of them of types it ignores,
   * so a step is kept to four round trips (begin, checkpoint, save, commit) plus the read and
   * the writes when there is something for it, each a prepared statement (bench/README.md).
   */
  async step(p: Projection, epoch: string, limit = this.options.batchSize): Promise<number> {
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      const tx = projectionTx(q);
      // One statement: the checkpoint (locked, checking the lease), the commit-order fence, the
      // last event below it, whether any event for this projection lies between the two, whether
      // it has skips; an asynchronous commit, and the mark of a transaction that writes no events.
      // A read model and its checkpoint commit together, so a crash that loses the last such
      // commits loses both, and they are applied again: exactly once still. Without the WAL flush
      // and with the mark (which the fence leaves out), a step holds no other projection back.
      const [cp] = await tx.query<StepStart>(STEP_START, [p.name, this.instanceId, epoch, p.handles]);
      if (!cp) throw new LeaseLost();
      if (cp.status === 'paused') {
        await q.rollbackTransaction();
        return 0;
      }
      const after: LogCursor = { transactionId: cp.transaction_id, position: cp.position };
      const events = cp.pending ? await this.store.readLog({ after, limit, types: p.handles, fence: cp.fence }, tx) : [];
      const skipped = cp.has_skips ? await this.skippedPositions(tx, p.name, events) : NONE;
      // No savepoint: a failing batch rolls back and the runner retries it one event at a time.
      await applyEvents(p, events, q, skipped, { savepoint: false });
      let next: LogCursor | null = events.length ? events[events.length - 1] : null;
      if (events.length < limit && cp.head_transaction_id !== null) {
        // Caught up: move past events of types this projection ignores, up to the fence,
        // so that read-your-writes sees them as applied.
        const head: LogCursor = { transactionId: cp.head_transaction_id, position: cp.head_position! };
        if (compareCursors(head, after) > 0 && (!next || compareCursors(head, next) > 0)) next = head;
      }
      if (next) await this.saveCheckpoint(tx, p.name, epoch, next);
      if (cp.failures > 0 && events.length > 0) await this.resolveFailures(q, p.name, events);
      await q.commitTransaction();
      return events.length;
    } catch (err) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await q.release();
    }
  }

  private async saveCheckpoint(tx: ProjectionTx, name: string, epoch: string, next: LogCursor): Promise<void> {
    // The fence: a former owner whose lease expired or was taken cannot move the checkpoint.
    // Saving renews the lease: the heartbeat skips a checkpoint a step holds locked.
    const rows = await returning(
      tx,
      `update projection_checkpoints set transaction_id = $4::xid8, position = $5::bigint, updated_at = now(),
              lease_expires_at = clock_timestamp() + make_interval(secs => $6)
        where name = $1 and owner = $2 and epoch = $3::bigint and lease_expires_at > clock_timestamp()
        returning name`,
      [name, this.instanceId, epoch, next.transactionId, next.position, this.options.leaseSeconds],
    );
    if (rows.length === 0) throw new LeaseLost();
  }

  private async skippedPositions(tx: ProjectionTx, name: string, events: StoredEvent[]): Promise<ReadonlySet<string>> {
    if (events.length === 0) return NONE;
    const rows: { position: string }[] = await tx.query(
      `select position::text as position from projection_skips where name = $1 and position = any($2::bigint[])`,
      [name, events.map((e) => e.position)],
    );
    return new Set(rows.map((r) => r.position));
  }

  private async resolveFailures(q: QueryRunner, name: string, events: StoredEvent[]): Promise<void> {
    await q.query(
      `update projection_dead_letters set resolved_at = now(), resolution = 'applied'
        where name = $1 and resolved_at is null and position = any($2::bigint[])`,
      [name, events.map((e) => e.position)],
    );
    await q.query(`update projection_checkpoints set failures = 0, retry_at = null where name = $1`, [name]);
  }

  /** A dead letter for the failing event, and a retry after a back-off that doubles per failure. */
  private async recordFailure(p: Projection, epoch: string, err: ApplyError): Promise<void> {
    const message = err.cause instanceof Error ? (err.cause.stack ?? err.cause.message) : String(err.cause);
    await this.db.query(
      `insert into projection_dead_letters (name, position, transaction_id, event_type, error)
       values ($1, $2::bigint, $3::xid8, $4, $5)
       on conflict (name, position) do update
         set attempts = projection_dead_letters.attempts + 1, error = excluded.error, last_failed_at = now(),
             resolved_at = null, resolution = null`,
      [p.name, err.event.position, err.event.transactionId, err.event.type, message.slice(0, 4000)],
    );
    const [row] = await returning(
      this.db,
      `update projection_checkpoints
          set failures = failures + 1,
              retry_at = clock_timestamp() + make_interval(secs => least($4::float8, $3::float8 * power(2, failures)) / 1000.0)
        where name = $1 and epoch = $2::bigint
        returning failures, retry_at`,
      [p.name, epoch, this.options.retryBaseMs, this.options.maxRetryMs],
    );
    if (row) this.leases.set(p.name, { ...this.leases.get(p.name)!, retryAt: row.retry_at });
    this.log.error(`${p.name}: ${err.message} (failure ${row?.failures ?? '?'}; retry at ${row?.retry_at?.toISOString?.() ?? '?'})`);
  }

  /**
   * Read-your-writes: waits until every named projection has applied the event at `position`,
   * up to `timeoutMs`; then 503 with Retry-After. Reads the checkpoints, so it holds whichever
   * instance runs the projections; on the read replica when there is one (DATABASE_READ_URL), since
   * that is where the query will read: the replica must have replayed the checkpoint too.
   */
  async waitFor(names: string[], position: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let target: LogCursor | null = null;
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      target ??= await this.store.cursorOf(position);
      if (target) {
        const rows: { transaction_id: string; position: string }[] = await (this.readDb ?? this.db).query(
          `select transaction_id::text as transaction_id, position::text as position from projection_checkpoints where name = any($1::text[])`,
          [names],
        );
        const t = target;
        if (rows.length === names.length && rows.every((r) => compareCursors({ transactionId: r.transaction_id, position: r.position }, t) >= 0)) {
          return;
        }
      }
      if (Date.now() >= deadline) {
        throw new AppError(
          'unavailable',
          'PROJECTION.NOT_CAUGHT_UP',
          `The read model has not yet applied position ${position}; try again shortly.`,
          undefined,
          { 'Retry-After': '1' },
        );
      }
      this.wake();
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
