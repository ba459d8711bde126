import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { AppError } from '../../shared/errors.js';
import { encodeCursor, decodeCursor, type Page } from '../../shared/http/paging.js';
import { rangeOf, today } from '../../shared/partial-date.js';
import type { ForumHistoryEntry, ForumState } from '../forum.decider.js';
import type { ForumStatus } from '../forum.events.js';

export interface PartyRef {
  id: string;
  name: string;
}

/** Runs SQL: the injected DataSource, or a caller's connection holding other copies of the tables (time travel). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export interface UpcomingForumView {
  id: string;
  series: string;
  edition: number | null;
  title: string | null;
  hostCity: string | null;
  status: string;
  plannedFor: string | null;
  startsOn: string | null;
  endsOn: string | null;
  organizers: PartyRef[];
  partners: PartyRef[];
}

/** A forum in the list: everything but its history. */
export interface ForumView extends UpcomingForumView {
  host: PartyRef | null;
  venue: string | null;
}

export interface ForumDetailView extends ForumView {
  history: ForumHistoryEntry[];
}

const OPEN = ['proposed', 'planned', 'scheduled', 'postponed'];

const isSortKey = (v: unknown): v is string => typeof v === 'string' && v.length <= 100;

@Injectable()
export class ForumsQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /**
   * Forums not held and not cancelled whose time is not wholly before `from`, earliest first;
   * a forum postponed without a date has no time and comes last whatever `from` is. Lists read
   * each forum's state without its history (only the detail shows it): reading and parsing the
   * histories made a page of 50 forums too slow for 200 reads a second (bench/README.md).
   */
  async upcoming(
    opts: { from?: string; series?: string; partyId?: string; limit: number; cursor?: string },
    q: Queryable = this.db,
  ): Promise<Page<UpcomingForumView>> {
    const fromDay = rangeOf(opts.from ?? today()).first;
    const after = decodeCursor(opts.cursor, isSortKey);
    const rows: { sort_key: string; state: ForumState }[] = await q.query(
      `select sort_key, state - 'history' as state from rm_forums
        where status = any($1::text[])
          and (last_day is null or last_day >= $2::date)
          and ($3::text is null or series = $3)
          and ($4::uuid is null or party_ids @> array[$4::uuid])
          and ($5::text is null or sort_key > $5)
        order by sort_key limit $6`,
      [OPEN, fromDay, opts.series ?? null, opts.partyId ?? null, after, opts.limit + 1],
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    const names = await this.names(page.flatMap((r) => [...r.state.organizerPartyIds, ...r.state.partnerPartyIds]), q);
    return {
      items: page.map((r) => toView(r.state, names)),
      next: more ? encodeCursor(page[page.length - 1].sort_key) : null,
    };
  }

  /**
   * Every forum, in the contract's date order (its scheduled or held days, else its planned
   * date; postponed without a date last), optionally of one series, status or party.
   */
  async list(
    opts: { series?: string; status?: ForumStatus; partyId?: string; limit: number; cursor?: string },
    q: Queryable = this.db,
  ): Promise<Page<ForumView>> {
    const after = decodeCursor(opts.cursor, isSortKey);
    const rows: { sort_key: string; state: ForumState }[] = await q.query(
      `select sort_key, state - 'history' as state from rm_forums
        where ($1::text is null or series = $1)
          and ($2::text is null or status = $2)
          and ($3::uuid is null or party_ids @> array[$3::uuid])
          and ($4::text is null or sort_key > $4)
        order by sort_key limit $5`,
      [opts.series ?? null, opts.status ?? null, opts.partyId ?? null, after, opts.limit + 1],
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    const names = await this.names(page.flatMap((r) => partyIdsOf(r.state)), q);
    return {
      items: page.map((r) => toForumView(r.state, names)),
      next: more ? encodeCursor(page[page.length - 1].sort_key) : null,
    };
  }

  /** One forum with its status history, oldest first. */
  async get(id: string, q: Queryable = this.db): Promise<ForumDetailView> {
    const [row]: { state: ForumState }[] = await q.query(`select state from rm_forums where forum_id = $1`, [id]);
    if (!row) throw AppError.notFound('forum', id);
    const names = await this.names(partyIdsOf(row.state), q);
    return { ...toForumView(row.state, names), history: row.state.history.map(historyView) };
  }

  async names(ids: string[], q: Queryable = this.db): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { party_id: string; name: string }[] = await q.query(
      `select party_id, name from rm_forum_parties where party_id = any($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.party_id, r.name]));
  }
}

function partyIdsOf(s: ForumState): string[] {
  return [...(s.hostPartyId ? [s.hostPartyId] : []), ...s.organizerPartyIds, ...s.partnerPartyIds];
}

const refOf = (names: Map<string, string>) => (id: string): PartyRef => ({ id, name: names.get(id) ?? '(unknown party)' });

export function toView(s: ForumState, names: Map<string, string>): UpcomingForumView {
  const ref = refOf(names);
  return {
    id: s.forumId!,
    series: s.series,
    edition: s.edition,
    title: s.title,
    hostCity: s.hostCity,
    status: s.status!,
    plannedFor: s.plannedFor,
    startsOn: s.startsOn,
    endsOn: s.endsOn,
    organizers: s.organizerPartyIds.map(ref),
    partners: s.partnerPartyIds.map(ref),
  };
}

export function toForumView(s: ForumState, names: Map<string, string>): ForumView {
  const ref = refOf(names);
  return {
    id: s.forumId!,
    series: s.series,
    edition: s.edition,
    title: s.title,
    hostCity: s.hostCity,
    host: s.hostPartyId ? ref(s.hostPartyId) : null,
    status: s.status!,
    plannedFor: s.plannedFor,
    startsOn: s.startsOn,
    endsOn: s.endsOn,
    venue: s.venue,
    organizers: s.organizerPartyIds.map(ref),
    partners: s.partnerPartyIds.map(ref),
  };
}

/** Fixed key order, whatever order jsonb gave the stored entry back in. */
function historyView(h: ForumHistoryEntry): ForumHistoryEntry {
  return {
    status: h.status,
    event: h.event,
    plannedFor: h.plannedFor,
    startsOn: h.startsOn,
    endsOn: h.endsOn,
    reason: h.reason,
    recordedAt: h.recordedAt,
  };
}
