/** Persisted event type names: fixed strings, never derived from class names. */
export const PARTY_KINDS = ['state', 'ministry', 'international_organization', 'ngo', 'academic', 'other'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface PartyRegistered {
  type: 'PartyRegistered';
  data: {
    partyId: string;
    name: string;
    kind: PartyKind;
    shortName: string | null;
    countryCode: string | null;
    parentPartyId: string | null;
  };
}

export interface PartyRenamed {
  type: 'PartyRenamed';
  occurredOn: string;
  data: {
    partyId: string;
    name: string;
    shortName: string | null;
    effectiveOn: string;
    formerName: string;
    formerShortName: string | null;
  };
}

export type PartyEvent = PartyRegistered | PartyRenamed;
export const PARTY_EVENT_TYPES = ['PartyRegistered', 'PartyRenamed'] as const;
