import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { AppError } from '../../shared/errors.js';
import { isUuid } from '../../shared/ids.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/http/paging.js';
import { comparePartialDates, today } from '../../shared/partial-date.js';
import { heldOn } from '../appointment-held.js';
import type { PersonState } from '../person.decider.js';

/** What the queries run on: the DataSource, or (time travel) a runner over copies of the tables. */
export interface Sql {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export interface PersonListItem {
  id: string;
  fullName: string;
}

export interface AppointmentView {
  appointmentId: string;
  party: { id: string; name: string };
  title: string;
  from: string;
  to: string | null;
  endedOn: string | null;
  acting: boolean;
  current: boolean;
}

export interface PersonView extends PersonListItem {
  appointments: AppointmentView[];
}

const isCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && isUuid(v[1]);

@Injectable()
export class PeopleQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /** People by full name (then id); `q` matches part of the full name, case-insensitively. */
  async list(opts: { q?: string; limit: number; cursor?: string }, sql: Sql = this.db): Promise<Page<PersonListItem>> {
    const after = decodeCursor(opts.cursor, isCursor);
    const q = opts.q?.trim() ? opts.q.trim() : null;
    const rows: { person_id: string; full_name: string; sort_name: string }[] = await sql.query(
      `select person_id, full_name, sort_name from rm_people
        where ($1::text is null or strpos(lower(full_name), lower($1)) > 0)
          and ($2::text is null or (sort_name, person_id) > ($2::text collate "C", $3::uuid))
        order by sort_name, person_id limit $4`,
      [q, after?.[0] ?? null, after?.[1] ?? null, opts.limit + 1],
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.person_id, fullName: r.full_name })),
      next: more ? encodeCursor([last.sort_name, last.person_id]) : null,
    };
  }

  /** One person with every appointment, past and current, in the order of their start (`current` on `day`, default today). */
  async get(id: string, opts: { day?: string } = {}, sql: Sql = this.db): Promise<PersonView> {
    const day = opts.day ?? today();
    const [row]: { state: PersonState }[] = await sql.query(`select state from rm_people where person_id = $1`, [id]);
    if (!row) throw AppError.notFound('person', id);
    const s = row.state;
    const partyIds = [...new Set(s.appointments.map((a) => a.partyId))];
    const names = new Map<string, string>(
      partyIds.length
        ? (await sql.query(`select party_id, name from rm_people_parties where party_id = any($1::uuid[])`, [partyIds])).map(
            (r: { party_id: string; name: string }) => [r.party_id, r.name] as const,
          )
        : [],
    );
    // Array.prototype.sort is stable: appointments starting on the same date keep the order they were recorded in.
    const appointments = [...s.appointments].sort((a, b) => comparePartialDates(a.from, b.from));
    return {
      id,
      fullName: s.fullName,
      appointments: appointments.map((a) => ({
        appointmentId: a.appointmentId,
        party: { id: a.partyId, name: names.get(a.partyId) ?? '(unknown party)' },
        title: a.title,
        from: a.from,
        to: a.to,
        endedOn: a.endedOn,
        acting: a.acting,
        current: heldOn(a, day),
      })),
    };
  }
}
