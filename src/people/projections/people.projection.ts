import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '../../event-store/event.types.js';
import type { PartyRegistered, PartyRenamed } from '../../parties/party.events.js';
import { PARTY_EVENT_TYPES } from '../../parties/party.events.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { personDecider } from '../person.decider.js';
import { PERSON_EVENT_TYPES } from '../person.events.js';

/** The key people are listed by (with the id after it): the full name, case folded. */
export const personSortName = (fullName: string): string => fullName.toLowerCase();

/**
 * People: each person's state folded with the person's own `evolve` (appointments past and
 * present, in the order recorded), and the current names of parties to show with them.
 */
@Injectable()
export class PeopleProjection implements Projection {
  readonly name = 'people';
  readonly handles = [...PERSON_EVENT_TYPES, ...PARTY_EVENT_TYPES];
  readonly tables = ['rm_people', 'rm_people_parties'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if ((PARTY_EVENT_TYPES as readonly string[]).includes(event.type)) {
      const d = event.data as unknown as (PartyRegistered | PartyRenamed)['data'];
      await tx.query(
        `insert into rm_people_parties (party_id, name, short_name) values ($1, $2, $3)
         on conflict (party_id) do update set name = excluded.name, short_name = excluded.short_name`,
        [d.partyId, d.name, d.shortName],
      );
      return;
    }
    const personId = event.data.personId as string;
    const [row] = await tx.query(`select state from rm_people where person_id = $1`, [personId]);
    const state = personDecider.evolve(row ? row.state : personDecider.initialState(), event);
    await tx.query(
      `insert into rm_people (person_id, full_name, sort_name, state) values ($1, $2, $3, $4)
       on conflict (person_id) do update set full_name = excluded.full_name, sort_name = excluded.sort_name, state = excluded.state`,
      [personId, state.fullName, personSortName(state.fullName), JSON.stringify(state)],
    );
  }
}
