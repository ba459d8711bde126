import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { forumDecider, forumParties, forumWhen } from '../forum.decider.js';
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
    const [row] = await tx.query(`select state from rm_forums where forum_id = $1`, [forumId]);
    const state = forumDecider.evolve(row ? row.state : forumDecider.initialState(), event);
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
}
