import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { AppError } from '../../shared/errors.js';
import { encodeCursor, decodeCursor, type Page } from '../../shared/http/paging.js';
import type { InitiativeState } from '../initiative.decider.js';
import type { InitiativeKind } from '../initiative.events.js';

export interface PartyRef {
  id: string;
  name: string;
}

/** Runs SQL: the injected DataSource, or a caller's connection holding other copies of the tables (time travel). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export interface InitiativeView {
  id: string;
  name: string;
  kind: InitiativeKind;
  launchedOn: string;
  lead: PartyRef;
  partners: PartyRef[];
}

const isSortKey = (v: unknown): v is string => typeof v === 'string' && v.length <= 100;

@Injectable()
export class InitiativesQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /** Initiatives in launch-date order (partial dates: first day, then last day), optionally of one kind or party. */
  async list(opts: { kind?: InitiativeKind; partyId?: string; limit: number; cursor?: string }, q: Queryable = this.db): Promise<Page<InitiativeView>> {
    const after = decodeCursor(opts.cursor, isSortKey);
    const rows: { sort_key: string; state: InitiativeState }[] = await q.query(
      `select sort_key, state from rm_initiatives
        where ($1::text is null or kind = $1)
          and ($2::uuid is null or party_ids @> array[$2::uuid])
          and ($3::text is null or sort_key > $3)
        order by sort_key limit $4`,
      [opts.kind ?? null, opts.partyId ?? null, after, opts.limit + 1],
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    const names = await this.names(page.flatMap((r) => [r.state.leadPartyId!, ...r.state.partnerPartyIds]), q);
    return {
      items: page.map((r) => toInitiativeView(r.state, names)),
      next: more ? encodeCursor(page[page.length - 1].sort_key) : null,
    };
  }

  async get(id: string, q: Queryable = this.db): Promise<InitiativeView> {
    const [row]: { state: InitiativeState }[] = await q.query(`select state from rm_initiatives where initiative_id = $1`, [id]);
    if (!row) throw AppError.notFound('initiative', id);
    const names = await this.names([row.state.leadPartyId!, ...row.state.partnerPartyIds], q);
    return toInitiativeView(row.state, names);
  }

  private async names(ids: string[], q: Queryable): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { party_id: string; name: string }[] = await q.query(
      `select party_id, name from rm_initiative_parties where party_id = any($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.party_id, r.name]));
  }
}

export function toInitiativeView(s: InitiativeState, names: Map<string, string>): InitiativeView {
  const ref = (id: string): PartyRef => ({ id, name: names.get(id) ?? '(unknown party)' });
  return {
    id: s.initiativeId!,
    name: s.name,
    kind: s.kind!,
    launchedOn: s.launchedOn!,
    lead: ref(s.leadPartyId!),
    partners: s.partnerPartyIds.map(ref),
  };
}
