import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { rangeOf } from '../../shared/partial-date.js';
import { initiativeDecider, initiativeParties } from '../initiative.decider.js';
import { INITIATIVE_EVENT_TYPES } from '../initiative.events.js';
import { PARTY_NAME_EVENTS, keepPartyName } from '../../projections/name-lookups.js';


/** Sort key in the contract's order (first day, then last day), the id breaking ties; compared bytewise (collate "C"). */
export function initiativeSortKey(launchedOn: string, initiativeId: string): string {
  const r = rangeOf(launchedOn);
  return `${r.first}|${r.last}|${initiativeId}`;
}

/** Initiatives: each one's state folded with the initiative's own `evolve`, and its place in launch-date order. */
@Injectable()
export class InitiativesProjection implements Projection {
  readonly name = 'initiatives';
  readonly handles = [...PARTY_NAME_EVENTS, ...INITIATIVE_EVENT_TYPES];
  readonly tables = ['rm_initiative_parties', 'rm_initiatives'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if (PARTY_NAME_EVENTS.includes(event.type)) return keepPartyName(tx, 'rm_initiative_parties', event);
    const initiativeId = event.data.initiativeId as string;
    const [row] = await tx.query(`select state from rm_initiatives where initiative_id = $1`, [initiativeId]);
    const state = initiativeDecider.evolve(row ? row.state : initiativeDecider.initialState(), event);
    if (!state.exists || !state.launchedOn || !state.kind) return;
    const r = rangeOf(state.launchedOn);
    await tx.query(
      `insert into rm_initiatives (initiative_id, kind, launched_on, first_day, last_day, sort_key, party_ids, state)
       values ($1, $2, $3, $4::date, $5::date, $6, $7::uuid[], $8)
       on conflict (initiative_id) do update set kind = excluded.kind, launched_on = excluded.launched_on, first_day = excluded.first_day,
         last_day = excluded.last_day, sort_key = excluded.sort_key, party_ids = excluded.party_ids, state = excluded.state`,
      [
        initiativeId,
        state.kind,
        state.launchedOn,
        r.first,
        r.last,
        initiativeSortKey(state.launchedOn, initiativeId),
        initiativeParties(state),
        JSON.stringify(state),
      ],
    );
  }
}
