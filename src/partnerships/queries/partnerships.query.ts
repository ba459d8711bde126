import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { agreementStatus, type AgreementState } from '../../agreements/agreement.decider.js';
import { forumWhen, type ForumState } from '../../forums/forum.decider.js';
import { AppError } from '../../shared/errors.js';
import { partnershipId } from '../partnership-id.js';
import { isUuid } from '../../shared/ids.js';
import { encodeCursor, decodeCursor, type Page } from '../../shared/http/paging.js';
import { comparePartialDates, today as todayOf } from '../../shared/partial-date.js';

export interface PartnershipView {
  id: string;
  parties: { id: string; name: string }[];
  since: string | null;
  meetingsCount: number;
  lastMeetingOn: string | null;
  agreementsInForce: { id: string; title: string; kind: string; signedOn: string }[];
  upcomingForums: { id: string; title: string | null; series: string; edition: number | null; plannedFor: string | null; status: string }[];
  openCommitments: number;
  lastActivityOn: string | null;
}

interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/** Kinds of fact that make two parties partners (a commitment rides on its meeting). */
const PARTNERING = ['meeting', 'agreement', 'forum', 'initiative', 'establishment'];

@Injectable()
export class PartnershipsQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  async list(opts: { partyId?: string; limit: number; cursor?: string }, day = todayOf()): Promise<Page<PartnershipView>> {
    const after = decodeCursor(opts.cursor, (v): v is string => isUuid(v));
    const ids: { partnership_id: string }[] = await this.db.query(
      `select distinct partnership_id from rm_partnership_links
        where kind = any($1::text[])
          and ($2::uuid is null or party_a = $2 or party_b = $2)
          and ($3::uuid is null or partnership_id > $3)
        order by partnership_id limit $4`,
      [PARTNERING, opts.partyId ?? null, after, opts.limit + 1],
    );
    const more = ids.length > opts.limit;
    const page = ids.slice(0, opts.limit).map((r) => r.partnership_id);
    const views = await this.build(page, day);
    return { items: views, next: more ? encodeCursor(page[page.length - 1]) : null };
  }

  async get(id: string, day = todayOf(), q: Queryable = this.db): Promise<PartnershipView> {
    const [view] = await this.build([id], day, q);
    if (!view) throw AppError.notFound('partnership', id);
    return view;
  }

  /**
   * The two parties of a partnership id. From its links when it has any now; otherwise (a pair
   * whose only shared fact was retracted) by deriving the id of every pair of known parties.
   */
  async pairOf(id: string): Promise<[string, string] | null> {
    const [row] = await this.db.query(`select party_a, party_b from rm_partnership_links where partnership_id = $1 limit 1`, [id]);
    if (row) return [row.party_a, row.party_b];
    const parties: string[] = (await this.db.query(`select party_id from rm_partnership_parties order by party_id`)).map((r: { party_id: string }) => r.party_id);
    for (let i = 0; i < parties.length; i++) {
      for (let j = i + 1; j < parties.length; j++) if (partnershipId(parties[i], parties[j]) === id) return [parties[i], parties[j]];
    }
    return null;
  }

  /**
   * One statement whatever the pair's size: per partnership, the counts and dates of its facts
   * (SQL orders partial dates by first_day, last_day: the contract's order, comparePartialDates)
   * and its open commitments (from the links, which carry a commitment's status), the names of
   * its two parties, and the records of the facts the answer reads whole: agreements and forums.
   * A busy pair's facts are mostly meetings and commitments, which need nothing but their dates
   * and status: reading their records made one read of the busiest pair 7 ms of CPU, too slow
   * for 200 a second. In three statements (counts, facts, names) a read of the busiest pair of a
   * 50k log took 3.8 to 5.2 ms and 1.2 to 1.5 ms of Node CPU; in one, 2.8 to 3.1 and 0.8 ms
   * (bench/README.md).
   */
  private async build(ids: string[], day: string, q: Queryable = this.db): Promise<PartnershipView[]> {
    if (ids.length === 0) return [];
    const pairs: PairRow[] = await q.query(
      `with pairs as (
         select partnership_id, party_a, party_b,
                count(*) filter (where kind = 'meeting')::int as meetings,
                (array_agg(on_date order by first_day desc, last_day desc) filter (where kind = 'meeting' and on_date is not null))[1] as last_meeting_on,
                (array_agg(on_date order by first_day, last_day) filter (where kind = any($2::text[]) and on_date is not null))[1] as since,
                (array_agg(on_date order by first_day desc, last_day desc)
                   filter (where kind = any($2::text[]) and kind <> 'forum' and on_date is not null))[1] as last_activity_on,
                count(*) filter (where kind = 'commitment' and open)::int as open_commitments
           from rm_partnership_links l
          where partnership_id = any($1::uuid[])
          group by partnership_id, party_a, party_b
         having bool_or(kind = any($2::text[])))
       select pairs.*, a.name as name_a, b.name as name_b,
              coalesce((select jsonb_agg(jsonb_build_object('kind', f.kind, 'on_date', f.on_date, 'state', s.state))
                          from rm_partnership_links f join rm_partnership_sources s using (source_id)
                         where f.partnership_id = pairs.partnership_id and f.kind in ('agreement', 'forum')), '[]'::jsonb) as facts
         from pairs
         left join rm_partnership_parties a on a.party_id = pairs.party_a
         left join rm_partnership_parties b on b.party_id = pairs.party_b`,
      [ids, PARTNERING],
    );
    const byPair = new Map(pairs.map((p) => [p.partnership_id, p]));
    return ids.flatMap((id) => {
      const pair = byPair.get(id);
      return pair ? [summarise(pair, day)] : [];
    });
  }
}

