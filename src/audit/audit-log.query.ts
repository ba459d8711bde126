import { Injectable } from '@nestjs/common';
import { AppError } from '../shared/errors.js';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/pg-query.js';
import { EVENT_COLUMNS, EventStore } from '../event-store/event-store.js';
import type { LogCursor, StoredEvent } from '../event-store/event.types.js';
import { compareCursors } from '../event-store/log-cursor.js';
import { decodeCursor, encodeCursor } from '../shared/http/paging.js';

export interface LogFilter {
  streamId?: string;
  type?: string;
  actor?: string;
  recordedFrom?: Date;
  recordedTo?: Date;
  correlationId?: string;
}

/** An event as auditors see it. */
export interface EventView {
  position: string;
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: { actor: string; role: string | null; correlationId: string; causationId: string | null; idempotencyKey: string | null; requestId: string | null; sourceRef: string | null };
  occurredOn: string | null;
  recordedAt: string;
  hash: string;
}

export function toView(e: StoredEvent): EventView {
  const m = e.metadata;
  return {
    position: e.position,
    streamId: e.streamId,
    streamType: e.streamType,
    version: e.version,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: {
      actor: m.actor,
      role: m.role ?? null,
      correlationId: m.correlationId,
      causationId: m.causationId ?? null,
      idempotencyKey: m.idempotencyKey ?? null,
      requestId: m.requestId ?? null,
      sourceRef: m.sourceRef ?? null,
    },
    occurredOn: e.occurredOn,
    recordedAt: e.recordedAt.toISOString(),
    hash: e.hash,
  };
}

const isCursor = (v: unknown): v is { t: string; p: string } =>
  !!v && typeof v === 'object' && /^\d{1,20}$/.test((v as { t: string }).t) && /^\d{1,19}$/.test((v as { p: string }).p);

/**
 * The log for auditors, in commit order, paged by an opaque cursor over
 * (transaction_id, position): a reader that follows `next` sees every event once, including
 * one whose transaction committed after a larger position was already visible.
 */
@Injectable()
export class AuditLogQuery {
  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
  ) {}

  cursorFrom(raw: string | undefined): LogCursor {
    const c = decodeCursor(raw, isCursor);
    return c ? { transactionId: c.t, position: c.p } : { transactionId: '0', position: '0' };
  }

  async page(filter: LogFilter, after: LogCursor, limit: number): Promise<{ items: EventView[]; next: string; cursor: LogCursor }> {
    const fence = await this.store.currentFence();
    const where: string[] = [];
    const params: unknown[] = [after.transactionId, after.position, fence, limit];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.streamId) add('stream_id = ?::uuid', filter.streamId);
    if (filter.type) add('type = ?', filter.type);
    if (filter.actor) add(`metadata->>'actor' = ?`, filter.actor);
    if (filter.correlationId) add(`metadata->>'correlationId' = ?`, filter.correlationId);
    if (filter.recordedFrom) add('recorded_at >= ?', filter.recordedFrom);
    if (filter.recordedTo) add('recorded_at < ?', filter.recordedTo);
    const rows = await queryRows(
      this.db,
      `select ${EVENT_COLUMNS} from events
        where (transaction_id, global_position) > ($1::xid8, $2::bigint) and transaction_id < $3::xid8
          ${where.map((w) => `and ${w}`).join(' ')}
        order by transaction_id, global_position limit $4`,
      params,
    );
    const events: StoredEvent[] = rows.map(this.store.read);
    let cursor: LogCursor = events.length ? events[events.length - 1] : after;
    if (events.length < limit) {
      // Everything below the fence that matches was returned: the next read may start at the fence.
      const head = await this.store.lastBelow(fence);
      if (head && compareCursors(head, cursor) > 0) cursor = head;
    }
    return { items: events.map(toView), next: encodeCursor({ t: cursor.transactionId, p: cursor.position }), cursor };
  }

  /**
   * Every event one request caused, oldest first. Not fenced: a request's events commit in one
   * transaction, and a committed transaction is whole, so there is nothing to wait for.
   */
  async byCorrelation(correlationId: string, limit = 1000): Promise<EventView[]> {
    const rows = await this.db.query(
      `select ${EVENT_COLUMNS} from events where metadata->>'correlationId' = $1
        order by transaction_id, global_position limit $2`,
      [correlationId, limit],
    );
    return rows.map(this.store.read).map(toView);
  }

  /**
   * Read-your-writes on the log: waits until the event at `position` is below the commit-order
   * fence (so a page read now includes it), up to `timeoutMs`; then 503 with Retry-After.
   */
  async waitVisible(position: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
      const at = await this.store.cursorOf(position);
      if (at && BigInt(at.transactionId) < BigInt(await this.store.currentFence())) return;
      if (Date.now() >= deadline) {
        throw new AppError('unavailable', 'LOG.NOT_YET_VISIBLE', `The log does not yet show position ${position}; try again shortly.`, undefined, {
          'Retry-After': '1',
        });
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
