import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore, FENCE_SQL } from '../event-store/event-store.js';
import { compareCursors } from '../event-store/log-cursor.js';
import { AppError } from '../shared/errors.js';
import { ProjectionRunner } from './projection-runner.js';

/** A transaction that holds the commit-order fence back, so projections cannot advance. */
export interface Blocker {
  pid: number;
  xid: string;
  ageSeconds: number;
  state: string | null;
  query: string | null;
}

export interface ProjectionStatus {
  name: string;
  position: string;
  transactionId: string;
  /** events this projection handles that it has not applied yet */
  lag: number;
  status: 'running' | 'paused' | 'failing' | 'stalled' | 'rebuilding' | 'unowned';
  owner: string | null;
  epoch: string;
  leaseExpiresAt: string | null;
  failures: number;
  retryAt: string | null;
  lastError: { position: string; eventType: string; error: string; attempts: number; lastFailedAt: string } | null;
  rebuild: {
    status: string;
    mode: string;
    eventsDone: number;
    eventsTotal: number;
    eventsPerSecond: number | null;
    etaSeconds: number | null;
    startedAt: string;
    finishedAt: string | null;
    differences: unknown;
    error: string | null;
  } | null;
  blockedBy: Blocker | null;
}

/** Stalls shorter than this are ordinary: every write holds the fence for a moment. */
const STALL_SECONDS = 2;

@Injectable()
export class ProjectionAdmin {
  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  /** The name of every projection. */
  names(): string[] {
    return this.runner.names;
  }

  private must(name: string) {
    const p = this.runner.projection(name);
    if (!p) throw AppError.notFound('projection', name);
    return p;
  }

  /** What holds the fence back, when events are waiting behind it for longer than a moment. */
  async blocker(): Promise<Blocker | null> {
    const [waiting] = await this.db.query(`select exists (select 1 from events where transaction_id >= ${FENCE_SQL}) as waiting`);
    if (!waiting.waiting) return null;
    const [b] = await this.db.query(
      `select pid, backend_xid::text as xid, extract(epoch from clock_timestamp() - xact_start)::float8 as age, state, left(query, 300) as query
         from pg_stat_activity where backend_xid is not null and pid <> pg_backend_pid() and datname = current_database()
        order by age(backend_xid) desc limit 1`,
    );
    if (!b || b.age < STALL_SECONDS) return null;
    return { pid: b.pid, xid: b.xid, ageSeconds: Math.round(b.age * 10) / 10, state: b.state, query: b.query };
  }

  async list(): Promise<ProjectionStatus[]> {
    const blocker = await this.blocker();
    const out: ProjectionStatus[] = [];
    for (const name of this.runner.names) out.push(await this.status(name, blocker));
    return out;
  }

