/** An explicit statement that two parties are partners since a date ("partner since 2010"). */
export interface PartnershipEstablished {
  type: 'PartnershipEstablished';
  occurredOn: string;
  data: { partnershipId: string; partyIds: [string, string]; since: string; basis: string | null };
}

export type PartnershipEvent = PartnershipEstablished;
export const PARTNERSHIP_EVENT_TYPES = ['PartnershipEstablished'] as const;
