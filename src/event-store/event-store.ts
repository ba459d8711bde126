import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { queryRows } from '../database/pg-query.js';
import { analyzeIfStale } from '../database/statistics.js';
import { ConcurrencyError } from '../shared/errors.js';
import { eventHash } from './event-hash.js';
import { EVENT_REGISTRY, EventRegistry } from './event-registry.js';
import type {
  AppendResult,
  EventMetadata,
  LogCursor,
  StoredEvent,
  StreamWrite,
} from './event.types.js';

export const EVENTS_CHANNEL = 'entente_events';

/** Stored alongside the events, in the same transaction, so a retry gets the first answer. */
export interface IdempotencyRecord {
  actor: string;
  key: string;
  requestHash: string;
  status: number;
  /** builds the answer to store from what the append wrote */
  response: (result: AppendResult) => object;
}

export interface StoredAnswer {
  requestHash: string;
  status: number;
  response: Record<string, unknown>;
}

/** Raised when a concurrent request with the same Idempotency-Key committed first. */
export class IdempotencyRaceError extends Error {
  constructor() {
    super('a request with the same idempotency key committed first');
  }
}

export interface ReadLogOptions {
  after?: LogCursor;
  limit?: number;
  types?: readonly string[];
  /**
   * read below this transaction id; by default the xmin of the statement's snapshot. Pass the
   * value of `currentFence()` to read several times against one fence in one transaction.
   */
  fence?: string;
  /** as stored, without upcasting (the verifier hashes what is stored) */
  raw?: boolean;
}

/**
 * The columns of a stored event. `transaction_id` comes out under another name: an output column
 * named `transaction_id` (text) would be what `order by transaction_id` sorts by, in text order
 * ('10' < '9') and without the commit-order index, so every page sorted everything after it.
 */
export const EVENT_COLUMNS = `global_position::text as position, transaction_id::text as transaction_id_text, stream_id,
  stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash`;

/**
 * The append-only log. Appends are one transaction; `unique (stream_id, stream_version)`
 * decides races between writers of one stream. The log is read in commit order.
 */
@Injectable()
export class EventStore {
  private readonly registry: EventRegistry;
  private readonly heads = new KnownHeads();
  private readonly types = new BoundedMap<string, string>(50_000);
  private readonly notifier: CommitNotifier;
  private readonly appendedListeners: ((types: string[]) => void)[] = [];

  constructor(
    private readonly db: DataSource,
    @Optional() @Inject(EVENT_REGISTRY) registry?: EventRegistry,
  ) {
    this.registry = registry ?? new EventRegistry();
    this.notifier = new CommitNotifier(async (position) => {
      await this.db.query(`select pg_notify($1, $2)`, [EVENTS_CHANNEL, position]);
    });
  }

  /** See `EventRegistry.fingerprint`. */
  schemaFingerprint(): string {
    return this.registry.fingerprint();
  }

  /** Whether an event of `type` stored at `version` is read as stored (no upcaster applies). */
  isCurrent(type: string, version: number): boolean {
    return this.registry.isCurrent(type, version);
  }

  /** `data`, stored at `version`, in its type's current shape (what `read` does to a row). */
  upcast(type: string, version: number, data: unknown): { version: number; data: unknown } {
    return this.registry.upcast(type, version, data);
  }

  /** A stored row as readers see it: in the current shape of its type. */
  read = (r: Record<string, any>): StoredEvent => {
    const e = toStoredEvent(r);
    const { version, data } = this.registry.upcast(e.type, e.schemaVersion, e.data);
    return version === e.schemaVersion ? e : { ...e, schemaVersion: version, data: data as StoredEvent['data'] };
  };

