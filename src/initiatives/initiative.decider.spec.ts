import { given } from '../../test/support/decider-spec.js';
import { initiativeDecider } from './initiative.decider.js';

const AZ = '00000000-0000-7000-8000-0000000000a1';
const UN = '00000000-0000-7000-8000-0000000000a2';
const UNESCO = '00000000-0000-7000-8000-0000000000a3';
const I = '00000000-0000-7000-8000-0000000000e9';
const launch = { type: 'LaunchInitiative' as const, initiativeId: I, name: 'Baku Process', kind: 'process' as const, launchedOn: '2008', leadPartyId: AZ, partnerPartyIds: [UN, UNESCO] };

describe('initiative decider', () => {
  it('launches an initiative with its lead and partners, dated by its launch', () => {
    given(initiativeDecider)
      .when(launch)
      .then([{ type: 'InitiativeLaunched', occurredOn: '2008', data: { initiativeId: I, name: 'Baku Process', kind: 'process', launchedOn: '2008', leadPartyId: AZ, partnerPartyIds: [UN, UNESCO] } }]);
  });

  it('refuses a lead that is also a partner (400)', () => {
    given(initiativeDecider).when({ ...launch, partnerPartyIds: [UN, AZ] }).thenFails('bad_input', 'VALIDATION', 'partnerPartyIds[1]');
  });

  it('refuses to launch twice (409)', () => {
    const events = initiativeDecider.decide(launch, initiativeDecider.initialState(), { now: new Date(), today: '2026-01-01', newId: () => 'x' });
    given(initiativeDecider, events).when(launch).thenFails('conflict', 'INITIATIVE.ALREADY_LAUNCHED');
  });
});
