import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import { BatchTx } from '../../projections/batch-tx.js';
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
    const [row] =
      tx instanceof BatchTx
        ? [(await tx.state(AGREEMENTS, agreementId, loadAgreements)) as { state: AgreementState } | undefined]
        : await tx.query<{ state: AgreementState }>(`select state from rm_agreements where agreement_id = $1`, [agreementId]);
    const state = agreementDecider.evolve(row ? row.state : agreementDecider.initialState(), event);
    if (!state.exists) return; // an amendment, renewal or termination of an agreement this log never recorded
    if (tx instanceof BatchTx) {
      tx.setState(AGREEMENTS, agreementId, { state });
      tx.put(AGREEMENTS, agreementId, { agreementId, state }, writeAgreements);
      return;
    }
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

  /** The same rows as `apply` event by event: agreements loaded and written once per batch (see BatchTx). */
  async applyBatch(events: StoredEvent[], tx: ProjectionTx): Promise<void> {
    const batch = new BatchTx(tx);
    const ids = events.filter((e) => (AGREEMENT_EVENT_TYPES as readonly string[]).includes(e.type)).map((e) => e.data.agreementId as string);
    await batch.preload(AGREEMENTS, ids, loadAgreements);
    for (const e of events) await this.apply(e, batch);
    await batch.flush();
  }
}

const AGREEMENTS = 'rm_agreements';

async function loadAgreements(ids: string[], tx: ProjectionTx): Promise<Map<string, { state: AgreementState }>> {
  const rows: { agreement_id: string; state: AgreementState }[] = await tx.query(`select agreement_id, state from rm_agreements where agreement_id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.agreement_id, { state: r.state }]));
}

async function writeAgreements(rows: { agreementId: string; state: AgreementState }[], tx: ProjectionTx): Promise<void> {
  await tx.query(
    `insert into rm_agreements (agreement_id, kind, sort_key, party_ids, terminated_first_day, terminated_last_day, expires_last_day, state)
     select t.id, t.state->>'kind', t.sort_key, t.party_ids, t.tf, t.tl, t.el, t.state
       from jsonb_to_recordset($1::jsonb) as t(id uuid, sort_key text, party_ids uuid[], tf date, tl date, el date, state jsonb)
     on conflict (agreement_id) do update set kind = excluded.kind, sort_key = excluded.sort_key, party_ids = excluded.party_ids,
       terminated_first_day = excluded.terminated_first_day, terminated_last_day = excluded.terminated_last_day,
       expires_last_day = excluded.expires_last_day, state = excluded.state`,
    [
      JSON.stringify(
        rows.map((r) => {
          const terminated = r.state.terminated ? rangeOf(r.state.terminated.on) : null;
          return {
            id: r.agreementId,
            sort_key: agreementSortKey(r.state.signedOn, r.agreementId),
            party_ids: r.state.partyIds,
            tf: terminated?.first ?? null,
            tl: terminated?.last ?? null,
            el: r.state.expiresOn ? rangeOf(r.state.expiresOn).last : null,
            state: r.state,
          };
        }),
      ),
    ],
  );
}
