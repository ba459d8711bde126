import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError } from '../shared/errors.js';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/pg-query.js';
import { EVENT_COLUMNS, EventStore, FENCE_SQL } from '../event-store/event-store.js';
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

function metadataView(m: StoredEvent['metadata']): EventView['metadata'] {
  return {
    actor: m.actor,
    role: m.role ?? null,
    correlationId: m.correlationId,
    causationId: m.causationId ?? null,
    idempotencyKey: m.idempotencyKey ?? null,
    requestId: m.requestId ?? null,
    sourceRef: m.sourceRef ?? null,
  };
}

export function toView(e: StoredEvent): EventView {
  return {
    position: e.position,
    streamId: e.streamId,
    streamType: e.streamType,
    version: e.version,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: metadataView(e.metadata),
    occurredOn: e.occurredOn,
    recordedAt: e.recordedAt.toISOString(),
    hash: e.hash,
  };
}

/** A JSON string or null, as text: what `JSON.stringify` gives for `value ?? null`. */
const jsonText = (sql: string) => `coalesce(to_json(${sql})::text, 'null')`;
const metaField = (key: string) => `coalesce((e.metadata->'${key}')::text, 'null')`;

/**
 * Each event of a page rendered by PostgreSQL as the JSON text of its `EventView`: the same fields
 * in the same order with the same values as `JSON.stringify(toView(store.read(row)))` (its `data`
 * as PostgreSQL writes the stored JSON, `recordedAt` truncated to the millisecond like a `Date`),
 * plus what the cursor and the upcasting need. The service only joins the texts: a page of 1,000
 * events is about 1 MB of JSON, and parsing, rebuilding and stringifying it in Node cost more than
 * reading the rows (bench/README.md); PostgreSQL renders it in its own process, beside the read-
 * ahead page that Node sends meanwhile.
 */
const VIEW_COLUMNS = `e.transaction_id::text as t, e.global_position::text as p, e.type, e.schema_version,
  '{"position":"' || e.global_position::text || '","streamId":"' || e.stream_id::text
  || '","streamType":' || ${jsonText('e.stream_type')} || ',"version":' || e.stream_version::text
  || ',"type":' || ${jsonText('e.type')} || ',"schemaVersion":' || e.schema_version::text
  || ',"data":' || e.data::text
  || ',"metadata":{"actor":' || ${metaField('actor')} || ',"role":' || ${metaField('role')}
  || ',"correlationId":' || ${metaField('correlationId')} || ',"causationId":' || ${metaField('causationId')}
  || ',"idempotencyKey":' || ${metaField('idempotencyKey')} || ',"requestId":' || ${metaField('requestId')}
  || ',"sourceRef":' || ${metaField('sourceRef')}
  || '},"occurredOn":' || ${jsonText('e.occurred_on')}
  || ',"recordedAt":"' || to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  || '","hash":"' || encode(e.hash, 'hex') || '"}' as json`;

interface ViewRow {
  t: string;
  p: string;
  type: string;
  schema_version: number;
  json: string;
}

/** A page of the log, each event already JSON text (an `EventView`). */
export interface JsonPage {
  /** one JSON object per event, in commit order */
  items: string[];
  next: string;
  cursor: LogCursor;
}

/**
 * The UTF-8 bytes of `head`, `texts` joined by `separator` (one ASCII character), and `tail`:
 * each text encoded once, straight into the result. Joining a page's 1,000 texts and encoding the
 * result took 15 ms for events with some non-ASCII text, this 1 to 1.7 ms (in process, 300 pages
 * each way): V8 joins such strings slowly, and the joined text was scanned again for its length.
 */
