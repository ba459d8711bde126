import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import { BatchTx, pgArray } from '../../projections/batch-tx.js';
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
  const terminated = rows.map((r) => (r.state.terminated ? rangeOf(r.state.terminated.on) : null));
  await tx.query(
    `insert into rm_agreements (agreement_id, kind, sort_key, party_ids, terminated_first_day, terminated_last_day, expires_last_day, state)
     select t.id, t.kind, t.sort_key, t.party_ids::uuid[], t.tf::date, t.tl::date, t.el::date, t.state::jsonb
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) as t(id, kind, sort_key, party_ids, tf, tl, el, state)
     on conflict (agreement_id) do update set kind = excluded.kind, sort_key = excluded.sort_key, party_ids = excluded.party_ids,
       terminated_first_day = excluded.terminated_first_day, terminated_last_day = excluded.terminated_last_day,
       expires_last_day = excluded.expires_last_day, state = excluded.state`,
    [
      rows.map((r) => r.agreementId),
      rows.map((r) => r.state.kind),
      rows.map((r) => agreementSortKey(r.state.signedOn, r.agreementId)),
      rows.map((r) => pgArray(r.state.partyIds)),
      terminated.map((t) => t?.first ?? null),
      terminated.map((t) => t?.last ?? null),
      rows.map((r) => (r.state.expiresOn ? rangeOf(r.state.expiresOn).last : null)),
      rows.map((r) => JSON.stringify(r.state)),
    ],
  );
}
