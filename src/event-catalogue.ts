import { AGREEMENT_EVENT_TYPES } from './agreements/agreement.events.js';
import { COMMITMENT_EVENT_TYPES } from './commitments/commitment.events.js';
import { EventRegistry, type EventTypeSpec } from './event-store/event-registry.js';
import { FORUM_EVENT_TYPES } from './forums/forum.events.js';
import { INITIATIVE_EVENT_TYPES } from './initiatives/initiative.events.js';
import { MEETING_EVENT_TYPES } from './meetings/meeting.events.js';
import { PARTY_EVENT_TYPES } from './parties/party.events.js';
import { PARTNERSHIP_EVENT_TYPES } from './partnerships/partnership.events.js';
import { PERSON_EVENT_TYPES } from './people/person.events.js';

const v1 = (types: readonly string[]): EventTypeSpec[] => types.map((type) => ({ type, version: 1 }));

/**
 * Every event type Entente writes, with its schema version and the upcasters that bring
 * older shapes up to date. test/event-samples/ holds a stored sample of every version of
 * every type; a test upcasts and applies each, so a version bump without a path fails CI.
 */
export const EVENT_CATALOGUE: EventTypeSpec[] = [
  ...v1(PARTY_EVENT_TYPES),
  ...v1(PERSON_EVENT_TYPES.filter((t) => t !== 'AppointmentEnded')),
  {
    type: 'AppointmentEnded',
    // v2 names the office (partyId, title) so a reader of the event alone knows which ended.
    // v1 events cannot know it: readers find the office by appointmentId.
    version: 2,
    upcasters: { 1: (d) => ({ ...d, partyId: d.partyId ?? null, title: d.title ?? null }) },
  },
  ...v1(PARTNERSHIP_EVENT_TYPES),
  ...v1(MEETING_EVENT_TYPES),
  ...v1(COMMITMENT_EVENT_TYPES),
  ...v1(FORUM_EVENT_TYPES),
  ...v1(AGREEMENT_EVENT_TYPES),
  ...v1(INITIATIVE_EVENT_TYPES),
];

export function eventRegistry(): EventRegistry {
  return new EventRegistry(EVENT_CATALOGUE);
}
