import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { agreementStatus, type AgreementState } from '../../agreements/agreement.decider.js';
import type { CommitmentState } from '../../commitments/commitment.decider.js';
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

interface LinkRow {
  partnership_id: string;
  party_a: string;
  party_b: string;
  source_id: string;
  kind: string;
  on_date: string | null;
  state: any;
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

  private async build(ids: string[], day: string, q: Queryable = this.db): Promise<PartnershipView[]> {
    if (ids.length === 0) return [];
    const rows: LinkRow[] = await q.query(
      `select l.partnership_id, l.party_a, l.party_b, l.source_id, l.kind, l.on_date, s.state
         from rm_partnership_links l join rm_partnership_sources s using (source_id)
        where l.partnership_id = any($1::uuid[])`,
      [ids],
    );
    const partyIds = [...new Set(rows.flatMap((r) => [r.party_a, r.party_b]))];
    const names = new Map<string, string>(
      (await q.query(`select party_id, name from rm_partnership_parties where party_id = any($1::uuid[])`, [partyIds])).map(
        (r: { party_id: string; name: string }) => [r.party_id, r.name],
      ),
    );
    const byId = new Map<string, LinkRow[]>();
    for (const r of rows) {
      const list = byId.get(r.partnership_id);
      if (list) list.push(r);
      else byId.set(r.partnership_id, [r]);
    }
    return ids.flatMap((id) => {
      const links = byId.get(id);
      if (!links || !links.some((l) => PARTNERING.includes(l.kind))) return [];
      return [summarise(id, links, names, day)];
    });
  }
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One pass, not a sort: a partnership may have hundreds of facts, read 200 times a second. */
function earliest(dates: (string | null)[]): string | null {
  let best: string | null = null;
  for (const d of dates) if (d && (best === null || comparePartialDates(d, best) < 0)) best = d;
  return best;
}

function latest(dates: (string | null)[]): string | null {
  let best: string | null = null;
  for (const d of dates) if (d && (best === null || comparePartialDates(d, best) >= 0)) best = d;
  return best;
}

export function summarise(id: string, links: LinkRow[], names: Map<string, string>, day: string): PartnershipView {
  const { party_a, party_b } = links[0];
  const of = (kind: string) => links.filter((l) => l.kind === kind);
  const meetings = of('meeting');
  const agreements = of('agreement').map((l) => l.state as AgreementState);
  const forums = of('forum').map((l) => ({ state: l.state as ForumState, on: l.on_date }));
  const commitments = of('commitment').map((l) => l.state as CommitmentState);
  const partnering = links.filter((l) => PARTNERING.includes(l.kind));

  const upcoming = forums
    .filter(({ state }) => state.status !== 'held' && state.status !== 'cancelled')
    .filter(({ state }) => {
      const when = forumWhen(state);
      return !when || when.last >= day;
    })
    // Same date: by id (time-ordered), so the answer does not depend on the order rows come back in.
    .sort((a, b) => (a.on && b.on ? comparePartialDates(a.on, b.on) : a.on ? -1 : b.on ? 1 : 0) || byId(a.state.forumId ?? '', b.state.forumId ?? ''));

  return {
    id,
    parties: [party_a, party_b].map((p) => ({ id: p, name: names.get(p) ?? '(unknown party)' })),
    since: earliest(partnering.map((l) => l.on_date)),
    meetingsCount: meetings.length,
    lastMeetingOn: latest(meetings.map((l) => l.on_date)),
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
    openCommitments: commitments.filter((c) => c.status === 'open').length,
    lastActivityOn: latest(
      partnering
        .filter((l) => l.kind !== 'forum' || (l.state as ForumState).status === 'held')
        .map((l) => l.on_date),
    ),
  };
}
