import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { rangeOf } from '../../shared/partial-date.js';
import { agreementDecider, type AgreementState } from '../agreement.decider.js';
import { AGREEMENT_EVENT_TYPES } from '../agreement.events.js';
import { PARTY_NAME_EVENTS, keepPartyName, keepPersonName } from '../../projections/name-lookups.js';


/** Sort key in the contract's partial-date order of signedOn (first day, last day), then the id. */
export function agreementSortKey(signedOn: string, agreementId: string): string {
  const r = rangeOf(signedOn);
  return `${r.first}|${r.last}|${agreementId}`;
}

/**
 * Agreements: each agreement's state folded with the agreement's own `evolve`, and the days its
 * status turns on (termination's first and last day, expiry's last day) as date columns, so
 * that reads derive the status for today (agreementStatus) and filter on it in SQL.
 */
@Injectable()
export class AgreementsProjection implements Projection {
  readonly name = 'agreements';
  readonly handles = [...PARTY_NAME_EVENTS, 'PersonRegistered', ...AGREEMENT_EVENT_TYPES];
  readonly tables = ['rm_agreements_parties', 'rm_agreements_people', 'rm_agreements'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if (PARTY_NAME_EVENTS.includes(event.type)) return keepPartyName(tx, 'rm_agreements_parties', event);
    if (event.type === 'PersonRegistered') return keepPersonName(tx, 'rm_agreements_people', event);
    const agreementId = event.data.agreementId as string;
    const [row] = await tx.query<{ state: AgreementState }>(`select state from rm_agreements where agreement_id = $1`, [agreementId]);
    const state = agreementDecider.evolve(row ? row.state : agreementDecider.initialState(), event);
    if (!state.exists) return; // an amendment, renewal or termination of an agreement this log never recorded
    const terminated = state.terminated ? rangeOf(state.terminated.on) : null;
    const expires = state.expiresOn ? rangeOf(state.expiresOn) : null;
    await tx.query(
      `insert into rm_agreements (agreement_id, kind, sort_key, party_ids, terminated_first_day, terminated_last_day, expires_last_day, state)
       values ($1, $2, $3, $4::uuid[], $5::date, $6::date, $7::date, $8::jsonb)
       on conflict (agreement_id) do update set kind = excluded.kind, sort_key = excluded.sort_key, party_ids = excluded.party_ids,
         terminated_first_day = excluded.terminated_first_day, terminated_last_day = excluded.terminated_last_day,
         expires_last_day = excluded.expires_last_day, state = excluded.state`,
      [
        agreementId,
        state.kind,
        agreementSortKey(state.signedOn, agreementId),
        state.partyIds,
        terminated?.first ?? null,
        terminated?.last ?? null,
        expires?.last ?? null,
        JSON.stringify(state),
      ],
    );
  }
}
