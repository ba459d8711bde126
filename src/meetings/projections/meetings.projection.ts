import { Injectable } from '@nestjs/common';
import type { CommitmentMade } from '../../commitments/commitment.events.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { BatchTx } from '../../projections/batch-tx.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { rangeOf } from '../../shared/partial-date.js';
import { meetingDecider, type MeetingState } from '../meeting.decider.js';
import { MEETING_EVENT_TYPES, type MeetingFields, type MeetingRecordCorrected } from '../meeting.events.js';
import { PARTY_NAME_EVENTS, keepPartyName, keepPersonName } from '../../projections/name-lookups.js';


/** One correction as the read model answers it: the event's content and when it was recorded. */
export interface CorrectionEntry {
  reason: string;
  changes: Partial<MeetingFields>;
  previous: Partial<MeetingFields>;
  recordedAt: string;
}

/**
 * The full-text configurations a meeting is indexed (and searched) under. `simple` keeps every
 * word as written, lower-cased: names and acronyms in any language (Karimli, Moratinos, UNAOC,
 * "US") match exactly and no stop word is lost. `english` adds stems, so that prose in summaries
 * and outcomes matches across inflections ("forums" finds "Forum", "agreed" finds "agree").
 * A meeting matches when either reading of the query does.
 */
export const SEARCH_CONFIGS = ['simple', 'english'] as const;

/** Weights: title A, topics B, summary and outcomes C. Arrays go in as jsonb so that no phrase spans two items. */
function searchVector(title: string, topics: string, summary: string, outcomes: string): string {
  return SEARCH_CONFIGS.map(
    (cfg) =>
      `setweight(to_tsvector('${cfg}'::regconfig, coalesce(${title}, '')), 'A')` +
      ` || setweight(to_tsvector('${cfg}'::regconfig, ${topics}::jsonb), 'B')` +
      ` || setweight(to_tsvector('${cfg}'::regconfig, coalesce(${summary}, '')) || to_tsvector('${cfg}'::regconfig, ${outcomes}::jsonb), 'C')`,
  ).join(' || ');
}

/** The tsquery of a user's search text, under every configuration the vector holds (OR). */
export function searchQuery(param: string): string {
  return `(${SEARCH_CONFIGS.map((cfg) => `websearch_to_tsquery('${cfg}'::regconfig, ${param})`).join(' || ')})`;
}

/**
 * Sort key in the contract's partial-date order: first day, then last day, then the id so that
 * keys are unique for keyset paging. Compared bytewise (collate "C").
 */
export function meetingSortKey(occurredOn: string, meetingId: string): string {
  const r = rangeOf(occurredOn);
  return `${r.first}|${r.last}|${meetingId}`;
}

/**
 * Meetings: each meeting's state folded with the meeting's own `evolve`, its correction trail
 * (with the instant each correction was recorded), the commitments made in it, and the names of
 * parties and people, kept from their own events. A retraction keeps the row, flagged, so that
 * the record still answers by id while lists and searches leave it out.
 */
@Injectable()
export class MeetingsProjection implements Projection {
  readonly name = 'meetings';
  readonly handles = [...PARTY_NAME_EVENTS, 'PersonRegistered', ...MEETING_EVENT_TYPES, 'CommitmentMade'];
  readonly tables = ['rm_meetings_parties', 'rm_meetings_people', 'rm_meetings', 'rm_meetings_commitments'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if (PARTY_NAME_EVENTS.includes(event.type)) return keepPartyName(tx, 'rm_meetings_parties', event);
    if (event.type === 'PersonRegistered') return keepPersonName(tx, 'rm_meetings_people', event);
    if (event.type === 'CommitmentMade') {
      const d = event.data as CommitmentMade['data'];
      if (tx instanceof BatchTx) {
        tx.put(COMMITMENTS, d.commitmentId, { id: d.commitmentId, meetingId: d.meetingId, description: d.description, dueBy: d.dueBy, position: event.position }, writeCommitments);
        return;
      }
      await tx.query(
        `insert into rm_meetings_commitments (commitment_id, meeting_id, description, due_by, position) values ($1, $2, $3, $4, $5::bigint)
         on conflict (commitment_id) do update set meeting_id = excluded.meeting_id, description = excluded.description,
           due_by = excluded.due_by, position = excluded.position`,
        [d.commitmentId, d.meetingId, d.description, d.dueBy, event.position],
      );
      return;
    }
    await this.applyMeeting(event, tx);
  }

  /**
   * The same rows as `apply` event by event: the meetings of the batch loaded in one statement,
   * meetings and commitments written in one statement each (see BatchTx).
   */
  async applyBatch(events: StoredEvent[], tx: ProjectionTx): Promise<void> {
    const batch = new BatchTx(tx);
    const ids = events.filter((e) => (MEETING_EVENT_TYPES as readonly string[]).includes(e.type)).map((e) => e.data.meetingId as string);
    await batch.preload(MEETINGS, ids, loadMeetings);
    for (const e of events) await this.apply(e, batch);
    await batch.flush();
  }

