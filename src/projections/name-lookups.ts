import type { StoredEvent } from '../event-store/event.types.js';
import type { ProjectionTx } from './projection.js';

/**
 * Many read models answer names beside ids (`parties: [{id, name}]`). Each keeps its own
 * small lookup table of names, fed by the events that set them, so that no projection reads
 * another projection's tables (and each can be rebuilt alone).
 */
export const PARTY_NAME_EVENTS: readonly string[] = ['PartyRegistered', 'PartyRenamed'];

/** Upserts a party's current name into a lookup table `(party_id, name, short_name)`. */
export async function keepPartyName(tx: ProjectionTx, table: string, event: StoredEvent): Promise<void> {
  const d = event.data as { partyId: string; name: string; shortName?: string | null };
  await tx.query(
    `insert into ${table} (party_id, name, short_name) values ($1, $2, $3)
     on conflict (party_id) do update set name = excluded.name, short_name = excluded.short_name`,
    [d.partyId, d.name, d.shortName ?? null],
  );
}

/** Upserts a person's name into a lookup table `(person_id, full_name)`. */
export async function keepPersonName(tx: ProjectionTx, table: string, event: StoredEvent): Promise<void> {
  const d = event.data as { personId: string; fullName: string };
  await tx.query(
    `insert into ${table} (person_id, full_name) values ($1, $2)
     on conflict (person_id) do update set full_name = excluded.full_name`,
    [d.personId, d.fullName],
  );
}
