import { assertNever, type Decider, type Fact } from '../shared/decider.js';
import { rule } from '../shared/errors.js';
import type { PartnershipEvent } from './partnership.events.js';

export interface PartnershipState {
  exists: boolean;
  partnershipId: string | null;
  partyIds: string[];
  since: string | null;
  basis: string | null;
}

export type PartnershipCommand = {
  type: 'EstablishPartnership';
  partnershipId: string;
  partyIds: string[];
  since: string;
  basis?: string | null;
};

export const initialPartnershipState = (): PartnershipState => ({ exists: false, partnershipId: null, partyIds: [], since: null, basis: null });

export function evolvePartnership(state: PartnershipState, event: Fact): PartnershipState {
  const e = event as PartnershipEvent;
  switch (e.type) {
    case 'PartnershipEstablished':
      return { exists: true, partnershipId: e.data.partnershipId, partyIds: e.data.partyIds, since: e.data.since, basis: e.data.basis };
    default:
      return state;
  }
}

export function decidePartnership(command: PartnershipCommand, state: PartnershipState): PartnershipEvent[] {
  switch (command.type) {
    case 'EstablishPartnership': {
      if (state.exists) {
        throw rule('PARTNERSHIP.ALREADY_ESTABLISHED', `These parties were recorded as partners since ${state.since}.`);
      }
      const [a, b] = [...command.partyIds].sort();
      return [
        {
          type: 'PartnershipEstablished',
          occurredOn: command.since,
          data: { partnershipId: command.partnershipId, partyIds: [a, b], since: command.since, basis: command.basis ?? null },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
}

export const partnershipDecider: Decider<PartnershipCommand, PartnershipState, PartnershipEvent> = {
  streamType: 'partnership',
  initialState: initialPartnershipState,
  evolve: evolvePartnership,
  decide: (c, s) => decidePartnership(c, s),
};
