import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
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

export const EVENT_COLUMNS = `global_position::text as position, transaction_id::text as transaction_id, stream_id,
  stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash`;

/**
 * The append-only log. Appends are one transaction; `unique (stream_id, stream_version)`
 * decides races between writers of one stream. The log is read in commit order.
 */
@Injectable()
export class EventStore {
  private readonly registry: EventRegistry;

  constructor(
    private readonly db: DataSource,
    @Optional() @Inject(EVENT_REGISTRY) registry?: EventRegistry,
  ) {
    this.registry = registry ?? new EventRegistry();
  }

  /** A stored row as readers see it: in the current shape of its type. */
  read = (r: Record<string, any>): StoredEvent => {
    const e = toStoredEvent(r);
    const { version, data } = this.registry.upcast(e.type, e.schemaVersion, e.data);
    return version === e.schemaVersion ? e : { ...e, schemaVersion: version, data: data as StoredEvent['data'] };
  };

  async append(writes: StreamWrite[], metadata: EventMetadata, idempotency?: IdempotencyRecord): Promise<AppendResult> {
    if (writes.length === 0 || writes.every((w) => w.events.length === 0)) {
      throw new Error('append needs at least one event');
    }
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      // The key goes first: a concurrent retry of the same key waits here for us to commit.
      if (idempotency) await this.claimKey(q, idempotency);
      const result = await this.insert(q, writes, metadata);
      if (idempotency) {
        await q.query(`update idempotency_keys set status = $3, response = $4 where actor = $1 and key = $2`, [
          idempotency.actor,
          idempotency.key,
          idempotency.status,
          JSON.stringify(idempotency.response(result)),
        ]);
      }
      // Delivered at commit: wakes projection workers without polling.
      await q.query(`select pg_notify($1, $2)`, [EVENTS_CHANNEL, result.position]);
      await q.commitTransaction();
      return result;
    } catch (err) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await q.release();
    }
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

  private async insert(q: QueryRunner, writes: StreamWrite[], metadata: EventMetadata): Promise<AppendResult> {
    const ids = writes.map((w) => w.streamId);
    if (new Set(ids).size !== ids.length) throw new Error('append writes each stream once');
    // One round trip for every stream's head, and the transaction's clock (to the millisecond,
    // so that the hashed timestamp is exactly the stored one).
    const heads: { stream_id: string; version: number | null; hash: Buffer | null; now: Date }[] = await q.query(
      `select s.id as stream_id, h.stream_version as version, h.hash, date_trunc('milliseconds', now()) as now
         from unnest($1::uuid[]) as s(id)
         left join lateral (select stream_version, hash from events e where e.stream_id = s.id
                            order by stream_version desc limit 1) h on true`,
      [ids],
    );
    const headOf = new Map(heads.map((h) => [h.stream_id, h]));
    const recordedAt = heads[0].now;

    const cols = {
      stream_id: [] as string[],
      stream_type: [] as string[],
      stream_version: [] as number[],
      type: [] as string[],
      schema_version: [] as number[],
      data: [] as string[],
      metadata: [] as string[],
      occurred_on: [] as (string | null)[],
      hash: [] as Buffer[],
    };
    const versions: { streamId: string; version: number }[] = [];
    const metadataJson = JSON.stringify(metadata);
    for (const w of writes) {
      const head = headOf.get(w.streamId)!;
      const current = head.version ?? 0;
      if (w.expectedVersion !== 'any' && w.expectedVersion !== current) {
        throw new ConcurrencyError(w.streamId, w.expectedVersion, current);
      }
      let previous = head.hash;
      let version = current;
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
        cols.stream_id.push(w.streamId);
        cols.stream_type.push(w.streamType);
        cols.stream_version.push(version);
        cols.type.push(e.type);
        cols.schema_version.push(schemaVersion);
        cols.data.push(JSON.stringify(e.data));
        cols.metadata.push(metadataJson);
        cols.occurred_on.push(occurredOn);
        cols.hash.push(hash);
        previous = hash;
      }
      versions.push({ streamId: w.streamId, version });
    }

    let rows: { position: string; transaction_id: string }[];
    try {
      // unnest keeps the order given, so positions follow the order of the events.
      rows = await q.query(
        `insert into events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash)
         select t.stream_id, t.stream_type, t.stream_version, t.type, t.schema_version, t.data, t.metadata, t.occurred_on, $10, t.hash
           from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::text[], $9::bytea[])
                  with ordinality as t(stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, hash, n)
          order by t.n
         returning global_position::text as position, transaction_id::text as transaction_id`,
        [
          cols.stream_id,
          cols.stream_type,
          cols.stream_version,
          cols.type,
          cols.schema_version,
          cols.data,
          cols.metadata,
          cols.occurred_on,
          cols.hash,
          recordedAt,
        ],
      );
    } catch (err) {
      if (uniqueViolation(err, 'events_stream_version_unique')) {
        // A racing writer took the version between our read and our insert.
        const w = writes[0];
        throw new ConcurrencyError(w.streamId, w.expectedVersion, -1);
      }
      throw err;
    }
    const last = rows.reduce((a, b) => (BigInt(b.position) > BigInt(a.position) ? b : a));
    return { streams: versions, position: last.position, transactionId: last.transaction_id };
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
    return rows.map(this.read);
  }

  /** The stream type of each id that names a stream (ids that name nothing are absent). */
  async streamTypes(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { stream_id: string; stream_type: string }[] = await this.db.query(
      `select stream_id, stream_type from events where stream_id = any($1::uuid[]) and stream_version = 1`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.stream_id, r.stream_type]));
  }

  /**
   * The global log in commit order, after a cursor. Only events older than every transaction
   * still running are returned (`transaction_id < pg_snapshot_xmin(...)`), so a reader never
   * skips an event whose transaction commits after a larger position became visible.
   */
  async readLog(options: ReadLogOptions = {}, runner?: QueryRunner): Promise<StoredEvent[]> {
    const after = options.after ?? { transactionId: '0', position: '0' };
    const params: unknown[] = [after.transactionId, after.position, options.limit ?? 500, options.fence ?? null];
    let typeFilter = '';
    if (options.types) {
      params.push(options.types);
      typeFilter = `and type = any($5::text[])`;
    }
    const sql = `select ${EVENT_COLUMNS} from events
       where (transaction_id, global_position) > ($1::xid8, $2::bigint)
         and transaction_id < coalesce($4::xid8, ${FENCE_SQL})
         ${typeFilter}
       order by transaction_id, global_position
       limit $3`;
    const rows = runner ? await runner.query(sql, params) : await this.db.query(sql, params);
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
 * as its owner; anything unknown (a prepared transaction, a session we may not inspect, a
 * transaction that ended between the two looks) counts as ours, so the fence errs low, never high.
 */
export const FENCE_SQL = `(with s as materialized (select pg_current_snapshot() as snap)
  select coalesce(
    (select min(x) from s, pg_snapshot_xip(s.snap) x
      where not exists (select 1 from pg_stat_activity a
                         where a.backend_xid = x::xid
                           and a.datid <> (select oid from pg_database where datname = current_database()))),
    (select pg_snapshot_xmax(s.snap) from s)))`;

export function toStoredEvent(r: Record<string, any>): StoredEvent {
  return {
    position: r.position,
    transactionId: r.transaction_id,
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

