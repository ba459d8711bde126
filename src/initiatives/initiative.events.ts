export const INITIATIVE_KINDS = ['process', 'campaign', 'programme', 'action_plan', 'other'] as const;
export type InitiativeKind = (typeof INITIATIVE_KINDS)[number];

/** A process, campaign, programme or action plan, with the party that leads it and its partners. */
export interface InitiativeLaunched {
  type: 'InitiativeLaunched';
  occurredOn: string;
  data: {
    initiativeId: string;
    name: string;
    kind: InitiativeKind;
    launchedOn: string;
    leadPartyId: string;
    partnerPartyIds: string[];
  };
}

export type InitiativeEvent = InitiativeLaunched;
export const INITIATIVE_EVENT_TYPES = ['InitiativeLaunched'] as const;
