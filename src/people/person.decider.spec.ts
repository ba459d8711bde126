import { given } from '../../test/support/decider-spec.js';
import { fold } from '../shared/decider.js';
import { personDecider } from './person.decider.js';
import type { PersonEvent } from './person.events.js';

const P = '00000000-0000-7000-8000-0000000000e1';
const MINISTRY = '00000000-0000-7000-8000-0000000000d1';
const A = '00000000-0000-7000-8000-0000000000a1';
const ACTING = 'First Deputy Minister and Acting Minister of Culture';

const registered: PersonEvent = { type: 'PersonRegistered', data: { personId: P, fullName: 'Anar Karimov' } };
const appointed = (over: Partial<Extract<PersonEvent, { type: 'PersonAppointed' }>['data']> = {}): PersonEvent => {
  const data = { personId: P, appointmentId: A, partyId: MINISTRY, title: ACTING, from: '2020-12', to: null, acting: true, ...over };
  return { type: 'PersonAppointed', occurredOn: data.from, data };
};
const ended = (on: string, appointmentId = A): PersonEvent => ({ type: 'AppointmentEnded', occurredOn: on, data: { personId: P, appointmentId, partyId: MINISTRY, title: 'First Deputy Minister and Acting Minister of Culture', on } });

describe('person decider', () => {
  describe('RegisterPerson', () => {
    it('registers a person', () => {
      given(personDecider)
        .when({ type: 'RegisterPerson', personId: P, fullName: 'Anar Karimov' })
        .then([{ type: 'PersonRegistered', data: { personId: P, fullName: 'Anar Karimov' } }]);
    });

    it('refuses to register the same person twice (409)', () => {
      given(personDecider, [registered]).when({ type: 'RegisterPerson', personId: P, fullName: 'Anar Karimov' }).thenFails('conflict', 'PERSON.ALREADY_REGISTERED');
    });
  });

  describe('AppointPerson', () => {
    it('appoints with a new appointment id, dated at its start, acting false unless given', () => {
      const [e] = given(personDecider, [registered])
        .when({ type: 'AppointPerson', partyId: MINISTRY, title: 'Minister of Culture', from: '2021' })
        .then([
          {
            type: 'PersonAppointed',
            occurredOn: '2021',
            data: { personId: P, appointmentId: '00000000-0000-7000-8000-000000000001', partyId: MINISTRY, title: 'Minister of Culture', from: '2021', to: null, acting: false },
          },
        ]);
      const state = fold(personDecider, [registered, e]);
      expect(state.appointments).toEqual([
        { appointmentId: '00000000-0000-7000-8000-000000000001', partyId: MINISTRY, title: 'Minister of Culture', from: '2021', to: null, acting: false, endedOn: null },
      ]);
    });

    it('keeps acting and a known end', () => {
      given(personDecider, [registered])
        .when({ type: 'AppointPerson', partyId: MINISTRY, title: ACTING, from: '2020-12', to: '2021', acting: true })
        .then([{ type: 'PersonAppointed', data: expect.objectContaining({ to: '2021', acting: true }) }]);
    });

    it.each([
      ['on the same day', '2020-12-01', '2020-12-01'],
      ['within its start (a day of the start month)', '2020-12', '2020-12-01'],
      ['a coarser end that covers the start', '2020-12', '2020'],
    ])('accepts an end that can follow the start: %s', (_, from, to) => {
      given(personDecider, [registered]).when({ type: 'AppointPerson', partyId: MINISTRY, title: ACTING, from, to }).then([{ type: 'PersonAppointed' }]);
    });

    it('400 naming `to` when it is wholly before `from`', () => {
      given(personDecider, [registered])
        .when({ type: 'AppointPerson', partyId: MINISTRY, title: ACTING, from: '2021', to: '2020-12' })
        .thenFails('bad_input', 'VALIDATION', 'to');
      given(personDecider, [registered])
        .when({ type: 'AppointPerson', partyId: MINISTRY, title: ACTING, from: '2020-12-02', to: '2020-12-01' })
        .thenFails('bad_input', 'VALIDATION', 'to');
    });

    it('keeps earlier appointments, ended or not: offices change hands and history is kept', () => {
      const second = appointed({ appointmentId: 'second', title: 'Minister of Culture', from: '2021', acting: false });
      const state = fold(personDecider, [registered, appointed(), ended('2021'), second]);
      expect(state.appointments.map((a) => [a.title, a.endedOn])).toEqual([
        [ACTING, '2021'],
        ['Minister of Culture', null],
      ]);
    });
  });

  describe('EndAppointment', () => {
    it('ends an appointment, dated on its end', () => {
      given(personDecider, [registered, appointed()])
        .when({ type: 'EndAppointment', appointmentId: A, on: '2021' })
        .then([{ type: 'AppointmentEnded', occurredOn: '2021', data: { personId: P, appointmentId: A, partyId: MINISTRY, title: 'First Deputy Minister and Acting Minister of Culture', on: '2021' } }]);
    });

    it('accepts an end that overlaps the start (2020 for an appointment from 2020-12)', () => {
      given(personDecider, [registered, appointed()]).when({ type: 'EndAppointment', appointmentId: A, on: '2020' }).then([{ type: 'AppointmentEnded' }]);
    });

    it('404 for an appointment the person does not hold', () => {
      const err = given(personDecider, [registered, appointed()])
        .when({ type: 'EndAppointment', appointmentId: '00000000-0000-7000-8000-0000000000ff', on: '2021' })
        .thenFails('not_found', 'NOT_FOUND');
      expect(err.message).toContain('appointment');
    });

    it('409 APPOINTMENT.ALREADY_ENDED for one ended before', () => {
      given(personDecider, [registered, appointed(), ended('2021')])
        .when({ type: 'EndAppointment', appointmentId: A, on: '2022' })
        .thenFails('conflict', 'APPOINTMENT.ALREADY_ENDED');
    });

    it('409 APPOINTMENT.ALREADY_ENDED for one recorded with its end (`to`)', () => {
      given(personDecider, [registered, appointed({ to: '2021' })])
        .when({ type: 'EndAppointment', appointmentId: A, on: '2021' })
        .thenFails('conflict', 'APPOINTMENT.ALREADY_ENDED');
    });

    it('409 APPOINTMENT.END_BEFORE_START for an end wholly before its start', () => {
      given(personDecider, [registered, appointed()])
        .when({ type: 'EndAppointment', appointmentId: A, on: '2020-11-30' })
        .thenFails('conflict', 'APPOINTMENT.END_BEFORE_START');
    });

    it('ends only the appointment named', () => {
      const other = appointed({ appointmentId: 'other', title: 'Minister of Culture', from: '2021', acting: false });
      const [e] = given(personDecider, [registered, appointed(), other]).when({ type: 'EndAppointment', appointmentId: 'other', on: '2025-12' }).then([{ type: 'AppointmentEnded' }]);
      const state = fold(personDecider, [registered, appointed(), other, e]);
      expect(state.appointments.map((a) => a.endedOn)).toEqual([null, '2025-12']);
    });
  });
});
