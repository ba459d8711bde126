import { given } from '../../test/support/decider-spec.js';
import { partyDecider } from './party.decider.js';
import type { PartyEvent } from './party.events.js';

const P = '00000000-0000-7000-8000-0000000000d1';
const registered: PartyEvent = {
  type: 'PartyRegistered',
  data: { partyId: P, name: 'Islamic Educational, Scientific and Cultural Organization', kind: 'international_organization', shortName: 'ISESCO', countryCode: null, parentPartyId: null },
};

describe('party decider', () => {
  it('registers a party', () => {
    given(partyDecider)
      .when({ type: 'RegisterParty', partyId: P, name: 'UNESCO', kind: 'international_organization' })
      .then([{ type: 'PartyRegistered', data: { partyId: P, name: 'UNESCO', kind: 'international_organization', shortName: null, countryCode: null, parentPartyId: null } }]);
  });

  it('renames, keeping the former name with the date it ended', () => {
    const [e] = given(partyDecider, [registered])
      .when({ type: 'RenameParty', name: 'Islamic World Educational, Scientific and Cultural Organization', shortName: 'ICESCO', effectiveOn: '2020' })
      .then([{ type: 'PartyRenamed', occurredOn: '2020' }]);
    expect(e.data).toMatchObject({ formerName: registered.data.name, formerShortName: 'ISESCO', shortName: 'ICESCO' });
    const state = [registered, e].reduce(partyDecider.evolve, partyDecider.initialState());
    expect(state.formerNames).toEqual([{ name: registered.data.name, shortName: 'ISESCO', until: '2020' }]);
  });

  it('refuses a rename to the same name (409) and one dated before the last rename (409)', () => {
    given(partyDecider, [registered]).when({ type: 'RenameParty', name: registered.data.name, shortName: 'ISESCO', effectiveOn: '2020' }).thenFails('conflict', 'PARTY.SAME_NAME');
    const renamed: PartyEvent = { type: 'PartyRenamed', occurredOn: '2020', data: { partyId: P, name: 'ICESCO', shortName: 'ICESCO', effectiveOn: '2020', formerName: 'ISESCO', formerShortName: 'ISESCO' } };
    given(partyDecider, [registered, renamed]).when({ type: 'RenameParty', name: 'Other', effectiveOn: '2019' }).thenFails('conflict', 'PARTY.RENAME_OUT_OF_ORDER');
  });
});
