import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import type { Queryable } from '../../meetings/queries/meetings.query.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/http/paging.js';
import { today as todayOf } from '../../shared/partial-date.js';
import { isOverdue, type CommitmentState, type CommitmentStatus } from '../commitment.decider.js';
import type { CommitmentView } from './commitment.view.js';

export interface CommitmentListOptions {
  partyId?: string;
  status?: CommitmentStatus;
  overdue?: boolean;
  limit: number;
  cursor?: string;
}

interface CommitmentRow {
  commitment_id: string;
  sort_key: string;
  retraction_reason: string | null;
  state: CommitmentState;
}

const DAY = String.raw`(\d{4}-\d{2}-\d{2}|~)`;
const SORT_KEY = new RegExp(`^${DAY}\\|${DAY}\\|[0-9a-f-]{36}$`);

/** The SQL twin of isOverdue(state, day), over the projection's columns ($day a full date). */
export function overdueCondition(overdue: boolean, day: string): string {
  return overdue
    ? `status = 'open' and due_last_day < ${day}`
    : `(status <> 'open' or due_last_day is null or due_last_day >= ${day})`;
}

@Injectable()
export class CommitmentsQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /**
   * Commitments, leaving out those made in a retracted meeting; soonest due first (dueBy in the
   * contract's partial-date order), those without a due date last.
   */
  async list(opts: CommitmentListOptions, day: string = todayOf(), q?: Queryable): Promise<Page<CommitmentView>> {
    const db = q ?? this.db;
    const after = decodeCursor(opts.cursor, (v): v is string => typeof v === 'string' && SORT_KEY.test(v));
    const where = ['retraction_reason is null'];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (opts.partyId) where.push(`party_ids @> array[${param(opts.partyId)}::uuid]`);
    if (opts.status) where.push(`status = ${param(opts.status)}`);
    if (opts.overdue !== undefined) where.push(overdueCondition(opts.overdue, `${param(day)}::date`));
    if (after) where.push(`sort_key > ${param(after)}`);
    const rows: CommitmentRow[] = await db.query(
      `select commitment_id, sort_key, retraction_reason, state from rm_commitments
        where ${where.join(' and ')}
        order by sort_key limit ${param(opts.limit + 1)}`,
      params,
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    return { items: await this.views(page, day, db), next: more ? encodeCursor(page[page.length - 1].sort_key) : null };
  }

  /** One commitment, even one made in a retracted meeting (it says so in `meetingRetracted`). */
  async get(id: string, day: string = todayOf(), q?: Queryable): Promise<CommitmentView> {
    const db = q ?? this.db;
    const rows: CommitmentRow[] = await db.query(
      `select commitment_id, sort_key, retraction_reason, state from rm_commitments where commitment_id = $1`,
      [id],
    );
    if (rows.length === 0) throw AppError.notFound('commitment', id);
    const [view] = await this.views(rows, day, db);
    return view;
  }

  private async views(rows: CommitmentRow[], day: string, db: Queryable): Promise<CommitmentView[]> {
    if (rows.length === 0) return [];
    const partyIds = [...new Set(rows.flatMap((r) => r.state.partyIds))];
    const parties = await db.query(`select party_id as id, name from rm_commitments_parties where party_id = any($1::uuid[])`, [partyIds]);
    const partyName = new Map<string, string>(parties.map((p: { id: string; name: string }) => [p.id, p.name]));
    return rows.map(({ commitment_id, retraction_reason, state: s }) => ({
      id: commitment_id,
      description: s.description,
      parties: s.partyIds.map((id) => ({ id, name: partyName.get(id) ?? '(unknown party)' })),
      dueBy: s.dueBy,
      status: s.status,
      overdue: isOverdue(s, day),
      meetingId: s.meetingId,
      forumId: s.forumId,
      madeOn: s.madeOn,
      fulfilledOn: s.fulfilledOn,
      note: s.note,
      withdrawnReason: s.withdrawnReason,
      meetingRetracted: retraction_reason === null ? null : { reason: retraction_reason },
    }));
  }
}