  /**
   * Appends in one transaction. Without an idempotency key that transaction is one statement
   * (autocommit), so the common append is a single round trip:
   * - the head (version and hash) of each stream comes from what this store last read or wrote
   *   of it (a command handler has just read the stream it appends to); only a stream not known
   *   at the expected version (or written at `any`) is read first;
   * - `unique (stream_id, stream_version)` still decides races: a writer that lost one gets a
   *   `ConcurrencyError`, and nothing of its transaction is written;
   * - `recorded_at` is taken here (to the millisecond), so the hashed timestamp is the stored one;
   * - NOTIFY follows the commit (coalesced, see `CommitNotifier`) instead of being sent inside
   *   the transaction, where PostgreSQL serializes the commits of every notifying transaction.
   */
  async append(writes: StreamWrite[], metadata: EventMetadata, idempotency?: IdempotencyRecord): Promise<AppendResult> {
    if (writes.length === 0 || writes.every((w) => w.events.length === 0)) {
      throw new Error('append needs at least one event');
    }
    const ids = writes.map((w) => w.streamId);
    if (new Set(ids).size !== ids.length) throw new Error('append writes each stream once');
    const heads = await this.headsFor(writes);
    const rows = this.rowsOf(writes, heads, metadata);
    let result: AppendResult;
    if (!idempotency) {
      result = await this.insert(this.db, writes, rows);
    } else {
      const q = this.db.createQueryRunner();
      await q.connect();
      try {
        await q.startTransaction();
        // The key goes first: a concurrent retry of the same key waits here for us to commit.
        await this.claimKey(q, idempotency);
        result = await this.insert(q, writes, rows);
        await q.query(`update idempotency_keys set status = $3, response = $4 where actor = $1 and key = $2`, [
          idempotency.actor,
          idempotency.key,
          idempotency.status,
          JSON.stringify(idempotency.response(result)),
        ]);
        await q.commitTransaction();
      } catch (err) {
        if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
        throw err;
      } finally {
        await q.release();
      }
    }
    for (const [i, w] of writes.entries()) {
      this.heads.remember(w.streamId, rows.last[i]);
      this.types.set(w.streamId, w.streamType);
    }
    // After the commit: wakes projection workers (and any other listener) without polling.
    this.notifier.notify(result.position);
    if (this.appendedListeners.length) {
      const types = writes.flatMap((w) => w.events.map((e) => e.type));
      for (const listener of this.appendedListeners) listener(types);
    }
    return result;
  }

  /** Calls `listener` after each committed append with the types of the events written (the metrics count them). */
  onAppended(listener: (types: string[]) => void): void {
    this.appendedListeners.push(listener);
  }

  private async claimKey(q: QueryRunner, rec: IdempotencyRecord): Promise<void> {
    try {
      await q.query(
        `insert into idempotency_keys (actor, key, request_hash, status, response) values ($1, $2, $3, 0, '{}')`,
        [rec.actor, rec.key, rec.requestHash],
      );
    } catch (err) {
      if (uniqueViolation(err, 'idempotency_keys_pkey')) throw new IdempotencyRaceError();
      throw err;
    }
  }

  /**
   * The head each write builds on. A stream known at its expected version needs no read (an
   * event never changes, so the hash of version N known here is the hash of version N); the
   * others are read in one round trip, and a stale expected version fails before any write.
   */
  private async headsFor(writes: StreamWrite[]): Promise<Head[]> {
    const heads: (Head | undefined)[] = writes.map((w) =>
      w.expectedVersion === 0 ? NO_HEAD : w.expectedVersion === 'any' ? undefined : this.heads.at(w.streamId, w.expectedVersion),
    );
    const unknown = writes.filter((_, i) => !heads[i]).map((w) => w.streamId);
    if (unknown.length) {
      const read = await this.readHeads(unknown);
      for (const [i, w] of writes.entries()) {
        if (heads[i]) continue;
        const head = read.get(w.streamId) ?? NO_HEAD;
        if (w.expectedVersion !== 'any' && w.expectedVersion !== head.version) {
          throw new ConcurrencyError(w.streamId, w.expectedVersion, head.version);
        }
        heads[i] = head;
      }
    }
    return heads as Head[];
  }

  private async readHeads(ids: string[]): Promise<Map<string, Head>> {
    const rows: { stream_id: string; version: number; hash: Buffer }[] = await this.db.query(
      `select h.stream_id, h.stream_version as version, h.hash
         from unnest($1::uuid[]) as s(id)
         cross join lateral (select stream_id, stream_version, hash from events e where e.stream_id = s.id
                             order by stream_version desc limit 1) h`,
      [ids],
    );
    return new Map(rows.map((r) => [r.stream_id, { version: r.version, hash: r.hash }]));
  }

