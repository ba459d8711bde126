import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { encodeCursor, decodeCursor, type Page } from '../../shared/http/paging.js';
import { rangeOf, today } from '../../shared/partial-date.js';
import type { ForumState } from '../forum.decider.js';

export interface PartyRef {
  id: string;
  name: string;
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

const OPEN = ['proposed', 'planned', 'scheduled', 'postponed'];

@Injectable()
export class ForumsQuery {
  constructor(private readonly db: DataSource) {}

  /**
   * Forums not held and not cancelled whose time is not wholly before `from`, earliest first;
   * a forum postponed without a date has no time and comes last whatever `from` is.
   */
  async upcoming(opts: { from?: string; series?: string; partyId?: string; limit: number; cursor?: string }): Promise<Page<UpcomingForumView>> {
    const fromDay = rangeOf(opts.from ?? today()).first;
    const after = decodeCursor(opts.cursor, (v): v is string => typeof v === 'string');
    const rows: { sort_key: string; state: ForumState }[] = await this.db.query(
      `select sort_key, state from rm_forums
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
    const names = await this.names(page.flatMap((r) => [...r.state.organizerPartyIds, ...r.state.partnerPartyIds]));
    return {
      items: page.map((r) => toView(r.state, names)),
      next: more ? encodeCursor(page[page.length - 1].sort_key) : null,
    };
  }

  async names(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { party_id: string; name: string }[] = await this.db.query(
      `select party_id, name from rm_forum_parties where party_id = any($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.party_id, r.name]));
  }
}

export function toView(s: ForumState, names: Map<string, string>): UpcomingForumView {
  const ref = (id: string) => ({ id, name: names.get(id) ?? '(unknown party)' });
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
