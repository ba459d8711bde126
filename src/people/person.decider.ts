import { assertNever, type Decider, type DecideEnv, type Fact } from '../shared/decider.js';
import { AppError, invalid, rule } from '../shared/errors.js';
import { isWhollyBefore, rangeOf } from '../shared/partial-date.js';
import type { PersonEvent } from './person.events.js';

export interface Appointment {
  appointmentId: string;
  partyId: string;
  title: string;
  from: string;
  to: string | null;
  acting: boolean;
  /** set by AppointmentEnded */
  endedOn: string | null;
}

export interface PersonState {
  exists: boolean;
  personId: string | null;
  fullName: string;
  /** in the order they were recorded; ended ones are kept, so the history of offices stays */
  appointments: Appointment[];
}

export type PersonCommand =
  | { type: 'RegisterPerson'; personId: string; fullName: string }
  | { type: 'AppointPerson'; partyId: string; title: string; from: string; to?: string | null; acting?: boolean | null }
  | { type: 'EndAppointment'; appointmentId: string; on: string };

export const initialPersonState = (): PersonState => ({
  exists: false,
  personId: null,
  fullName: '',
  appointments: [],
});

export function evolvePerson(state: PersonState, event: Fact): PersonState {
  const e = event as PersonEvent;
  switch (e.type) {
    case 'PersonRegistered':
      return { ...state, exists: true, personId: e.data.personId, fullName: e.data.fullName };
    case 'PersonAppointed':
      return {
        ...state,
        appointments: [
          ...state.appointments,
          {
            appointmentId: e.data.appointmentId,
            partyId: e.data.partyId,
            title: e.data.title,
            from: e.data.from,
            to: e.data.to ?? null,
            acting: !!e.data.acting,
            endedOn: null,
          },
        ],
      };
    case 'AppointmentEnded':
      return {
        ...state,
        appointments: state.appointments.map((a) => (a.appointmentId === e.data.appointmentId ? { ...a, endedOn: e.data.on } : a)),
      };
    default:
      return state;
  }
}

/**
 * Dates are partial (intervals of days). An end contradicts a start only when it is *wholly*
 * before it, i.e. no day of the end can follow any day of the start: `from: 2021, to: 2020-12`
 * cannot be true. `from: 2020-12, to: 2020` or `from: 2020-12, to: 2020-12-01` can (the office
 * ended some day in 2020 after it began in December), so they are accepted, although the
 * contract's sort order (comparePartialDates) puts those ends first.
 */
const endsBeforeItStarts = (end: string, from: string) => isWhollyBefore(end, rangeOf(from).first);

export function decidePerson(command: PersonCommand, state: PersonState, env: DecideEnv): PersonEvent[] {
  switch (command.type) {
    case 'RegisterPerson':
      if (state.exists) throw rule('PERSON.ALREADY_REGISTERED', 'This person is already registered.');
      return [{ type: 'PersonRegistered', data: { personId: command.personId, fullName: command.fullName } }];
    case 'AppointPerson': {
      const to = command.to ?? null;
      // The body alone shows this cannot be: bad input (400), not a rule on the record (409).
      if (to !== null && endsBeforeItStarts(to, command.from)) throw invalid('to', `must not be wholly before from (${command.from})`);
      return [
        {
          type: 'PersonAppointed',
          occurredOn: command.from,
          data: {
            personId: state.personId!,
            appointmentId: env.newId(),
            partyId: command.partyId,
            title: command.title,
            from: command.from,
            to,
            acting: command.acting ?? false,
          },
        },
      ];
    }
    case 'EndAppointment': {
      const appointment = state.appointments.find((a) => a.appointmentId === command.appointmentId);
      if (!appointment) throw AppError.notFound('appointment', command.appointmentId);
      // An appointment recorded with its `to` already has its end; a different end is a correction, not an ending.
      const ended = appointment.endedOn ?? appointment.to;
      if (ended !== null) {
        throw rule('APPOINTMENT.ALREADY_ENDED', `The appointment as ${appointment.title} ended on ${ended}.`);
      }
      if (endsBeforeItStarts(command.on, appointment.from)) {
        throw rule('APPOINTMENT.END_BEFORE_START', `The appointment as ${appointment.title} began on ${appointment.from}; it cannot end on ${command.on}.`);
      }
      return [
        {
          type: 'AppointmentEnded',
          occurredOn: command.on,
          data: { personId: state.personId!, appointmentId: appointment.appointmentId, partyId: appointment.partyId, title: appointment.title, on: command.on },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const personDecider: Decider<PersonCommand, PersonState, PersonEvent> = {
  streamType: 'person',
  initialState: initialPersonState,
  evolve: evolvePerson,
  decide: decidePerson,
};
