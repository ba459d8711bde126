import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { AppError } from '../../shared/errors.js';
import { encodeCursor, decodeCursor, type Page } from '../../shared/http/paging.js';
import { rangeOf } from '../../shared/partial-date.js';
import type { TimelineKind } from '../projections/timeline.projection.js';

export interface PartyRef {
  id: string;
  name: string;
}

/** Runs SQL: the injected DataSource, or a caller's connection holding other copies of the tables (time travel). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export interface TimelineEntryView {
  /** the position of the event that recorded the fact; stable across rebuilds and corrections */
  id: string;
  /** the world date, a partial date as recorded */
  on: string;
  kind: TimelineKind;
  type: string;
  recordId: string;
  title: string;
  parties: PartyRef[];
}

/** Keyset: first day, last day, position (as text, so no precision is lost). */
type TimelineCursor = [string, string, string];

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isCursor = (v: unknown): v is TimelineCursor =>
  Array.isArray(v) && v.length === 3 && DAY.test(String(v[0])) && DAY.test(String(v[1])) && /^\d{1,19}$/.test(String(v[2]));

interface EntryRow {
  entry_position: string;
  kind: TimelineKind;
  type: string;
  record_id: string;
  on_date: string;
  first_text: string;
  last_text: string;
  title: string;
  party_ids: string[];
}

@Injectable()
export class TimelineQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /**
   * Facts in world order: by date (first day, then last day), then by the order they were
   * recorded. `from` and `to` are partial dates and keep every entry whose date overlaps them.
   */
  async list(opts: { partyId?: string; from?: string; to?: string; limit: number; cursor?: string }, q: Queryable = this.db): Promise<Page<TimelineEntryView>> {
    const from = opts.from ? rangeOf(opts.from).first : null;
    const to = opts.to ? rangeOf(opts.to).last : null;
    if (from && to && from > to) {
      throw AppError.badInput([{ field: 'to', message: `is before from (${opts.from})` }], 'The period ends before it starts.');
    }
    const after = decodeCursor(opts.cursor, isCursor);
    const rows: EntryRow[] = await q.query(
      `select e.position::text as entry_position, e.kind, e.type, e.record_id, e.on_date, e.first_day::text as first_text, e.last_day::text as last_text,
              e.title, e.party_ids
         from rm_timeline_entries e
        where ($1::uuid is null or e.party_ids @> array[$1::uuid])
          and ($2::date is null or e.last_day >= $2::date)
          and ($3::date is null or e.first_day <= $3::date)
          and ($4::date is null or (e.first_day, e.last_day, e.position) > ($4::date, $5::date, $6::bigint))
        order by e.first_day, e.last_day, e.position
        limit $7`,
      [opts.partyId ?? null, from, to, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, opts.limit + 1],
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    const names = await this.names(page.flatMap((r) => r.party_ids), q);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.entry_position,
        on: r.on_date,
        kind: r.kind,
        type: r.type,
        recordId: r.record_id,
        title: r.title,
        parties: r.party_ids.map((id) => ({ id, name: names.get(id) ?? '(unknown party)' })),
      })),
      next: more ? encodeCursor([last.first_text, last.last_text, last.entry_position]) : null,
    };
  }

  private async names(ids: string[], q: Queryable): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { party_id: string; name: string }[] = await q.query(
      `select party_id, name from rm_timeline_parties where party_id = any($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.party_id, r.name]));
  }
}
