import { Inject, Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/pg-query.js';
import { EVENT_COLUMNS, EventStore } from '../event-store/event-store.js';
import type { StoredEvent } from '../event-store/event.types.js';
import { PROJECTIONS, type Projection } from '../projections/projection.js';
import { CAPABILITIES } from '../shared/auth/access.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { AppError } from '../shared/errors.js';
import { ReadQueryDto } from '../shared/http/list-query.dto.js';
import { rangeOf, today } from '../shared/partial-date.js';
import { IsPartialDate } from '../shared/validation.js';

/**
 * Registering a party or a person is not a fact of the world with a date: the record holds
 * the party at every `asOf` (ICESCO existed, as ISESCO, before it was registered here).
 */
export const TIMELESS_EVENTS: readonly string[] = ['PartyRegistered', 'PersonRegistered'];

/**
 * Corrections and retractions fix what the record says: they hold whenever the record does
 * (from what is recorded now, a retracted meeting never counted). A correction that carries a
 * world date moves the record's date.
 */
export const AMENDING_EVENTS: readonly string[] = ['MeetingRecordCorrected', 'MeetingRecordRetracted'];

/** The two time axes of a question: the world's (`asOf`) and the system's (`knownAt`). */
export interface TimePoint {
  /** a partial date: what was true in the world on its last day, from what is recorded now */
  asOf?: string;
  /** an instant: what the system held then */
  knownAt?: string;
}

/** The events of a record a time-travel question needs: an SQL condition over `events`. */
export interface Scope {
  where: string;
  params: unknown[];
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export class TimeTravelQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({
    description:
      'Time travel (role auditor or admin): what was true in the world on this partial date (its last day), from what is recorded now. ' +
      'A fact counts when its world date is wholly on or before that day; facts without a world date take the day they were recorded; ' +
      'registrations, corrections and retractions hold at every date.',
    example: '2021',
  })
  @IsOptional()
  @IsPartialDate()
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Time travel (role auditor or admin): what the system held at this instant (ISO 8601 with a zone): events recorded after it are left out.',
    example: '2026-11-23T10:00:00Z',
  })
  @IsOptional()
  @Matches(INSTANT, { message: 'knownAt must be an ISO 8601 timestamp with a zone, e.g. 2026-11-23T10:00:00Z' })
  knownAt?: string;
}

/** Time travel is an audit question: refuses it to roles without the `audit` capability. */
export function assertMayTimeTravel(req: AuthedRequest, at: TimePoint): void {
  if (!at.asOf && !at.knownAt) return;
  const role = req.principal?.role;
  if (!role || !CAPABILITIES[role].includes('audit')) {
    throw new AppError('forbidden', 'AUTH.ROLE_TOO_LOW', `The ${role ?? 'anonymous'} role may not ask asOf or knownAt (needs audit).`);
  }
}

export function isTimeTravel(at: TimePoint): boolean {
  return !!(at.asOf || at.knownAt);
}

/**
 * Answers "what was true on a date" and "what did the system know at an instant" with the
 * projections' own code: in one transaction it creates empty temporary copies of a read
 * model's tables (they shadow the live ones on the search path), folds the record's events
 * that pass the time filters through the projection's `apply`, runs the read model's own query
 * on them, and drops them at commit. No second implementation of any rule.
 */
