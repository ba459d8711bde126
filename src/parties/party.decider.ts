import { assertNever, type Decider, type Fact } from '../shared/decider.js';
import { rule } from '../shared/errors.js';
import { comparePartialDates } from '../shared/partial-date.js';
import type { PartyEvent, PartyKind } from './party.events.js';

export interface FormerName {
  name: string;
  shortName: string | null;
  /** the day the party stopped using it (the rename's effective date) */
  until: string;
}

export interface PartyState {
  exists: boolean;
  partyId: string | null;
  name: string;
  shortName: string | null;
  kind: PartyKind | null;
  countryCode: string | null;
  parentPartyId: string | null;
  formerNames: FormerName[];
  lastRenamedOn: string | null;
}

export type PartyCommand =
  | {
      type: 'RegisterParty';
      partyId: string;
      name: string;
      kind: PartyKind;
      shortName?: string | null;
      countryCode?: string | null;
      parentPartyId?: string | null;
    }
  | { type: 'RenameParty'; name: string; shortName?: string | null; effectiveOn: string };

export const initialPartyState = (): PartyState => ({
  exists: false,
  partyId: null,
  name: '',
  shortName: null,
  kind: null,
  countryCode: null,
  parentPartyId: null,
  formerNames: [],
  lastRenamedOn: null,
});

export function evolveParty(state: PartyState, event: Fact): PartyState {
  const e = event as PartyEvent;
  switch (e.type) {
    case 'PartyRegistered':
      return {
        ...state,
        exists: true,
        partyId: e.data.partyId,
        name: e.data.name,
        shortName: e.data.shortName,
        kind: e.data.kind,
        countryCode: e.data.countryCode,
        parentPartyId: e.data.parentPartyId,
      };
    case 'PartyRenamed':
      return {
        ...state,
        name: e.data.name,
        shortName: e.data.shortName,
        formerNames: [...state.formerNames, { name: e.data.formerName, shortName: e.data.formerShortName, until: e.data.effectiveOn }],
        lastRenamedOn: e.data.effectiveOn,
      };
    default:
      return state;
  }
}

export function decideParty(command: PartyCommand, state: PartyState): PartyEvent[] {
  switch (command.type) {
    case 'RegisterParty':
      if (state.exists) throw rule('PARTY.ALREADY_REGISTERED', 'This party is already registered.');
      return [
        {
          type: 'PartyRegistered',
          data: {
            partyId: command.partyId,
            name: command.name,
            kind: command.kind,
            shortName: command.shortName ?? null,
            countryCode: command.countryCode ?? null,
            parentPartyId: command.parentPartyId ?? null,
          },
        },
      ];
    case 'RenameParty':
      if (command.name === state.name && (command.shortName ?? null) === state.shortName) {
        throw rule('PARTY.SAME_NAME', `The party is already called ${state.name}.`);
      }
      if (state.lastRenamedOn && comparePartialDates(command.effectiveOn, state.lastRenamedOn) < 0) {
        throw rule(
          'PARTY.RENAME_OUT_OF_ORDER',
          `The party was last renamed on ${state.lastRenamedOn}; a rename effective ${command.effectiveOn} would precede it.`,
        );
      }
      return [
        {
          type: 'PartyRenamed',
          occurredOn: command.effectiveOn,
          data: {
            partyId: state.partyId!,
            name: command.name,
            shortName: command.shortName === undefined ? state.shortName : command.shortName,
            effectiveOn: command.effectiveOn,
            formerName: state.name,
            formerShortName: state.shortName,
          },
        },
      ];
    default:
      return assertNever(command);
  }
}

export const partyDecider: Decider<PartyCommand, PartyState, PartyEvent> = {
  streamType: 'party',
  initialState: initialPartyState,
  evolve: evolveParty,
  decide: (c, s) => decideParty(c, s),
};
