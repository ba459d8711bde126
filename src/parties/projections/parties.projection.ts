import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import type { AppointmentEnded, PersonAppointed, PersonRegistered } from '../../people/person.events.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { rangeOf } from '../../shared/partial-date.js';
import { partyDecider, type PartyState } from '../party.decider.js';
import { PARTY_EVENT_TYPES } from '../party.events.js';

/** Every name a party has gone by, for `q`: current and former names and short names. */
export function partySearchText(s: PartyState): string {
  return [s.name, s.shortName, ...s.formerNames.flatMap((f) => [f.name, f.shortName])].filter((n): n is string => !!n).join('\n');
}

/** The key parties are listed by (with the id after it): the name, case folded. */
export const sortName = (name: string): string => name.toLowerCase();

/**
 * Parties: each party's state folded with the party's own `evolve` (current name, former
 * names), and the appointments held at each party with the names of the people who hold
 * them, so that current office holders can be derived at read time.
 */
@Injectable()
export class PartiesProjection implements Projection {
  readonly name = 'parties';
  readonly handles = [...PARTY_EVENT_TYPES, 'PersonRegistered', 'PersonAppointed', 'AppointmentEnded'];
  readonly tables = ['rm_parties', 'rm_parties_people', 'rm_parties_offices'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    switch (event.type) {
      case 'PartyRegistered':
      case 'PartyRenamed':
        return this.party(event, tx);
      case 'PersonRegistered': {
        const d = event.data as unknown as PersonRegistered['data'];
        await tx.query(
          `insert into rm_parties_people (person_id, full_name) values ($1, $2)
           on conflict (person_id) do update set full_name = excluded.full_name`,
          [d.personId, d.fullName],
        );
        return;
      }
      case 'PersonAppointed': {
        const d = event.data as unknown as PersonAppointed['data'];
        const range = rangeOf(d.from);
        await tx.query(
          `insert into rm_parties_offices (appointment_id, party_id, person_id, title, from_date, to_date, ended_on, acting, first_day, last_day, position)
           values ($1, $2, $3, $4, $5, $6, null, $7, $8::date, $9::date, $10::bigint)
           on conflict (appointment_id) do nothing`,
          [d.appointmentId, d.partyId, d.personId, d.title, d.from, d.to ?? null, !!d.acting, range.first, range.last, event.position],
        );
        return;
      }
      case 'AppointmentEnded': {
        const d = event.data as unknown as AppointmentEnded['data'];
        await tx.query(`update rm_parties_offices set ended_on = $2 where appointment_id = $1`, [d.appointmentId, d.on]);
        return;
      }
    }
  }

  private async party(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const partyId = event.data.partyId as string;
    const [row] = await tx.query(`select state from rm_parties where party_id = $1`, [partyId]);
    const state = partyDecider.evolve(row ? row.state : partyDecider.initialState(), event);
    // registered_at is the recording of PartyRegistered; later events leave it as it was.
    await tx.query(
      `insert into rm_parties (party_id, name, sort_name, kind, search_text, registered_at, state)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (party_id) do update set name = excluded.name, sort_name = excluded.sort_name, kind = excluded.kind,
         search_text = excluded.search_text, state = excluded.state`,
      [partyId, state.name, sortName(state.name), state.kind ?? 'other', partySearchText(state), event.recordedAt, JSON.stringify(state)],
    );
  }
}