  /** Versions and hashes of every event, as the columns of one INSERT ... SELECT FROM unnest. */
  private rowsOf(writes: StreamWrite[], heads: Head[], metadata: EventMetadata): AppendRows {
    // To the millisecond, so that the hashed timestamp is exactly the stored one.
    const recordedAt = new Date();
    const rows: AppendRows = {
      recordedAt,
      metadata: JSON.stringify(metadata),
      stream_id: [],
      stream_type: [],
      stream_version: [],
      type: [],
      schema_version: [],
      data: [],
      occurred_on: [],
      hash: [],
      last: [],
    };
    for (const [i, w] of writes.entries()) {
      let previous = heads[i].hash;
      let version = heads[i].version;
      for (const e of w.events) {
        version += 1;
        const schemaVersion = e.schemaVersion ?? this.registry.current(e.type);
        const occurredOn = e.occurredOn ?? null;
        const hash = eventHash(previous, {
          streamId: w.streamId,
          streamType: w.streamType,
          version,
          type: e.type,
          schemaVersion,
          data: e.data,
          metadata,
          occurredOn,
          recordedAt,
        });
        rows.stream_id.push(w.streamId);
        rows.stream_type.push(w.streamType);
        rows.stream_version.push(version);
        rows.type.push(e.type);
        rows.schema_version.push(schemaVersion);
        rows.data.push(JSON.stringify(e.data));
        rows.occurred_on.push(occurredOn);
        rows.hash.push(hash);
        previous = hash;
      }
      rows.last.push({ version, hash: previous });
    }
    return rows;
  }

  /**
   * A statement sent as a named prepared statement on the pool's connection (or the runner's):
   * PostgreSQL parses and plans the append once per connection, not once per append, and no
   * TypeORM query runner is made for it.
   */
  private async prepared<T>(q: DataSource | QueryRunner, name: string, text: string, values: unknown[]): Promise<T[]> {
    return queryRows<T>(q, text, values, name);
  }

  private async insert(q: DataSource | QueryRunner, writes: StreamWrite[], rows: AppendRows): Promise<AppendResult> {
    let inserted: { position: string; transaction_id: string }[];
    try {
      // unnest keeps the order given, so positions follow the order of the events.
      inserted = await this.prepared(q, 'entente_append_v1',
        `insert into events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash)
         select t.stream_id, t.stream_type, t.stream_version, t.type, t.schema_version, t.data, $7::jsonb, t.occurred_on, $9::timestamptz, t.hash
           from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $8::text[], $10::bytea[])
                  with ordinality as t(stream_id, stream_type, stream_version, type, schema_version, data, occurred_on, hash, n)
          order by t.n
         returning global_position::text as position, transaction_id::text as transaction_id`,
        [
          rows.stream_id,
          rows.stream_type,
          rows.stream_version,
          rows.type,
          rows.schema_version,
          rows.data,
          rows.metadata,
          rows.occurred_on,
          rows.recordedAt,
          rows.hash,
        ],
      );
    } catch (err) {
      if (uniqueViolation(err, 'events_stream_version_unique')) {
        // A racing writer took the version between our read and our insert.
        const w = writes.find((x) => detailNames(err, x.streamId)) ?? writes[0];
        this.heads.forget(w.streamId);
        throw new ConcurrencyError(w.streamId, w.expectedVersion, -1);
      }
      throw err;
    }
    const last = inserted.reduce((a, b) => (BigInt(b.position) > BigInt(a.position) ? b : a));
    return { streams: writes.map((w, i) => ({ streamId: w.streamId, version: rows.last[i].version })), position: last.position, transactionId: last.transaction_id };
  }

  async findAnswer(actor: string, key: string): Promise<StoredAnswer | null> {
    const rows = await this.db.query(
      `select request_hash, status, response from idempotency_keys where actor = $1 and key = $2 and status > 0`,
      [actor, key],
    );
    if (rows.length === 0) return null;
    return { requestHash: rows[0].request_hash, status: rows[0].status, response: rows[0].response };
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const rows = await this.db.query(
      `select ${EVENT_COLUMNS} from events where stream_id = $1 order by stream_version`,
      [streamId],
    );
    const events = rows.map(this.read);
    // A command handler appends right after reading: its append needs no second look at the head.
    if (events.length) this.heads.remember(streamId, { version: events[events.length - 1].version, hash: Buffer.from(events[events.length - 1].hash, 'hex') });
    return events;
  }

