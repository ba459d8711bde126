import { given } from '../../test/support/decider-spec.js';
import { agreementDecider, agreementStatus } from './agreement.decider.js';
import type { AgreementEvent } from './agreement.events.js';

const AZ = '00000000-0000-7000-8000-0000000000a1';
const UN = '00000000-0000-7000-8000-0000000000a2';
const X = '00000000-0000-7000-8000-0000000000e1';
const sign = { type: 'SignAgreement' as const, agreementId: X, title: 'MoU UNAOC-Azerbaijan', partyIds: [AZ, UN], signedOn: '2022' };
const signed: AgreementEvent = {
  type: 'MouSigned',
  occurredOn: '2022',
  data: { agreementId: X, title: sign.title, kind: 'mou', partyIds: [AZ, UN], signedOn: '2022', signatories: [], effectiveFrom: null, expiresOn: '2025-06', areas: [] },
};

describe('agreement decider', () => {
  it('signs an MoU by default, any other kind as AgreementSigned', () => {
    given(agreementDecider).when(sign).then([{ type: 'MouSigned', occurredOn: '2022' }]);
    given(agreementDecider).when({ ...sign, kind: 'agreement' }).then([{ type: 'AgreementSigned' }]);
  });

  it('refuses an expiry not after the start (400) and a signatory of another party (400)', () => {
    given(agreementDecider).when({ ...sign, effectiveFrom: '2023', expiresOn: '2023' }).thenFails('bad_input', 'VALIDATION', 'expiresOn');
    given(agreementDecider).when({ ...sign, expiresOn: '2021' }).thenFails('bad_input', 'VALIDATION', 'expiresOn');
    given(agreementDecider)
      .when({ ...sign, signatories: [{ personId: X, partyId: X }] })
      .thenFails('bad_input', 'VALIDATION', 'signatories[0].partyId');
  });

  it('renews to a later expiry only (409)', () => {
    given(agreementDecider, [signed]).when({ type: 'RenewAgreement', expiresOn: '2030' }).then([{ type: 'AgreementRenewed', data: { agreementId: X, expiresOn: '2030', previousExpiresOn: '2025-06' } }]);
    given(agreementDecider, [signed]).when({ type: 'RenewAgreement', expiresOn: '2024' }).thenFails('conflict', 'AGREEMENT.RENEWAL_NOT_LATER');
  });

  it('judges a renewal by the last day of each expiry, the day the agreement is in force to', () => {
    const in2026: AgreementEvent = { ...signed, data: { ...signed.data, expiresOn: '2026' } } as AgreementEvent;
    // `2026-06-30` sorts after `2026` but ends earlier; `2026-12` ends the same day.
    given(agreementDecider, [in2026]).when({ type: 'RenewAgreement', expiresOn: '2026-06-30' }).thenFails('conflict', 'AGREEMENT.RENEWAL_NOT_LATER');
    given(agreementDecider, [in2026]).when({ type: 'RenewAgreement', expiresOn: '2026-12' }).thenFails('conflict', 'AGREEMENT.RENEWAL_NOT_LATER');
    given(agreementDecider, [in2026]).when({ type: 'RenewAgreement', expiresOn: '2027-01' }).then([{ type: 'AgreementRenewed' }]);
    const terminated: AgreementEvent = { type: 'AgreementTerminated', occurredOn: '2024-01', data: { agreementId: X, on: '2024-01', reason: 'r' } };
    given(agreementDecider, [signed, terminated]).when({ type: 'RenewAgreement', expiresOn: '2030' }).thenFails('conflict', 'AGREEMENT.TERMINATED');
  });

  it('amends from its signature on, dated in the world', () => {
    given(agreementDecider, [signed])
      .when({ type: 'AmendAgreement', summary: 'Adds youth exchanges', on: '2023-03' })
      .then([{ type: 'AgreementAmended', occurredOn: '2023-03', data: { agreementId: X, summary: 'Adds youth exchanges', on: '2023-03' } }]);
    given(agreementDecider, [signed]).when({ type: 'AmendAgreement', summary: 's', on: '2021-12' }).thenFails('conflict', 'AGREEMENT.BEFORE_SIGNATURE');
  });

  it('terminates once, not before its signature, and then refuses amendments (409)', () => {
    const terminated: AgreementEvent = { type: 'AgreementTerminated', occurredOn: '2024-01', data: { agreementId: X, on: '2024-01', reason: 'superseded' } };
    given(agreementDecider, [signed]).when({ type: 'TerminateAgreement', on: '2021', reason: 'x' }).thenFails('conflict', 'AGREEMENT.BEFORE_SIGNATURE');
    given(agreementDecider, [signed, terminated]).when({ type: 'TerminateAgreement', on: '2024-02', reason: 'x' }).thenFails('conflict', 'AGREEMENT.ALREADY_TERMINATED');
    given(agreementDecider, [signed, terminated]).when({ type: 'AmendAgreement', summary: 's', on: '2024-03' }).thenFails('conflict', 'AGREEMENT.TERMINATED');
  });

  it('derives its status from dates and events', () => {
    const s = [signed].reduce(agreementDecider.evolve, agreementDecider.initialState());
    expect(agreementStatus(s, '2025-06-30')).toBe('in_force');
    expect(agreementStatus(s, '2025-07-01')).toBe('expired');
    const t = agreementDecider.evolve(s, { type: 'AgreementTerminated', data: { agreementId: X, on: '2024-01', reason: 'r' } });
    expect(agreementStatus(t, '2023-12-31')).toBe('in_force');
    expect(agreementStatus(t, '2024-01-15')).toBe('terminated');
  });
});