@Injectable()
export class TimeTravel {
  private readonly byName: Map<string, Projection>;

  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
    @Inject(PROJECTIONS) projections: Projection[],
  ) {
    this.byName = new Map(projections.map((p) => [p.name, p]));
  }

  /** The day derived statuses ("in force", "upcoming", "current holder") are computed for. */
  static dayOf(at: TimePoint): string {
    if (at.asOf) return rangeOf(at.asOf).last;
    if (at.knownAt) return new Date(at.knownAt).toISOString().slice(0, 10);
    return today();
  }

  /**
   * The events (already filtered by `knownAt`, in commit order) that hold on `day`:
   * - a fact with a world date holds when that date is wholly on or before the day;
   * - one without takes the day it was recorded, except a record's first event, which takes
   *   the earliest of that and the dates of everything that happened to the record later (a
   *   forum announced in the tracker today but held in 2011 existed in 2011);
   * - nothing holds for a record before its first event does; registrations of parties and
   *   people hold at every date; corrections and retractions hold whenever their record does.
   */
  static holdingOn(events: StoredEvent[], day: string): StoredEvent[] {
    const dayOf = (e: StoredEvent) => (e.occurredOn ? rangeOf(e.occurredOn).last : e.recordedAt.toISOString().slice(0, 10));
    const byStream = new Map<string, StoredEvent[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    /** the day each record begins to hold (absent: its first event is not among these) */
    const recordDay = new Map<string, string>();
    for (const [streamId, stream] of byStream) {
      const first = stream.find((e) => e.version === 1);
      if (!first) continue;
      if (TIMELESS_EVENTS.includes(first.type)) {
        recordDay.set(streamId, '0000-01-01');
        continue;
      }
      const later = stream.filter((e) => e.version > 1);
      const correction = later.filter((e) => AMENDING_EVENTS.includes(e.type) && e.occurredOn).pop();
      let begins = dayOf(correction ?? first);
      if (!first.occurredOn) {
        for (const e of later) if (e.occurredOn && !AMENDING_EVENTS.includes(e.type) && dayOf(e) < begins) begins = dayOf(e);
      }
      recordDay.set(streamId, begins);
    }
    return events.filter((e) => {
      const begins = recordDay.get(e.streamId);
      if (begins !== undefined && begins > day) return false;
      if (begins !== undefined && (e.version === 1 || AMENDING_EVENTS.includes(e.type))) return true;
      return dayOf(e) <= day;
    });
  }

  /**
   * A detail endpoint's answer: the live read model, or (with asOf or knownAt, for auditors)
   * the same query over the record's events folded as of that point.
   */
  async answer<T>(
    req: AuthedRequest,
    at: TimePoint,
    projectionName: string,
    live: () => Promise<T>,
    scope: () => Promise<Scope> | Scope,
    read: (q: DataSourceLike, day: string) => Promise<T>,
  ): Promise<T> {
    if (!isTimeTravel(at)) return live();
    assertMayTimeTravel(req, at);
    return this.view(projectionName, await scope(), at, read);
  }

  async view<T>(projectionName: string, scope: Scope, at: TimePoint, read: (q: DataSourceLike, day: string) => Promise<T>): Promise<T> {
    const projection = this.byName.get(projectionName);
    if (!projection) throw new Error(`no projection ${projectionName}`);
    if (at.knownAt && Number.isNaN(Date.parse(at.knownAt))) {
      throw AppError.badInput([{ field: 'knownAt', message: 'is not a real instant' }]);
    }
    const day = TimeTravel.dayOf(at);
    const q = this.db.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction('REPEATABLE READ');
      for (const table of projection.tables) {
        await q.query(`create temp table ${table} (like public.${table} including all) on commit drop`);
      }
      const params: unknown[] = [projection.handles, at.knownAt ?? null, ...scope.params];
      const where = scope.where.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + 2}`);
      const rows = await queryRows(
        q,
        `select ${EVENT_COLUMNS} from public.events
          where type = any($1::text[]) and ($2::timestamptz is null or recorded_at <= $2::timestamptz) and (${where})
          order by transaction_id, global_position`,
        params,
      );
      const known: StoredEvent[] = rows.map(this.store.read);
      const events = at.asOf ? TimeTravel.holdingOn(known, day) : known;
      // Plain statements on this runner, never the runner's named prepared ones: a plan
      // prepared earlier on this connection would still point at the live tables.
      if (projection.applyBatch) await projection.applyBatch(events, q);
      else for (const event of events) await projection.apply(event, q);
      const answer = await read(q, day);
      await q.commitTransaction();
      return answer;
    } catch (err) {
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await q.release();
    }
  }
}

/** What a read model's query runs on: the DataSource, or a runner over the temporary copies. */
export interface DataSourceLike {
  query<T = any>(sql: string, params?: unknown[]): Promise<T>;
}