  /**
   * The stream type of each id that names a stream (ids that name nothing are absent). A
   * stream's type never changes and a stream is never removed, so types seen once are kept
   * (bounded) and a command's reference check usually needs no round trip.
   */
  async streamTypes(ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unknown: string[] = [];
    for (const id of new Set(ids)) {
      const type = this.types.get(id);
      if (type) found.set(id, type);
      else unknown.push(id);
    }
    if (unknown.length === 0) return found;
    const rows: { stream_id: string; stream_type: string }[] = await this.db.query(
      `select stream_id, stream_type from events where stream_id = any($1::uuid[]) and stream_version = 1`,
      [unknown],
    );
    for (const r of rows) {
      found.set(r.stream_id, r.stream_type);
      this.types.set(r.stream_id, r.stream_type);
    }
    return found;
  }

  /**
   * The global log in commit order, after a cursor. Only events older than every transaction
   * still running are returned (`transaction_id < pg_snapshot_xmin(...)`), so a reader never
   * skips an event whose transaction commits after a larger position became visible.
   */
  async readLog(options: ReadLogOptions = {}, runner?: { query(sql: string, params?: unknown[]): Promise<any> }): Promise<StoredEvent[]> {
    const after = options.after ?? { transactionId: '0', position: '0' };
    const params: unknown[] = [after.transactionId, after.position, options.limit ?? 500, options.fence ?? null];
    let typeFilter = '';
    if (options.types) {
      params.push(options.types);
      typeFilter = `and type = any($5::text[])`;
    }
    // With a fence given, the statement leaves FENCE_SQL out: parsing it (pg_stat_activity is a
    // view) cost more than the rest of a caught-up projection's read.
    const sql = `select ${EVENT_COLUMNS} from events
       where (transaction_id, global_position) > ($1::xid8, $2::bigint)
         and transaction_id < ${options.fence === undefined ? `coalesce($4::xid8, ${FENCE_SQL})` : '$4::xid8'}
         ${typeFilter}
       order by transaction_id, global_position
       limit $3`;
    const rows = await queryRows(runner ?? this.db, sql, params);
    return rows.map(options.raw ? toStoredEvent : this.read);
  }

  /**
   * The commit-order fence: every transaction below it has ended, so events below it are all
   * the events there will ever be below it.
   */
  async currentFence(runner?: QueryRunner): Promise<string> {
    const sql = `select ${FENCE_SQL}::text as fence`;
    const [row] = runner ? await runner.query(sql) : await this.db.query(sql);
    return row.fence;
  }

  private analyzing: Promise<void> | null = null;

  /**
   * Analyzes `events` when its statistics are missing or old (a log just imported, a server
   * without autovacuum). Without them the planner takes the events of a type for a few thousand,
   * and a reader by type (a projection catching up, a rebuild) fetches and sorts every remaining
   * one of them for each batch: each batch then costs as much as the rest of the log.
   */
  async refreshStatistics(): Promise<void> {
    this.analyzing ??= (async () => {
      try {
        await analyzeIfStale(this.db, ['events']);
      } finally {
        this.analyzing = null;
      }
    })();
    return this.analyzing;
  }

  /** The last event below a fence, in commit order (null on an empty log). */
  async lastBelow(fence: string, runner?: QueryRunner): Promise<LogCursor | null> {
    const sql = `select transaction_id::text as "transactionId", global_position::text as position from events
                  where transaction_id < $1::xid8 order by transaction_id desc, global_position desc limit 1`;
    const [row] = runner ? await runner.query(sql, [fence]) : await this.db.query(sql, [fence]);
    return row ?? null;
  }

  /** Where an event sits in commit order, or null when no event has that position. */
  async cursorOf(position: string): Promise<LogCursor | null> {
    const rows = await this.db.query(
      `select transaction_id::text as transaction_id from events where global_position = $1::bigint`,
      [position],
    );
    return rows.length ? { transactionId: rows[0].transaction_id, position } : null;
  }
}

/**
 * The commit-order fence as an SQL expression: the oldest transaction of this database still
 * running (or, when none is, the snapshot's xmax). Every event with a smaller transaction id
 * has committed or aborted, so the events below the fence are all there will ever be below it.
 *
 * Transaction ids are cluster-wide, so `pg_snapshot_xmin(pg_current_snapshot())` alone would let
 * a long transaction in *another* database of the same server hold every reader back. An
 * in-progress xid is only left out when pg_stat_activity positively names another database
 * as its owner, or names the transaction as one that never writes events (NO_EVENTS_TX: the
 * projection steps and rebuild batches, which write read models for as long as a batch takes and
 * would otherwise hold every reader, each other included, behind them). Anything unknown (a
 * prepared transaction, a session we may not inspect, a transaction that ended between the two
 * looks) counts as a writer of ours, so the fence errs low, never high.
 *
 * pg_stat_activity is read through its function, not the view (which joins pg_database and
 * pg_authid): planning the view was most of the cost of a projection step (0.98 ms against 0.19).
 */
