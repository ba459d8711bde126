/** Persisted event type names: fixed strings, never derived from class names. */

export interface PersonRegistered {
  type: 'PersonRegistered';
  data: {
    personId: string;
    fullName: string;
  };
}

export interface PersonAppointed {
  type: 'PersonAppointed';
  /** the appointment's `from`: the office is a fact of the world from that date */
  occurredOn: string;
  data: {
    personId: string;
    /** generated when the appointment is recorded; EndAppointment names it in its path */
    appointmentId: string;
    partyId: string;
    title: string;
    from: string;
    /** known end, when the appointment was recorded with one */
    to: string | null;
    acting: boolean;
  };
}

export interface AppointmentEnded {
  type: 'AppointmentEnded';
  occurredOn: string;
  data: {
    personId: string;
    appointmentId: string;
    /**
     * the office, repeated so that a reader of this event alone knows which office ended
     * (schema v2; v1 events, upcast, carry null: find the office by appointmentId)
     */
    partyId: string | null;
    title: string | null;
    on: string;
  };
}

export type PersonEvent = PersonRegistered | PersonAppointed | AppointmentEnded;
export const PERSON_EVENT_TYPES = ['PersonRegistered', 'PersonAppointed', 'AppointmentEnded'] as const;
