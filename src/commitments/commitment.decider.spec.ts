import { given } from '../../test/support/decider-spec.js';
import { commitmentDecider, commitmentFold, isOverdue } from './commitment.decider.js';
import type { CommitmentEvent } from './commitment.events.js';
import { fold } from '../shared/decider.js';

const AZ = '00000000-0000-7000-8000-0000000000a1';
const UN = '00000000-0000-7000-8000-0000000000a2';
const M = '00000000-0000-7000-8000-0000000000c1';
const K = '00000000-0000-7000-8000-0000000000d1';

/** The commitment of the 2020-12-02 meeting: present joint projects at the World Forum 2021. */
const made: CommitmentEvent = {
  type: 'CommitmentMade',
  occurredOn: '2020-12-02',
  data: {
    commitmentId: K,
    meetingId: M,
    description: 'Present joint intercultural projects at the World Forum on Intercultural Dialogue 2021',
    partyIds: [AZ, UN],
    dueBy: '2021',
    forumId: null,
    madeOn: '2020-12-02',
  },
};
const fulfilled: CommitmentEvent = { type: 'CommitmentFulfilled', occurredOn: '2021-05', data: { commitmentId: K, on: '2021-05', note: null } };
const withdrawn: CommitmentEvent = { type: 'CommitmentWithdrawn', data: { commitmentId: K, reason: 'The forum was suspended (COVID-19).' } };

describe('commitment decider', () => {
  it('fulfils an open commitment on a date, with an optional note', () => {
    given(commitmentDecider, [made])
      .when({ type: 'FulfilCommitment', on: '2021-05', note: 'Presented at the forum' })
      .then([{ type: 'CommitmentFulfilled', occurredOn: '2021-05', data: { commitmentId: K, on: '2021-05', note: 'Presented at the forum' } }]);
    given(commitmentDecider, [made])
      .when({ type: 'FulfilCommitment', on: '2021' })
      .then([{ type: 'CommitmentFulfilled', data: { commitmentId: K, on: '2021', note: null } }]);
  });

  it('withdraws an open commitment for a reason', () => {
    given(commitmentDecider, [made])
      .when({ type: 'WithdrawCommitment', reason: 'The forum was suspended (COVID-19).' })
      .then([{ type: 'CommitmentWithdrawn', data: { commitmentId: K, reason: 'The forum was suspended (COVID-19).' } }]);
  });

  it('refuses to fulfil a withdrawn commitment (409 COMMITMENT.WITHDRAWN)', () => {
    given(commitmentDecider, [made, withdrawn]).when({ type: 'FulfilCommitment', on: '2024' }).thenFails('conflict', 'COMMITMENT.WITHDRAWN');
  });

  it('refuses to fulfil twice, to withdraw a fulfilled one, and to withdraw twice (409)', () => {
    given(commitmentDecider, [made, fulfilled]).when({ type: 'FulfilCommitment', on: '2021-06' }).thenFails('conflict', 'COMMITMENT.ALREADY_FULFILLED');
    given(commitmentDecider, [made, fulfilled]).when({ type: 'WithdrawCommitment', reason: 'r' }).thenFails('conflict', 'COMMITMENT.ALREADY_FULFILLED');
    given(commitmentDecider, [made, withdrawn]).when({ type: 'WithdrawCommitment', reason: 'r' }).thenFails('conflict', 'COMMITMENT.ALREADY_WITHDRAWN');
  });

  it('refuses a fulfilment wholly before the commitment was made (409), allows one that may be the same day', () => {
    given(commitmentDecider, [made]).when({ type: 'FulfilCommitment', on: '2020-12-01' }).thenFails('conflict', 'COMMITMENT.BEFORE_MADE');
    given(commitmentDecider, [made]).when({ type: 'FulfilCommitment', on: '2020-11' }).thenFails('conflict', 'COMMITMENT.BEFORE_MADE');
    given(commitmentDecider, [made]).when({ type: 'FulfilCommitment', on: '2020-12-02' }).then([{ type: 'CommitmentFulfilled' }]);
    given(commitmentDecider, [made]).when({ type: 'FulfilCommitment', on: '2020' }).then([{ type: 'CommitmentFulfilled' }]);
  });

  it('is overdue when open and its due date is wholly before today', () => {
    const open = fold(commitmentFold, [made]);
    expect(isOverdue(open, '2021-12-31')).toBe(false); // due `2021`: still the year it is due
    expect(isOverdue(open, '2022-01-01')).toBe(true);
    expect(isOverdue(fold(commitmentFold, [made, fulfilled]), '2026-01-01')).toBe(false);
    expect(isOverdue(fold(commitmentFold, [made, withdrawn]), '2026-01-01')).toBe(false);
    const undated = fold(commitmentFold, [{ ...made, data: { ...made.data, dueBy: null } }]);
    expect(isOverdue(undated, '2099-01-01')).toBe(false);
  });

  it('folds its status and what it holds', () => {
    expect(fold(commitmentFold, [made])).toMatchObject({ exists: true, status: 'open', meetingId: M, dueBy: '2021', madeOn: '2020-12-02' });
    expect(fold(commitmentFold, [made, fulfilled])).toMatchObject({ status: 'fulfilled', fulfilledOn: '2021-05' });
    expect(fold(commitmentFold, [made, withdrawn])).toMatchObject({ status: 'withdrawn', withdrawnReason: withdrawn.data.reason });
  });
});