export const FENCE_SQL = `(with s as materialized (select pg_current_snapshot() as snap),
       other as materialized (
         select a.backend_xid from pg_stat_get_activity(null) a
          where a.backend_xid is not null
            and (a.datid <> (select oid from pg_database where datname = current_database())
                 or a.application_name = 'entente:no-events'))
  select coalesce(
    (select min(x) from s, pg_snapshot_xip(s.snap) x where x::xid not in (select backend_xid from other)),
    (select pg_snapshot_xmax(s.snap) from s)))`;

/**
 * An SQL expression that marks the current transaction as one that never writes events, so
 * that it does not hold the commit-order fence back (see FENCE_SQL). `set_config(..., true)`
 * is SET LOCAL: the mark ends with the transaction. Only for transactions that write no events.
 */
export const NO_EVENTS_TX = `set_config('application_name', 'entente:no-events', true)`;

interface Head {
  version: number;
  hash: Buffer | null;
}

const NO_HEAD: Head = { version: 0, hash: null };

interface AppendRows {
  recordedAt: Date;
  metadata: string;
  stream_id: string[];
  stream_type: string[];
  stream_version: number[];
  type: string[];
  schema_version: number[];
  data: string[];
  occurred_on: (string | null)[];
  hash: Buffer[];
  /** each write's last version and hash */
  last: { version: number; hash: Buffer | null }[];
}

/**
 * The last version and hash this process read or wrote of recently used streams (a bounded
 * map, oldest dropped first). An entry is a fact that never goes stale in a harmful way: event
 * N of a stream and its hash never change. If the stream has moved past N, an append built on
 * it collides with version N + 1 and `unique (stream_id, stream_version)` refuses it.
 */
class KnownHeads {
  private readonly map = new BoundedMap<string, Head>(10_000);

  at(streamId: string, version: number): Head | undefined {
    const h = this.map.get(streamId);
    return h && h.version === version ? h : undefined;
  }

  remember(streamId: string, head: Head): void {
    const known = this.map.get(streamId);
    if (!known || known.version <= head.version) this.map.set(streamId, head);
  }

  forget(streamId: string): void {
    this.map.delete(streamId);
  }
}

/** A map that forgets its oldest entries past a size. */
class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: K): void {
    this.map.delete(key);
  }
}

/**
 * NOTIFY after commit, coalesced: at most one notification in flight, sent a moment after the
 * first commit it covers, carrying the highest position committed. Listeners (the projection
 * runner, the live feed) read the log from their checkpoints, so one wake-up covers many
 * commits; a lost notification is covered by their polling.
 */
export class CommitNotifier {
  private pending: bigint | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sending = false;

  constructor(
    private readonly send: (position: string) => Promise<void>,
    private readonly delayMs = 5,
  ) {}

  notify(position: string): void {
    const p = BigInt(position);
    if (this.pending === null || p > this.pending) this.pending = p;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.sending || this.pending === null) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const position = this.pending;
    if (position === null) return;
    this.pending = null;
    this.sending = true;
    try {
      await this.send(String(position));
    } catch {
      // The pool is closing, or the database is away: listeners poll as well.
    } finally {
      this.sending = false;
      this.schedule();
    }
  }
}

/** Whether a unique violation's detail names this stream: `Key (stream_id, stream_version)=(id, 2) ...`. */
function detailNames(err: unknown, streamId: string): boolean {
  const e = err as { detail?: string; driverError?: { detail?: string } };
  return (e?.detail ?? e?.driverError?.detail ?? '').includes(streamId);
}

export function toStoredEvent(r: Record<string, any>): StoredEvent {
  return {
    position: r.position,
    transactionId: r.transaction_id_text ?? r.transaction_id,
    streamId: r.stream_id,
    streamType: r.stream_type,
    version: r.stream_version,
    type: r.type,
    schemaVersion: r.schema_version,
    data: r.data,
    metadata: r.metadata,
    occurredOn: r.occurred_on,
    recordedAt: r.recorded_at,
    hash: Buffer.isBuffer(r.hash) ? r.hash.toString('hex') : String(r.hash),
  };
}

export function uniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && name === constraint;
}

