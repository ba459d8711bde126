import { assertNever, type Decider, type Fact } from '../shared/decider.js';
import { invalid, rule } from '../shared/errors.js';
import type { InitiativeEvent, InitiativeKind } from './initiative.events.js';

export interface InitiativeState {
  exists: boolean;
  initiativeId: string | null;
  name: string;
  kind: InitiativeKind | null;
  launchedOn: string | null;
  leadPartyId: string | null;
  partnerPartyIds: string[];
}

export type InitiativeCommand = {
  type: 'LaunchInitiative';
  initiativeId: string;
  name: string;
  kind: InitiativeKind;
  launchedOn: string;
  leadPartyId: string;
  partnerPartyIds?: string[] | null;
};

export const initialInitiativeState = (): InitiativeState => ({
  exists: false,
  initiativeId: null,
  name: '',
  kind: null,
  launchedOn: null,
  leadPartyId: null,
  partnerPartyIds: [],
});

export function evolveInitiative(state: InitiativeState, event: Fact): InitiativeState {
  const e = event as InitiativeEvent;
  switch (e.type) {
    case 'InitiativeLaunched':
      return { ...state, ...e.data, exists: true };
    default:
      return state;
  }
}

/** Everyone an initiative involves: its lead and its partners. */
export function initiativeParties(s: Pick<InitiativeState, 'leadPartyId' | 'partnerPartyIds'>): string[] {
  return [...new Set([...(s.leadPartyId ? [s.leadPartyId] : []), ...s.partnerPartyIds])];
}

export function decideInitiative(command: InitiativeCommand, state: InitiativeState): InitiativeEvent[] {
  switch (command.type) {
    case 'LaunchInitiative': {
      if (state.exists) throw rule('INITIATIVE.ALREADY_LAUNCHED', 'This initiative is already recorded.');
      const partners = command.partnerPartyIds ?? [];
      const i = partners.indexOf(command.leadPartyId);
      if (i >= 0) throw invalid(`partnerPartyIds[${i}]`, 'is the lead party');
      return [
        {
          type: 'InitiativeLaunched',
          occurredOn: command.launchedOn,
          data: {
            initiativeId: command.initiativeId,
            name: command.name,
            kind: command.kind,
            launchedOn: command.launchedOn,
            leadPartyId: command.leadPartyId,
            partnerPartyIds: partners,
          },
        },
      ];
    }
    default:
      return assertNever(command.type);
  }
}

export const initiativeDecider: Decider<InitiativeCommand, InitiativeState, InitiativeEvent> = {
  streamType: 'initiative',
  initialState: initialInitiativeState,
  evolve: evolveInitiative,
  decide: (c, s) => decideInitiative(c, s),
};