export function joinUtf8(texts: readonly string[], separator: string, head = '', tail = ''): Buffer {
  // UTF-8 takes at most 3 bytes for each UTF-16 unit; the unused end is cut off.
  let max = (head.length + tail.length) * 3;
  for (const text of texts) max += text.length * 3 + 1;
  const out = Buffer.allocUnsafe(max);
  const sep = separator.charCodeAt(0);
  let at = out.write(head, 0);
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) out[at++] = sep;
    at += out.write(texts[i], at);
  }
  at += out.write(tail, at);
  return out.subarray(0, at);
}

/** A page as the UTF-8 bytes of `{"items":[...],"next":"..."}` (GET /events). */
export function pageBytes(page: JsonPage): Buffer {
  return joinUtf8(page.items, ',', '{"items":[', `],"next":${JSON.stringify(page.next)}}`);
}

const READ_AHEAD_PAGES = 8;
const READ_AHEAD_DEPTH = 2;
const READ_AHEAD_MS = 2000;
/** The whole query: every filter (a field added to LogFilter included), the cursor and the limit. */
const readAheadKey = (f: LogFilter, after: LogCursor, limit: number) => JSON.stringify([f, after, limit]);

const isCursor = (v: unknown): v is { t: string; p: string } =>
  !!v && typeof v === 'object' && /^\d{1,20}$/.test((v as { t: string }).t) && /^\d{1,19}$/.test((v as { p: string }).p);

/**
 * The log for auditors, in commit order, paged by an opaque cursor over
 * (transaction_id, position): a reader that follows `next` sees every event once, including
 * one whose transaction committed after a larger position was already visible.
 */