  private async applyMeeting(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const meetingId = event.data.meetingId as string;
    const [row] =
      tx instanceof BatchTx
        ? [(await tx.state(MEETINGS, meetingId, loadMeetings)) as MeetingRow | undefined]
        : await tx.query<MeetingRow>(`select state, corrections from rm_meetings where meeting_id = $1`, [meetingId]);
    const state = meetingDecider.evolve(row ? row.state : meetingDecider.initialState(), event);
    if (!state.exists) return; // a correction or retraction of a meeting this log never recorded
    const corrections = row ? [...row.corrections] : [];
    if (event.type === 'MeetingRecordCorrected') {
      const d = event.data as MeetingRecordCorrected['data'];
      corrections.push({ reason: d.reason, changes: d.changes, previous: d.previous, recordedAt: new Date(event.recordedAt).toISOString() });
    }
    const range = rangeOf(state.occurredOn);
    if (tx instanceof BatchTx) {
      tx.setState(MEETINGS, meetingId, { state, corrections });
      tx.put(MEETINGS, meetingId, { meetingId, state, corrections, first: range.first, last: range.last }, writeMeetings);
      return;
    }
    await tx.query(
      `insert into rm_meetings (meeting_id, occurred_on, first_day, last_day, sort_key, party_ids, retracted, search, state, corrections)
       values ($1, $2, $3::date, $4::date, $5, $6::uuid[], $7, ${searchVector('$8::text', '$9', '$10::text', '$11')}, $12::jsonb, $13::jsonb)
       on conflict (meeting_id) do update set occurred_on = excluded.occurred_on, first_day = excluded.first_day,
         last_day = excluded.last_day, sort_key = excluded.sort_key, party_ids = excluded.party_ids,
         retracted = excluded.retracted, search = excluded.search, state = excluded.state, corrections = excluded.corrections`,
      [
        meetingId,
        state.occurredOn,
        range.first,
        range.last,
        meetingSortKey(state.occurredOn, meetingId),
        state.partyIds,
        state.retracted !== null,
        state.title,
        JSON.stringify(state.topics),
        state.summary,
        JSON.stringify(state.outcomes),
        JSON.stringify(state),
        JSON.stringify(corrections),
      ],
    );
  }
}

const MEETINGS = 'rm_meetings';
const COMMITMENTS = 'rm_meetings_commitments';

interface MeetingRow {
  state: MeetingState;
  corrections: CorrectionEntry[];
}

async function loadMeetings(ids: string[], tx: ProjectionTx): Promise<Map<string, MeetingRow>> {
  const rows: (MeetingRow & { meeting_id: string })[] = await tx.query(
    `select meeting_id, state, corrections from rm_meetings where meeting_id = any($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.meeting_id, { state: r.state, corrections: r.corrections }]));
}

async function writeMeetings(rows: (MeetingRow & { meetingId: string; first: string; last: string })[], tx: ProjectionTx): Promise<void> {
  await tx.query(
    `insert into rm_meetings (meeting_id, occurred_on, first_day, last_day, sort_key, party_ids, retracted, search, state, corrections)
     select t.id, t.state->>'occurredOn', t.first, t.last, t.sort_key, t.party_ids, t.retracted,
            ${searchVector("(t.state->>'title')", "(t.state->'topics')", "(t.state->>'summary')", "(t.state->'outcomes')")}, t.state, t.corrections
       from jsonb_to_recordset($1::jsonb)
              as t(id uuid, first date, last date, sort_key text, party_ids uuid[], retracted boolean, state jsonb, corrections jsonb)
     on conflict (meeting_id) do update set occurred_on = excluded.occurred_on, first_day = excluded.first_day,
       last_day = excluded.last_day, sort_key = excluded.sort_key, party_ids = excluded.party_ids,
       retracted = excluded.retracted, search = excluded.search, state = excluded.state, corrections = excluded.corrections`,
    [
      JSON.stringify(
        rows.map((r) => ({
          id: r.meetingId,
          first: r.first,
          last: r.last,
          sort_key: meetingSortKey(r.state.occurredOn, r.meetingId),
          party_ids: r.state.partyIds,
          retracted: r.state.retracted !== null,
          state: r.state,
          corrections: r.corrections,
        })),
      ),
    ],
  );
}

async function writeCommitments(
  rows: { id: string; meetingId: string; description: string; dueBy: string | null; position: string }[],
  tx: ProjectionTx,
): Promise<void> {
  await tx.query(
    `insert into rm_meetings_commitments (commitment_id, meeting_id, description, due_by, position)
     select t.id, t.meeting_id, t.description, t.due_by, t.position from jsonb_to_recordset($1::jsonb) as t(id uuid, meeting_id uuid, description text, due_by text, position bigint)
     on conflict (commitment_id) do update set meeting_id = excluded.meeting_id, description = excluded.description,
       due_by = excluded.due_by, position = excluded.position`,
    [JSON.stringify(rows.map((r) => ({ id: r.id, meeting_id: r.meetingId, description: r.description, due_by: r.dueBy, position: r.position })))],
  );
}
