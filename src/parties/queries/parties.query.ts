import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { AppError } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/http/paging.js';
import { today } from '../../shared/partial-date.js';
import { heldOn } from '../../people/appointment-held.js';
import type { FormerName, PartyState } from '../party.decider.js';
import type { PartyKind } from '../party.events.js';

/** What the queries run on: the DataSource, or (time travel) a runner over copies of the tables. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export interface PartyListItem {
  id: string;
  name: string;
  shortName: string | null;
  kind: PartyKind;
  countryCode: string | null;
  formerNames: FormerName[];
}

export interface OfficeHolderView {
  person: { id: string; fullName: string };
  appointmentId: string;
  title: string;
  from: string;
  to: string | null;
  acting: boolean;
}

export interface PartyView extends PartyListItem {
  parent: { id: string; name: string } | null;
  officeHolders: OfficeHolderView[];
  registeredAt: string;
}

interface OfficeRow {
  appointment_id: string;
  person_id: string;
  full_name: string | null;
  title: string;
  from_date: string;
  to_date: string | null;
  ended_on: string | null;
  acting: boolean;
}

const isCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && isUuid(v[1]);

@Injectable()
export class PartiesQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /** Parties by name (then id); `q` matches any current or former name or short name, case-insensitively. */
  async list(opts: { kind?: string; q?: string; limit: number; cursor?: string }, sql: Sql = this.db): Promise<Page<PartyListItem>> {
    const after = decodeCursor(opts.cursor, isCursor);
    const q = opts.q?.trim() ? opts.q.trim() : null;
    const rows: { party_id: string; sort_name: string; state: PartyState }[] = await sql.query(
      `select party_id, sort_name, state from rm_parties
        where ($1::text is null or kind = $1)
          and ($2::text is null or strpos(lower(search_text), lower($2)) > 0)
          and ($3::text is null or (sort_name, party_id) > ($3::text collate "C", $4::uuid))
        order by sort_name, party_id limit $5`,
      [opts.kind ?? null, q, after?.[0] ?? null, after?.[1] ?? null, opts.limit + 1],
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => listItem(r.party_id, r.state)),
      next: more ? encodeCursor([last.sort_name, last.party_id]) : null,
    };
  }

  /** One party with its parent, former names and the office holders on `day` (default today). */
  async get(id: string, opts: { day?: string } = {}, sql: Sql = this.db): Promise<PartyView> {
    const day = opts.day ?? today();
    const [row]: { state: PartyState; registered_at: Date | string }[] = await sql.query(
      `select state, registered_at from rm_parties where party_id = $1`,
      [id],
    );
    if (!row) throw AppError.notFound('party', id);
    const s = row.state;
    let parent: PartyView['parent'] = null;
    if (s.parentPartyId) {
      const [p]: { name: string }[] = await sql.query(`select name from rm_parties where party_id = $1`, [s.parentPartyId]);
      parent = { id: s.parentPartyId, name: p?.name ?? '(unknown party)' };
    }
    const offices: OfficeRow[] = await sql.query(
      `select o.appointment_id, o.person_id, p.full_name, o.title, o.from_date, o.to_date, o.ended_on, o.acting
         from rm_parties_offices o left join rm_parties_people p using (person_id)
        where o.party_id = $1 and o.ended_on is null
        order by o.first_day, o.last_day, o.position`,
      [id],
    );
    return {
      ...listItem(id, s),
      parent,
      officeHolders: offices
        .filter((o) => heldOn({ from: o.from_date, to: o.to_date, endedOn: o.ended_on }, day))
        .map((o) => ({
          person: { id: o.person_id, fullName: o.full_name ?? '(unknown person)' },
          appointmentId: o.appointment_id,
          title: o.title,
          from: o.from_date,
          to: o.to_date,
          acting: o.acting,
        })),
      registeredAt: new Date(row.registered_at).toISOString(),
    };
  }
}

function listItem(id: string, s: PartyState): PartyListItem {
  return {
    id,
    name: s.name,
    shortName: s.shortName,
    kind: s.kind!,
    countryCode: s.countryCode,
    formerNames: s.formerNames.map((f) => ({ name: f.name, shortName: f.shortName, until: f.until })),
  };
}
