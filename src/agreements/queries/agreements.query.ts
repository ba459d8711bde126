import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectReadDb } from '../../database/read-database.js';
import type { Queryable } from '../../meetings/queries/meetings.query.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/http/paging.js';
import { today as todayOf } from '../../shared/partial-date.js';
import { agreementStatus, type AgreementState } from '../agreement.decider.js';
import type { AgreementKind, AgreementStatus } from '../agreement.events.js';
import type { AgreementView } from './agreement.view.js';

export interface AgreementListOptions {
  partyId?: string;
  status?: AgreementStatus;
  kind?: AgreementKind;
  limit: number;
  cursor?: string;
}

interface AgreementRow {
  agreement_id: string;
  sort_key: string;
  state: AgreementState;
}

const SORT_KEY = /^\d{4}-\d{2}-\d{2}\|\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}$/;

/**
 * The SQL twin of agreementStatus(state, day), over the projection's date columns ($day a
 * full date): terminated once the termination's first day has come; expired when the expiry's
 * last day is before the day; otherwise in force.
 */
export function statusCondition(status: AgreementStatus, day: string): string {
  const notTerminated = `(terminated_first_day is null or terminated_first_day > ${day})`;
  switch (status) {
    case 'terminated':
      return `terminated_first_day <= ${day}`;
    case 'expired':
      return `${notTerminated} and expires_last_day < ${day}`;
    case 'in_force':
      return `${notTerminated} and (expires_last_day is null or expires_last_day >= ${day})`;
  }
}

@Injectable()
export class AgreementsQuery {
  constructor(@InjectReadDb() private readonly db: DataSource) {}

  /** Agreements, most recently signed first (signedOn in the contract's partial-date order, reversed). */
  async list(opts: AgreementListOptions, day: string = todayOf(), q?: Queryable): Promise<Page<AgreementView>> {
    const db = q ?? this.db;
    const after = decodeCursor(opts.cursor, (v): v is string => typeof v === 'string' && SORT_KEY.test(v));
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (opts.partyId) where.push(`party_ids @> array[${param(opts.partyId)}::uuid]`);
    if (opts.kind) where.push(`kind = ${param(opts.kind)}`);
    if (opts.status) where.push(statusCondition(opts.status, `${param(day)}::date`));
    if (after) where.push(`sort_key < ${param(after)}`);
    const rows: AgreementRow[] = await db.query(
      `select agreement_id, sort_key, state from rm_agreements
        ${where.length ? `where ${where.join(' and ')}` : ''}
        order by sort_key desc limit ${param(opts.limit + 1)}`,
      params,
    );
    const more = rows.length > opts.limit;
    const page = rows.slice(0, opts.limit);
    return { items: await this.views(page, day, db), next: more ? encodeCursor(page[page.length - 1].sort_key) : null };
  }

  /** One agreement, its status derived for `day` (today unless told). */
  async get(id: string, day: string = todayOf(), q?: Queryable): Promise<AgreementView> {
    const db = q ?? this.db;
    const rows: AgreementRow[] = await db.query(`select agreement_id, sort_key, state from rm_agreements where agreement_id = $1`, [id]);
    if (rows.length === 0) throw AppError.notFound('agreement', id);
    const [view] = await this.views(rows, day, db);
    return view;
  }

  private async views(rows: AgreementRow[], day: string, db: Queryable): Promise<AgreementView[]> {
    if (rows.length === 0) return [];
    const partyIds = new Set(rows.flatMap((r) => [...r.state.partyIds, ...r.state.signatories.map((s) => s.partyId)]));
    const personIds = new Set(rows.flatMap((r) => r.state.signatories.map((s) => s.personId)));
    const [parties, people] = await Promise.all([
      db.query(`select party_id as id, name from rm_agreements_parties where party_id = any($1::uuid[])`, [[...partyIds]]),
      db.query(`select person_id as id, full_name as name from rm_agreements_people where person_id = any($1::uuid[])`, [[...personIds]]),
    ]);
    const partyName = new Map<string, string>(parties.map((p: { id: string; name: string }) => [p.id, p.name]));
    const personName = new Map<string, string>(people.map((p: { id: string; name: string }) => [p.id, p.name]));
    const party = (id: string) => ({ id, name: partyName.get(id) ?? '(unknown party)' });
    return rows.map(({ agreement_id, state: s }) => ({
      id: agreement_id,
      title: s.title,
      kind: s.kind,
      status: agreementStatus(s, day),
      parties: s.partyIds.map(party),
      signedOn: s.signedOn,
      signatories: s.signatories.map((p) => ({
        person: { id: p.personId, fullName: personName.get(p.personId) ?? '(unknown person)' },
        party: party(p.partyId),
      })),
      effectiveFrom: s.effectiveFrom,
      expiresOn: s.expiresOn,
      areas: s.areas,
      amendments: s.amendments,
      renewals: s.renewals,
      terminated: s.terminated,
    }));
  }
}
