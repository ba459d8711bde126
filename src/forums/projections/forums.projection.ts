import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import { BatchTx } from '../../projections/batch-tx.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { forumDecider, forumParties, forumWhen, type ForumState } from '../forum.decider.js';
import { FORUM_EVENT_TYPES } from '../forum.events.js';
import { PARTY_NAME_EVENTS, keepPartyName } from '../../projections/name-lookups.js';


/**
 * Sort key in the contract's order: first day, then last day; forums without a date
 * (postponed without a new one) sort last. Compared bytewise (collate "C").
 */
export function forumSortKey(first: string | null, last: string | null, forumId: string): string {
  return `${first ?? '~'}|${last ?? '~'}|${forumId}`;
}

/** Forums: each forum's state folded with the forum's own `evolve`, and its place in date order. */
@Injectable()
export class ForumsProjection implements Projection {
  readonly name = 'forums';
  readonly handles = [...PARTY_NAME_EVENTS, ...FORUM_EVENT_TYPES];
  readonly tables = ['rm_forum_parties', 'rm_forums'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if (PARTY_NAME_EVENTS.includes(event.type)) return keepPartyName(tx, 'rm_forum_parties', event);
    const forumId = event.data.forumId as string;
    const [row] =
      tx instanceof BatchTx
        ? [(await tx.state(FORUMS, forumId, loadForums)) as { state: ForumState } | undefined]
        : await tx.query(`select state from rm_forums where forum_id = $1`, [forumId]);
    const state = forumDecider.evolve(row ? row.state : forumDecider.initialState(), event);
    if (tx instanceof BatchTx) {
      tx.setState(FORUMS, forumId, { state });
      tx.put(FORUMS, forumId, { forumId, state }, writeForums);
      return;
    }
    const when = forumWhen(state);
    await tx.query(
      `insert into rm_forums (forum_id, series, status, first_day, last_day, sort_key, party_ids, state)
       values ($1, $2, $3, $4::date, $5::date, $6, $7::uuid[], $8)
       on conflict (forum_id) do update set series = excluded.series, status = excluded.status, first_day = excluded.first_day,
         last_day = excluded.last_day, sort_key = excluded.sort_key, party_ids = excluded.party_ids, state = excluded.state`,
      [
        forumId,
        state.series,
        state.status,
        when?.first ?? null,
        when?.last ?? null,
        forumSortKey(when?.first ?? null, when?.last ?? null, forumId),
        forumParties(state),
        JSON.stringify(state),
      ],
    );
  }

  /** The same rows as `apply` event by event: forums loaded and written once per batch (see BatchTx). */
  async applyBatch(events: StoredEvent[], tx: ProjectionTx): Promise<void> {
    const batch = new BatchTx(tx);
    const ids = events.filter((e) => !PARTY_NAME_EVENTS.includes(e.type)).map((e) => e.data.forumId as string);
    await batch.preload(FORUMS, ids, loadForums);
    for (const e of events) await this.apply(e, batch);
    await batch.flush();
  }
}

const FORUMS = 'rm_forums';

async function loadForums(ids: string[], tx: ProjectionTx): Promise<Map<string, { state: ForumState }>> {
  const rows: { forum_id: string; state: ForumState }[] = await tx.query(`select forum_id, state from rm_forums where forum_id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.forum_id, { state: r.state }]));
}

async function writeForums(rows: { forumId: string; state: ForumState }[], tx: ProjectionTx): Promise<void> {
  await tx.query(
    `insert into rm_forums (forum_id, series, status, first_day, last_day, sort_key, party_ids, state)
     select t.id, t.state->>'series', t.state->>'status', t.f, t.l, t.sort_key, t.party_ids, t.state
       from jsonb_to_recordset($1::jsonb) as t(id uuid, f date, l date, sort_key text, party_ids uuid[], state jsonb)
     on conflict (forum_id) do update set series = excluded.series, status = excluded.status, first_day = excluded.first_day,
       last_day = excluded.last_day, sort_key = excluded.sort_key, party_ids = excluded.party_ids, state = excluded.state`,
    [
      JSON.stringify(
        rows.map((r) => {
          const when = forumWhen(r.state);
          return {
            id: r.forumId,
            f: when?.first ?? null,
            l: when?.last ?? null,
            sort_key: forumSortKey(when?.first ?? null, when?.last ?? null, r.forumId),
            party_ids: forumParties(r.state),
            state: r.state,
          };
        }),
      ),
    ],
  );
}
