import { given } from '../../test/support/decider-spec.js';
import { partnershipDecider } from './partnership.decider.js';

const AZ = '00000000-0000-7000-8000-0000000000a1';
const UN = '00000000-0000-7000-8000-0000000000a2';
const P = '00000000-0000-8000-8000-0000000000f1';

describe('partnership decider', () => {
  const establish = { type: 'EstablishPartnership' as const, partnershipId: P, partyIds: [UN, AZ], since: '2010', basis: 'Partner of the Baku Process' };

  it('establishes a partnership since a partial date, parties in a stable order', () => {
    given(partnershipDecider)
      .when(establish)
      .then([{ type: 'PartnershipEstablished', occurredOn: '2010', data: { partnershipId: P, partyIds: [AZ, UN], since: '2010', basis: 'Partner of the Baku Process' } }]);
  });

  it('refuses to establish the same pair twice (409)', () => {
    const [e] = partnershipDecider.decide(establish, partnershipDecider.initialState(), { now: new Date(), today: '2026-01-01', newId: () => 'x' });
    given(partnershipDecider, [e]).when(establish).thenFails('conflict', 'PARTNERSHIP.ALREADY_ESTABLISHED');
  });
});