  async status(name: string, blocker?: Blocker | null): Promise<ProjectionStatus> {
    const p = this.must(name);
    const [cp] = await this.db.query(
      `select transaction_id::text as "transactionId", position::text as position, owner, epoch::text as epoch, lease_expires_at,
              lease_expires_at > clock_timestamp() as leased, status, failures, retry_at
         from projection_checkpoints where name = $1`,
      [name],
    );
    const [{ lag }] = await this.db.query(
      `select count(*)::int as lag from events where (transaction_id, global_position) > ($1::xid8, $2::bigint) and type = any($3::text[])`,
      [cp.transactionId, cp.position, p.handles],
    );
    const [dead] = await this.db.query(
      `select d.position::text as position, d.event_type, d.error, d.attempts, d.last_failed_at from projection_dead_letters d
        where d.name = $1 and d.resolved_at is null order by d.position desc limit 1`,
      [name],
    );
    const [rb] = await this.db.query(`select * from projection_rebuilds where name = $1`, [name]);
    const b = blocker === undefined ? await this.blocker() : blocker;
    const status: ProjectionStatus['status'] =
      rb?.status === 'running'
        ? 'rebuilding'
        : cp.status === 'paused'
          ? 'paused'
          : dead
            ? 'failing'
            : b && lag > 0
              ? 'stalled'
              : cp.leased
                ? 'running'
                : 'unowned';
    const rate = rb?.events_per_second == null ? null : Number(rb.events_per_second);
    return {
      name,
      position: cp.position,
      transactionId: cp.transactionId,
      lag,
      status,
      owner: cp.leased ? cp.owner : null,
      epoch: cp.epoch,
      leaseExpiresAt: cp.leased ? cp.lease_expires_at.toISOString() : null,
      failures: cp.failures,
      retryAt: cp.retry_at ? cp.retry_at.toISOString() : null,
      lastError: dead
        ? { position: dead.position, eventType: dead.event_type, error: dead.error, attempts: dead.attempts, lastFailedAt: dead.last_failed_at.toISOString() }
        : null,
      rebuild: rb
        ? {
            status: rb.status,
            mode: rb.mode,
            eventsDone: Number(rb.events_done),
            eventsTotal: Number(rb.events_total),
            eventsPerSecond: rate,
            etaSeconds: rb.status === 'running' && rate ? Math.max(0, Math.round((Number(rb.events_total) - Number(rb.events_done)) / rate)) : null,
            startedAt: rb.started_at.toISOString(),
            finishedAt: rb.finished_at ? rb.finished_at.toISOString() : null,
            differences: rb.differences,
            error: rb.error,
          }
        : null,
      blockedBy: b && lag > 0 ? b : null,
    };
  }

  async setPaused(name: string, paused: boolean): Promise<ProjectionStatus> {
    this.must(name);
    await this.db.query(`update projection_checkpoints set status = $2 where name = $1`, [name, paused ? 'paused' : 'running']);
    this.runner.wake();
    return this.status(name);
  }

  /**
   * Skips one event for one projection: it will never be applied there. Only an event the
   * projection handles and has not applied yet; the skip is recorded with who asked and why.
   */
  async skip(name: string, position: string, actor: string, reason: string | null): Promise<ProjectionStatus> {
    const p = this.must(name);
    const cursor = await this.store.cursorOf(position);
    const [event] = cursor ? await this.db.query(`select type from events where global_position = $1::bigint`, [position]) : [];
    if (!cursor || !p.handles.includes(event.type)) {
      throw AppError.badInput([{ field: 'position', message: `names no event that ${name} handles` }]);
    }
    const [cp] = await this.db.query(`select transaction_id::text as "transactionId", position::text as position from projection_checkpoints where name = $1`, [name]);
    if (compareCursors(cursor, cp) <= 0) {
      throw AppError.rule('PROJECTION.ALREADY_APPLIED', `${name} has already applied position ${position}.`);
    }
    await this.db.transaction(async (m) => {
      await m.query(
        `insert into projection_skips (name, position, transaction_id, event_type, skipped_by, reason)
         values ($1, $2::bigint, $3::xid8, $4, $5, $6) on conflict (name, position) do nothing`,
        [name, position, cursor.transactionId, event.type, actor, reason],
      );
      await m.query(
        `update projection_dead_letters set resolved_at = now(), resolution = 'skipped' where name = $1 and position = $2::bigint and resolved_at is null`,
        [name, position],
      );
      await m.query(`update projection_checkpoints set failures = 0, retry_at = null where name = $1`, [name]);
    });
    this.runner.wake();
    return this.status(name);
  }

  async deadLetters(name: string): Promise<unknown[]> {
    this.must(name);
    const rows = await this.db.query(
      `select d.position::text as position, d.event_type as "eventType", d.error, d.attempts, first_failed_at as "firstFailedAt",
              last_failed_at as "lastFailedAt", resolved_at as "resolvedAt", resolution
         from projection_dead_letters d where d.name = $1 order by d.position`,
      [name],
    );
    return rows;
  }
}
