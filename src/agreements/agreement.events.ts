import type { Participant } from '../meetings/meeting.events.js';

export const AGREEMENT_KINDS = ['mou', 'agreement', 'action_plan', 'other'] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];
export const AGREEMENT_STATUSES = ['in_force', 'expired', 'terminated'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

export interface AgreementTerms {
  agreementId: string;
  title: string;
  kind: AgreementKind;
  partyIds: string[];
  signedOn: string;
  signatories: Participant[];
  effectiveFrom: string | null;
  expiresOn: string | null;
  areas: string[];
}

/** A memorandum of understanding (kind `mou`). */
export interface MouSigned {
  type: 'MouSigned';
  occurredOn: string;
  data: AgreementTerms;
}

/** Any other agreement: a cooperation agreement, an action plan. */
export interface AgreementSigned {
  type: 'AgreementSigned';
  occurredOn: string;
  data: AgreementTerms;
}

export interface AgreementAmended {
  type: 'AgreementAmended';
  occurredOn: string;
  data: { agreementId: string; summary: string; on: string };
}

export interface AgreementRenewed {
  type: 'AgreementRenewed';
  data: { agreementId: string; expiresOn: string; previousExpiresOn: string | null };
}

export interface AgreementTerminated {
  type: 'AgreementTerminated';
  occurredOn: string;
  data: { agreementId: string; on: string; reason: string };
}

export type AgreementEvent = MouSigned | AgreementSigned | AgreementAmended | AgreementRenewed | AgreementTerminated;
export const AGREEMENT_EVENT_TYPES = ['MouSigned', 'AgreementSigned', 'AgreementAmended', 'AgreementRenewed', 'AgreementTerminated'] as const;