@Injectable()
export class AuditLogQuery {
  private readonly ahead = new Map<string, { at: number; page: Promise<JsonPage> }>();
  /** How events are rendered: this statement's text, every type's schema version and upcasters (see `etagOf`). */
  private readonly rendering: string;

  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
  ) {
    this.rendering = createHash('sha1').update(VIEW_COLUMNS).update(store.schemaFingerprint()).digest('base64url');
  }

  cursorFrom(raw: string | undefined): LogCursor {
    const c = decodeCursor(raw, isCursor);
    return c ? { transactionId: c.t, position: c.p } : { transactionId: '0', position: '0' };
  }

  /**
   * A page's entity tag, from what decides its bytes instead of the bytes (conditional-get.ts would
   * hash the whole answer, about 1 MB for a page of 1,000): the query, the cursor it starts after, the
   * cursor it ends at and its number of events, and how events are rendered (this statement's
   * text, every type's schema version and upcasters). Events below the commit-order fence never
   * change, and every event committed later lies past `next`, so equal tags are equal pages.
   */
  etagOf(filter: LogFilter, after: LogCursor, limit: number, page: JsonPage): string {
    const key = `${this.rendering} ${readAheadKey(filter, after, limit)} ${page.next} ${page.items.length}`;
    return `W/"${createHash('sha1').update(key).digest('base64url')}"`;
  }

  /**
   * The page of `limit` events after `after`: the one read ahead for this very query when there
   * is one and it is full, else read now.
   */
  async page(filter: LogFilter, after: LogCursor, limit: number): Promise<JsonPage> {
    const key = readAheadKey(filter, after, limit);
    const ahead = this.ahead.get(key);
    let page: JsonPage | undefined;
    if (ahead) {
      this.ahead.delete(key);
      page = await ahead.page.catch(() => undefined);
      // Only a full page is final (every event of it below the fence then, so below it now); a short one may have grown since.
      if (page && page.items.length < limit) page = undefined;
    }
    page ??= await this.readPage(filter, after, limit);
    if (page.items.length === limit && !filter.actor && !filter.correlationId) this.readAhead(filter, page.cursor, limit);
    return page;
  }

  /**
   * Sequential read-ahead: after a full page, the next two pages are read while this one is on its
   * way to the client, which asks for them next (a replay, the export, a catch-up): PostgreSQL
   * renders one page while Node sends another and the client parses it. Bounded: 8 pages in all,
   * each dropped unused after 2 s. A full page is final (below the fence when it was read), so a
   * page read ahead is the page a read now would give; a short one is read again. Not for the
   * filters no index serves (actor, correlation id): their next page may scan much of the log, a
   * cost to pay only when the client asks for it.
   */
  private readAhead(filter: LogFilter, after: LogCursor, limit: number, depth = READ_AHEAD_DEPTH): void {
    const key = readAheadKey(filter, after, limit);
    const now = Date.now();
    for (const [k, v] of this.ahead) if (now - v.at > READ_AHEAD_MS) this.ahead.delete(k);
    if (this.ahead.size >= READ_AHEAD_PAGES) return;
    if (!this.ahead.has(key)) {
      const page = this.readPage(filter, after, limit);
      this.ahead.set(key, { at: now, page });
      page.then(
        (p) => {
          if (depth > 1 && p.items.length === limit && this.ahead.has(key)) this.readAhead(filter, p.cursor, limit, depth - 1);
        },
        () => undefined,
      );
    }
  }

  /**
   * One statement: the commit-order fence, the page below it, and the last event below it (where
   * the next read may start when the page is short), from one snapshot. A page used to be three
   * round trips (fence, page, head), and a reader polling at the head makes nothing but those.
   */
  private async readPage(filter: LogFilter, after: LogCursor, limit: number): Promise<JsonPage> {
    const where: string[] = [];
    const params: unknown[] = [after.transactionId, after.position, limit];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.streamId) add('e.stream_id = ?::uuid', filter.streamId);
    if (filter.type) add('e.type = ?', filter.type);
    if (filter.actor) add(`e.metadata->>'actor' = ?`, filter.actor);
    if (filter.correlationId) add(`e.metadata->>'correlationId' = ?`, filter.correlationId);
    if (filter.recordedFrom) add('e.recorded_at >= ?', filter.recordedFrom);
    if (filter.recordedTo) add('e.recorded_at < ?', filter.recordedTo);
    // Always one row at least: an empty page is one row of nulls with the head.
    const rows = await queryRows<Partial<ViewRow> & { head_t: string | null; head_p: string | null }>(
      this.db,
      `with f as materialized (select ${FENCE_SQL} as fence),
            h as materialized (select e.transaction_id::text as t, e.global_position::text as p from events e, f
                                where e.transaction_id < f.fence order by e.transaction_id desc, e.global_position desc limit 1)
       select page.*, (select t from h) as head_t, (select p from h) as head_p
         from f
         left join lateral (
           select ${VIEW_COLUMNS} from events e
            where (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint) and e.transaction_id < f.fence
              ${where.map((w) => `and ${w}`).join(' ')}
            order by e.transaction_id, e.global_position limit $3) page on true`,
      params,
    );
    const events = rows.filter((r): r is ViewRow & { head_t: string | null; head_p: string | null } => r.p != null);
    const items = events.map(this.viewJson);
    const last = events[events.length - 1];
    let cursor: LogCursor = last ? { transactionId: last.t, position: last.p } : after;
    if (events.length < limit && rows[0].head_t !== null && rows[0].head_p !== null) {
      // Everything below the fence that matches was returned: the next read may start at the fence.
      const head = { transactionId: rows[0].head_t, position: rows[0].head_p };
      if (compareCursors(head, cursor) > 0) cursor = head;
    }
    return { items, next: encodeCursor({ t: cursor.transactionId, p: cursor.position }), cursor };
  }

  /**
   * The event's JSON as PostgreSQL rendered it (VIEW_COLUMNS); only an event stored at an older
   * schema version is parsed, to be upcast.
   */
  private readonly viewJson = (r: ViewRow): string => {
    if (this.store.isCurrent(r.type, r.schema_version)) return r.json;
    const view = JSON.parse(r.json) as EventView;
    const up = this.store.upcast(r.type, r.schema_version, view.data);
    return JSON.stringify({ ...view, schemaVersion: up.version, data: up.data });
  };

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