/** A partnership's facts in aggregate (one row per pair). */
interface PairRow {
  partnership_id: string;
  party_a: string;
  party_b: string;
  meetings: number;
  last_meeting_on: string | null;
  since: string | null;
  /** latest date of a partnering fact other than a forum (a forum counts once held) */
  last_activity_on: string | null;
  open_commitments: number;
  /** the current names of party_a and party_b (null for a party the read model does not know) */
  name_a: string | null;
  name_b: string | null;
  /** its facts of the kinds whose records the answer reads */
  facts: FactRow[];
}

/** A fact of a kind whose record the answer reads: agreement, forum. */
interface FactRow {
  kind: 'agreement' | 'forum';
  on_date: string | null;
  state: any;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The later of two partial dates (either may be missing). */
function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePartialDates(b, a) >= 0 ? b : a;
}

export function summarise(pair: PairRow, day: string): PartnershipView {
  const { partnership_id: id, party_a, party_b, facts } = pair;
  const agreements = facts.filter((f) => f.kind === 'agreement').map((f) => f.state as AgreementState);
  const forums = facts.filter((f) => f.kind === 'forum').map((f) => ({ state: f.state as ForumState, on: f.on_date }));

  const upcoming = forums
    .filter(({ state }) => state.status !== 'held' && state.status !== 'cancelled')
    .filter(({ state }) => {
      const when = forumWhen(state);
      return !when || when.last >= day;
    })
    // Same date: by id (time-ordered), so the answer does not depend on the order rows come back in.
    .sort((a, b) => (a.on && b.on ? comparePartialDates(a.on, b.on) : a.on ? -1 : b.on ? 1 : 0) || byId(a.state.forumId ?? '', b.state.forumId ?? ''));

  let lastActivityOn = pair.last_activity_on;
  for (const f of forums) if (f.state.status === 'held') lastActivityOn = later(lastActivityOn, f.on);

  return {
    id,
    parties: [
      { id: party_a, name: pair.name_a ?? '(unknown party)' },
      { id: party_b, name: pair.name_b ?? '(unknown party)' },
    ],
    since: pair.since,
    meetingsCount: pair.meetings,
    lastMeetingOn: pair.last_meeting_on,
    agreementsInForce: agreements
      .filter((a) => agreementStatus(a, day) === 'in_force')
      .sort((a, b) => comparePartialDates(a.signedOn, b.signedOn) || byId(a.agreementId, b.agreementId))
      .map((a) => ({ id: a.agreementId, title: a.title, kind: a.kind, signedOn: a.signedOn })),
    upcomingForums: upcoming.map(({ state }) => ({
      id: state.forumId!,
      title: state.title,
      series: state.series,
      edition: state.edition,
      plannedFor: state.plannedFor,
      status: state.status!,
    })),
    openCommitments: pair.open_commitments,
    lastActivityOn,
  };
}
