import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import type { MeetingRecordRetracted } from '../../meetings/meeting.events.js';
import { BatchTx } from '../../projections/batch-tx.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { rangeOf } from '../../shared/partial-date.js';
import { commitmentFold, type CommitmentState } from '../commitment.decider.js';
import { COMMITMENT_EVENT_TYPES } from '../commitment.events.js';
import { PARTY_NAME_EVENTS, keepPartyName } from '../../projections/name-lookups.js';


/**
 * Sort key: due date in the contract's partial-date order (first day, then last day), the
 * undated after every dated one (`~` sorts after digits under collate "C"), then the id.
 */
export function commitmentSortKey(dueBy: string | null, commitmentId: string): string {
  const r = dueBy ? rangeOf(dueBy) : null;
  return `${r?.first ?? '~'}|${r?.last ?? '~'}|${commitmentId}`;
}

/**
 * Commitments: each commitment's state folded with the commitment's own `evolve`, the last day
 * it is due by (overdue is derived on read, for today), and the retraction of the meeting it was
 * made in (MeetingRecordRetracted names the meeting; its commitments leave the lists). Retracted
 * meetings are remembered too, so that the outcome does not depend on the order of the events.
 */
@Injectable()
export class CommitmentsProjection implements Projection {
  readonly name = 'commitments';
  readonly handles = [...PARTY_NAME_EVENTS, ...COMMITMENT_EVENT_TYPES, 'MeetingRecordRetracted'];
  readonly tables = ['rm_commitments_parties', 'rm_commitments_retracted_meetings', 'rm_commitments'];
  readonly writeIndexes = ['rm_commitments_meeting'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if (PARTY_NAME_EVENTS.includes(event.type)) return keepPartyName(tx, 'rm_commitments_parties', event);
    if (event.type === 'MeetingRecordRetracted') {
      const d = event.data as MeetingRecordRetracted['data'];
      await tx.query(
        `insert into rm_commitments_retracted_meetings (meeting_id, reason) values ($1, $2)
         on conflict (meeting_id) do update set reason = excluded.reason`,
        [d.meetingId, d.reason],
      );
      await tx.query(`update rm_commitments set retraction_reason = $2 where meeting_id = $1`, [d.meetingId, d.reason]);
      return;
    }
    const commitmentId = event.data.commitmentId as string;
    const [row] =
      tx instanceof BatchTx
        ? [(await tx.state(COMMITMENTS, commitmentId, loadCommitments)) as { state: CommitmentState } | undefined]
        : await tx.query<{ state: CommitmentState }>(`select state from rm_commitments where commitment_id = $1`, [commitmentId]);
    const state = commitmentFold.evolve(row ? row.state : commitmentFold.initialState(), event);
    if (!state.exists) return; // a fulfilment or withdrawal of a commitment this log never recorded
    if (tx instanceof BatchTx) {
      tx.setState(COMMITMENTS, commitmentId, { state });
      tx.put(COMMITMENTS, commitmentId, { commitmentId, state }, writeCommitments);
      return;
    }
    await tx.query(
      `insert into rm_commitments (commitment_id, meeting_id, status, sort_key, party_ids, due_last_day, retraction_reason, state)
       values ($1, $2::uuid, $3, $4, $5::uuid[], $6::date,
               (select reason from rm_commitments_retracted_meetings where meeting_id = $2::uuid), $7::jsonb)
       on conflict (commitment_id) do update set meeting_id = excluded.meeting_id, status = excluded.status,
         sort_key = excluded.sort_key, party_ids = excluded.party_ids, due_last_day = excluded.due_last_day,
         retraction_reason = excluded.retraction_reason, state = excluded.state`,
      [
        commitmentId,
        state.meetingId,
        state.status,
        commitmentSortKey(state.dueBy, commitmentId),
        state.partyIds,
        state.dueBy ? rangeOf(state.dueBy).last : null,
        JSON.stringify(state),
      ],
    );
  }

  /**
   * The same rows as `apply` event by event: the commitments of the batch loaded in one
   * statement and written in one (see BatchTx). A retraction is sent as it comes, after what is
   * buffered, so each row reads the retraction reasons that event-by-event application would.
   */
  async applyBatch(events: StoredEvent[], tx: ProjectionTx): Promise<void> {
    const batch = new BatchTx(tx);
    const ids = events.filter((e) => (COMMITMENT_EVENT_TYPES as readonly string[]).includes(e.type)).map((e) => e.data.commitmentId as string);
    await batch.preload(COMMITMENTS, ids, loadCommitments);
    for (const e of events) await this.apply(e, batch);
    await batch.flush();
  }
}

const COMMITMENTS = 'rm_commitments';

async function loadCommitments(ids: string[], tx: ProjectionTx): Promise<Map<string, { state: CommitmentState }>> {
  const rows: { commitment_id: string; state: CommitmentState }[] = await tx.query(
    `select commitment_id, state from rm_commitments where commitment_id = any($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.commitment_id, { state: r.state }]));
}

async function writeCommitments(rows: { commitmentId: string; state: CommitmentState }[], tx: ProjectionTx): Promise<void> {
  await tx.query(
    `insert into rm_commitments (commitment_id, meeting_id, status, sort_key, party_ids, due_last_day, retraction_reason, state)
     select t.id, t.meeting_id, t.state->>'status', t.sort_key, t.party_ids, t.due,
            (select reason from rm_commitments_retracted_meetings r where r.meeting_id = t.meeting_id), t.state
       from jsonb_to_recordset($1::jsonb) as t(id uuid, meeting_id uuid, sort_key text, party_ids uuid[], due date, state jsonb)
     on conflict (commitment_id) do update set meeting_id = excluded.meeting_id, status = excluded.status,
       sort_key = excluded.sort_key, party_ids = excluded.party_ids, due_last_day = excluded.due_last_day,
       retraction_reason = excluded.retraction_reason, state = excluded.state`,
    [
      JSON.stringify(
        rows.map((r) => ({
          id: r.commitmentId,
          meeting_id: r.state.meetingId,
          sort_key: commitmentSortKey(r.state.dueBy, r.commitmentId),
          party_ids: r.state.partyIds,
          due: r.state.dueBy ? rangeOf(r.state.dueBy).last : null,
          state: r.state,
        })),
      ),
    ],
  );
}
