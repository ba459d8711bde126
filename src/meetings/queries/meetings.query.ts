import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/http/paging.js';
import { rangeOf } from '../../shared/partial-date.js';
import type { MeetingState } from '../meeting.decider.js';
import { type CorrectionEntry, searchQuery } from '../projections/meetings.projection.js';
import type { MeetingView } from './meeting.view.js';

/** Where a query runs: the app's DataSource, or (time travel) a transaction over copies of the tables. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export interface MeetingListOptions {
  partyId?: string;
  /** partial dates: meetings whose days overlap from's first day .. to's last day */
  from?: string;
  to?: string;
  /** websearch syntax: words, "a phrase", or, -not */
  q?: string;
  limit: number;
  cursor?: string;
}

interface MeetingRow {
  meeting_id: string;
  sort_key: string;
  state: MeetingState;
  corrections: CorrectionEntry[];
}

const SORT_KEY = /^\d{4}-\d{2}-\d{2}\|\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}$/;

@Injectable()
export class MeetingsQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /**
   * Meetings not retracted, newest first, as a dashboard shows them: the contract's partial-date
   * order reversed (first day descending, then last day descending, then id), so `2026-06` comes
   * before `2026-05`, `2026-05` before `2026-05-01`, and `2026` after them all.
   */
  async list(opts: MeetingListOptions, q?: Queryable): Promise<Page<MeetingView>> {
    const db = q ?? this.db;
    const after = decodeCursor(opts.cursor, (v): v is string => typeof v === 'string' && SORT_KEY.test(v));
    const where = ['not retracted'];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (opts.partyId) where.push(`party_ids @> array[${param(opts.partyId)}::uuid]`);
    if (opts.from) where.push(`last_day >= ${param(rangeOf(opts.from).first)}::date`);
    if (opts.to) where.push(`first_day <= ${param(rangeOf(opts.to).last)}::date`);
    if (opts.q) where.push(`search @@ ${searchQuery(`${param(opts.q)}::text`)}`);
    if (after) where.push(`sort_key < ${param(after)}`);
    const limit = param(opts.limit + 1);
    // A search is selective: its matches come from the GIN index first (materialized, so the
    // planner cannot walk the date index instead and test every row), then are put in order.
    const rows: MeetingRow[] = await db.query(
      opts.q
        ? `with hits as materialized (select meeting_id, sort_key from rm_meetings where ${where.join(' and ')}),
                page as (select meeting_id from hits order by sort_key desc limit ${limit})
           select m.meeting_id, m.sort_key, m.state, m.corrections from rm_meetings m join page using (meeting_id)
            order by m.sort_key desc`
        : `select meeting_id, sort_key, state, corrections from rm_meetings
            where ${where.join(' and ')}
            order by sort_key desc limit ${limit}`,
      params,
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    return { items: await this.views(page, db), next: more ? encodeCursor(page[page.length - 1].sort_key) : null };
  }

  /** One meeting, retracted or not (a retracted one says so in `retracted`). */
  async get(id: string, q?: Queryable): Promise<MeetingView> {
    const db = q ?? this.db;
    const rows: MeetingRow[] = await db.query(`select meeting_id, sort_key, state, corrections from rm_meetings where meeting_id = $1`, [id]);
    if (rows.length === 0) throw AppError.notFound('meeting', id);
    const [view] = await this.views(rows, db);
    return view;
  }

  private async views(rows: MeetingRow[], db: Queryable): Promise<MeetingView[]> {
    if (rows.length === 0) return [];
    const partyIds = new Set(rows.flatMap((r) => [...r.state.partyIds, ...r.state.participants.map((p) => p.partyId)]));
    const personIds = new Set(rows.flatMap((r) => r.state.participants.map((p) => p.personId)));
    const [parties, people, commitments] = await Promise.all([
      db.query(`select party_id as id, name from rm_meetings_parties where party_id = any($1::uuid[])`, [[...partyIds]]),
      db.query(`select person_id as id, full_name as name from rm_meetings_people where person_id = any($1::uuid[])`, [[...personIds]]),
      db.query(
        `select commitment_id as id, meeting_id, description, due_by as "dueBy" from rm_meetings_commitments
          where meeting_id = any($1::uuid[]) order by position`,
        [rows.map((r) => r.meeting_id)],
      ),
    ]);
    const partyName = new Map<string, string>(parties.map((p: { id: string; name: string }) => [p.id, p.name]));
    const personName = new Map<string, string>(people.map((p: { id: string; name: string }) => [p.id, p.name]));
    const party = (id: string) => ({ id, name: partyName.get(id) ?? '(unknown party)' });
    return rows.map(({ meeting_id, state: s, corrections }) => ({
      id: meeting_id,
      occurredOn: s.occurredOn,
      format: s.format,
      location: s.location,
      title: s.title,
      parties: s.partyIds.map(party),
      participants: s.participants.map((p) => ({
        person: { id: p.personId, fullName: personName.get(p.personId) ?? '(unknown person)' },
        party: party(p.partyId),
      })),
      topics: s.topics,
      summary: s.summary,
      outcomes: s.outcomes,
      commitments: commitments
        .filter((c: { meeting_id: string }) => c.meeting_id === meeting_id)
        .map((c: { id: string; description: string; dueBy: string | null }) => ({ id: c.id, description: c.description, dueBy: c.dueBy })),
      sourceRef: s.sourceRef,
      corrections,
      retracted: s.retracted,
    }));
  }
}
