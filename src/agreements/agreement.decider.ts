import { assertNever, type Decider, type Fact } from '../shared/decider.js';
import { AppError, type FieldError, rule } from '../shared/errors.js';
import { comparePartialDates, isWhollyAfter, isWhollyBefore, rangeOf } from '../shared/partial-date.js';
import type { AgreementEvent, AgreementKind, AgreementStatus, AgreementTerms } from './agreement.events.js';
import type { Participant } from '../meetings/meeting.events.js';

export interface AgreementState extends AgreementTerms {
  exists: boolean;
  amendments: { summary: string; on: string }[];
  renewals: { expiresOn: string; previousExpiresOn: string | null }[];
  terminated: { on: string; reason: string } | null;
}

export type AgreementCommand =
  | {
      type: 'SignAgreement';
      agreementId: string;
      title: string;
      kind?: AgreementKind | null;
      partyIds: string[];
      signedOn: string;
      signatories?: Participant[] | null;
      effectiveFrom?: string | null;
      expiresOn?: string | null;
      areas?: string[] | null;
    }
  | { type: 'AmendAgreement'; summary: string; on: string }
  | { type: 'RenewAgreement'; expiresOn: string }
  | { type: 'TerminateAgreement'; on: string; reason: string };

export const initialAgreementState = (): AgreementState => ({
  exists: false,
  agreementId: '',
  title: '',
  kind: 'mou',
  partyIds: [],
  signedOn: '',
  signatories: [],
  effectiveFrom: null,
  expiresOn: null,
  areas: [],
  amendments: [],
  renewals: [],
  terminated: null,
});

export function evolveAgreement(state: AgreementState, event: Fact): AgreementState {
  const e = event as AgreementEvent;
  switch (e.type) {
    case 'MouSigned':
    case 'AgreementSigned':
      return { ...state, ...e.data, exists: true };
    case 'AgreementAmended':
      return { ...state, amendments: [...state.amendments, { summary: e.data.summary, on: e.data.on }] };
    case 'AgreementRenewed':
      return {
        ...state,
        expiresOn: e.data.expiresOn,
        renewals: [...state.renewals, { expiresOn: e.data.expiresOn, previousExpiresOn: e.data.previousExpiresOn }],
      };
    case 'AgreementTerminated':
      return { ...state, terminated: { on: e.data.on, reason: e.data.reason } };
    default:
      return state;
  }
}

/**
 * Status on a day, derived from dates and events: terminated once a termination has taken
 * effect; expired when its expiry is wholly before the day; otherwise in force.
 */
export function agreementStatus(s: Pick<AgreementState, 'terminated' | 'expiresOn'>, day: string): AgreementStatus {
  if (s.terminated && !isWhollyAfter(s.terminated.on, day)) return 'terminated';
  if (s.expiresOn && isWhollyBefore(s.expiresOn, day)) return 'expired';
  return 'in_force';
}

export function decideAgreement(command: AgreementCommand, state: AgreementState): AgreementEvent[] {
  switch (command.type) {
    case 'SignAgreement': {
      if (state.exists) throw rule('AGREEMENT.ALREADY_SIGNED', 'This agreement is already recorded.');
      const errors: FieldError[] = [];
      const parties = new Set(command.partyIds);
      (command.signatories ?? []).forEach((s, i) => {
        if (!parties.has(s.partyId)) errors.push({ field: `signatories[${i}].partyId`, message: "must be one of the agreement's partyIds" });
      });
      const start = command.effectiveFrom ?? command.signedOn;
      if (command.expiresOn && comparePartialDates(command.expiresOn, start) <= 0) {
        errors.push({ field: 'expiresOn', message: `must be after ${command.effectiveFrom ? 'effectiveFrom' : 'signedOn'}` });
      }
      if (errors.length) throw AppError.badInput(errors, 'The agreement contradicts itself.');
      const kind = command.kind ?? 'mou';
      const data: AgreementTerms = {
        agreementId: command.agreementId,
        title: command.title,
        kind,
        partyIds: command.partyIds,
        signedOn: command.signedOn,
        signatories: command.signatories ?? [],
        effectiveFrom: command.effectiveFrom ?? null,
        expiresOn: command.expiresOn ?? null,
        areas: command.areas ?? [],
      };
      return [kind === 'mou' ? { type: 'MouSigned', occurredOn: command.signedOn, data } : { type: 'AgreementSigned', occurredOn: command.signedOn, data }];
    }
    case 'AmendAgreement':
      if (state.terminated) throw rule('AGREEMENT.TERMINATED', 'A terminated agreement cannot be amended.');
      if (isWhollyBefore(command.on, rangeOf(state.signedOn).first)) {
        throw rule('AGREEMENT.BEFORE_SIGNATURE', `The agreement was signed on ${state.signedOn}; it cannot be amended before.`);
      }
      return [{ type: 'AgreementAmended', occurredOn: command.on, data: { agreementId: state.agreementId, summary: command.summary, on: command.on } }];
    case 'RenewAgreement': {
      if (state.terminated) throw rule('AGREEMENT.TERMINATED', 'A terminated agreement cannot be renewed.');
      // An agreement is in force to the last day of its expiry (agreementStatus), so a renewal
      // must move that last day: `2026-06-30` or `2026-12` do not renew an expiry of `2026`.
      const current = state.expiresOn ?? state.effectiveFrom ?? state.signedOn;
      if (rangeOf(command.expiresOn).last <= rangeOf(current).last) {
        throw rule('AGREEMENT.RENEWAL_NOT_LATER', `A renewal must expire after ${state.expiresOn ?? 'the agreement takes effect'}.`);
      }
      return [{ type: 'AgreementRenewed', data: { agreementId: state.agreementId, expiresOn: command.expiresOn, previousExpiresOn: state.expiresOn } }];
    }
    case 'TerminateAgreement':
      if (state.terminated) throw rule('AGREEMENT.ALREADY_TERMINATED', `The agreement was terminated on ${state.terminated.on}.`);
      if (isWhollyBefore(command.on, rangeOf(state.signedOn).first)) {
        throw rule('AGREEMENT.BEFORE_SIGNATURE', `The agreement was signed on ${state.signedOn}; it cannot end before.`);
      }
      return [
        { type: 'AgreementTerminated', occurredOn: command.on, data: { agreementId: state.agreementId, on: command.on, reason: command.reason } },
      ];
    default:
      return assertNever(command);
  }
}

export const agreementDecider: Decider<AgreementCommand, AgreementState, AgreementEvent> = {
  streamType: 'agreement',
  initialState: initialAgreementState,
  evolve: evolveAgreement,
  decide: (c, s) => decideAgreement(c, s),
};

