import { assertNever, type Decider, type Fact } from '../shared/decider.js';
import { rule } from '../shared/errors.js';
import { isWhollyBefore, rangeOf } from '../shared/partial-date.js';
import type { CommitmentEvent } from './commitment.events.js';

export const COMMITMENT_STATUSES = ['open', 'fulfilled', 'withdrawn'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export interface CommitmentState {
  exists: boolean;
  commitmentId: string;
  meetingId: string | null;
  description: string;
  partyIds: string[];
  dueBy: string | null;
  forumId: string | null;
  madeOn: string | null;
  status: CommitmentStatus;
  fulfilledOn: string | null;
  note: string | null;
  withdrawnReason: string | null;
}

export type CommitmentCommand =
  | { type: 'FulfilCommitment'; on: string; note?: string | null }
  | { type: 'WithdrawCommitment'; reason: string };

export const initialCommitmentState = (): CommitmentState => ({
  exists: false,
  commitmentId: '',
  meetingId: null,
  description: '',
  partyIds: [],
  dueBy: null,
  forumId: null,
  madeOn: null,
  status: 'open',
  fulfilledOn: null,
  note: null,
  withdrawnReason: null,
});

export function evolveCommitment(state: CommitmentState, event: Fact): CommitmentState {
  const e = event as CommitmentEvent;
  switch (e.type) {
    case 'CommitmentMade':
      return { ...state, ...e.data, exists: true, status: 'open' };
    case 'CommitmentFulfilled':
      return { ...state, status: 'fulfilled', fulfilledOn: e.data.on, note: e.data.note };
    case 'CommitmentWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnReason: e.data.reason };
    default:
      return state;
  }
}

/** Open and due wholly before today. */
export function isOverdue(s: Pick<CommitmentState, 'status' | 'dueBy'>, today: string): boolean {
  return s.status === 'open' && s.dueBy !== null && isWhollyBefore(s.dueBy, today);
}

export function decideCommitment(command: CommitmentCommand, state: CommitmentState): CommitmentEvent[] {
  switch (command.type) {
    case 'FulfilCommitment':
      if (state.status === 'withdrawn') throw rule('COMMITMENT.WITHDRAWN', 'A withdrawn commitment cannot be fulfilled.');
      if (state.status === 'fulfilled') throw rule('COMMITMENT.ALREADY_FULFILLED', `The commitment was fulfilled on ${state.fulfilledOn}.`);
      if (state.madeOn && isWhollyBefore(command.on, rangeOf(state.madeOn).first)) {
        throw rule('COMMITMENT.BEFORE_MADE', `The commitment was made on ${state.madeOn}; it cannot be fulfilled before.`);
      }
      return [
        { type: 'CommitmentFulfilled', occurredOn: command.on, data: { commitmentId: state.commitmentId, on: command.on, note: command.note ?? null } },
      ];
    case 'WithdrawCommitment':
      if (state.status === 'withdrawn') throw rule('COMMITMENT.ALREADY_WITHDRAWN', 'The commitment is already withdrawn.');
      if (state.status === 'fulfilled') throw rule('COMMITMENT.ALREADY_FULFILLED', 'A fulfilled commitment cannot be withdrawn.');
      return [{ type: 'CommitmentWithdrawn', data: { commitmentId: state.commitmentId, reason: command.reason } }];
    default:
      return assertNever(command);
  }
}

export const commitmentDecider: Decider<CommitmentCommand, CommitmentState, CommitmentEvent> = {
  streamType: 'commitment',
  initialState: initialCommitmentState,
  evolve: evolveCommitment,
  decide: (c, s) => decideCommitment(c, s),
};

/** The fold alone, for projections and time travel. */
export const commitmentFold = { initialState: initialCommitmentState, evolve: evolveCommitment };
