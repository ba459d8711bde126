import { assertNever, type DecideEnv, type Decider, type Fact } from '../shared/decider.js';
import { invalid, rule } from '../shared/errors.js';
import { isWhollyAfter, isWhollyBefore, rangeOf } from '../shared/partial-date.js';
import type { ForumDetails, ForumEvent, ForumStatus } from './forum.events.js';

export interface ForumHistoryEntry {
  status: ForumStatus;
  event: ForumEvent['type'];
  plannedFor: string | null;
  startsOn: string | null;
  endsOn: string | null;
  reason: string | null;
  recordedAt: string | null;
}

export interface ForumState {
  exists: boolean;
  forumId: string | null;
  series: string;
  edition: number | null;
  title: string | null;
  hostCity: string | null;
  hostPartyId: string | null;
  organizerPartyIds: string[];
  partnerPartyIds: string[];
  status: ForumStatus | null;
  /** the (partial) date it is planned for; null when postponed without a new date */
  plannedFor: string | null;
  startsOn: string | null;
  endsOn: string | null;
  venue: string | null;
  history: ForumHistoryEntry[];
}

export type ForumCommand =
  | {
      type: 'AnnounceForum';
      forumId: string;
      series: string;
      edition?: number | null;
      title?: string | null;
      hostCity?: string | null;
      hostPartyId?: string | null;
      plannedFor: string;
      organizerPartyIds: string[];
      partnerPartyIds?: string[] | null;
      proposed?: boolean | null;
    }
  | { type: 'ConfirmForum'; plannedFor?: string | null }
  | { type: 'ScheduleForum'; startsOn: string; endsOn: string; venue?: string | null }
  | { type: 'PostponeForum'; reason: string; plannedFor?: string | null }
  | { type: 'RecordForumHeld'; startsOn: string; endsOn?: string | null; venue?: string | null }
  | { type: 'CancelForum'; reason: string }
  | { type: 'AddForumPartner'; partyId: string };

export const initialForumState = (): ForumState => ({
  exists: false,
  forumId: null,
  series: '',
  edition: null,
  title: null,
  hostCity: null,
  hostPartyId: null,
  organizerPartyIds: [],
  partnerPartyIds: [],
  status: null,
  plannedFor: null,
  startsOn: null,
  endsOn: null,
  venue: null,
  history: [],
});

/** All parties a forum involves: host, organisers and partners. */
export function forumParties(s: Pick<ForumState, 'hostPartyId' | 'organizerPartyIds' | 'partnerPartyIds'>): string[] {
  return [...new Set([...(s.hostPartyId ? [s.hostPartyId] : []), ...s.organizerPartyIds, ...s.partnerPartyIds])];
}

export function evolveForum(state: ForumState, event: Fact): ForumState {
  const e = event as ForumEvent;
  const recordedAt = event.recordedAt ? new Date(event.recordedAt).toISOString() : null;
  const entry = (s: ForumState, reason: string | null = null): ForumState => ({
    ...s,
    history: [
      ...s.history,
      { status: s.status!, event: e.type, plannedFor: s.plannedFor, startsOn: s.startsOn, endsOn: s.endsOn, reason, recordedAt },
    ],
  });
  switch (e.type) {
    case 'ForumAnnounced':
    case 'ForumProposed':
      return entry({
        ...state,
        ...e.data,
        exists: true,
        status: e.type === 'ForumProposed' ? 'proposed' : 'planned',
      });
    case 'ForumConfirmed':
      return entry({ ...state, status: 'planned', plannedFor: e.data.plannedFor, startsOn: null, endsOn: null });
    case 'ForumScheduled':
      return entry({ ...state, status: 'scheduled', startsOn: e.data.startsOn, endsOn: e.data.endsOn, venue: e.data.venue ?? state.venue });
    case 'ForumPostponed':
      return entry({ ...state, status: 'postponed', plannedFor: e.data.plannedFor, startsOn: null, endsOn: null }, e.data.reason);
    case 'ForumConvened':
      return entry({ ...state, status: 'held', startsOn: e.data.startsOn, endsOn: e.data.endsOn, venue: e.data.venue ?? state.venue });
    case 'ForumCancelled':
      return entry({ ...state, status: 'cancelled' }, e.data.reason);
    case 'ForumPartnerAdded':
      return { ...state, partnerPartyIds: [...state.partnerPartyIds, e.data.partyId] };
    default:
      return state;
  }
}

function mustBeOpen(state: ForumState, action: string): void {
  if (state.status === 'held') throw rule('FORUM.ALREADY_HELD', `The forum was held; it cannot be ${action}.`);
  if (state.status === 'cancelled') throw rule('FORUM.CANCELLED', `The forum was cancelled; it cannot be ${action}.`);
}

export function decideForum(command: ForumCommand, state: ForumState, env: DecideEnv): ForumEvent[] {
  const forumId = state.forumId!;
  switch (command.type) {
    case 'AnnounceForum': {
      if (state.exists) throw rule('FORUM.ALREADY_ANNOUNCED', 'This forum is already announced.');
      const partners = command.partnerPartyIds ?? [];
      const overlap = partners.findIndex((p) => command.organizerPartyIds.includes(p));
      if (overlap >= 0) throw invalid(`partnerPartyIds[${overlap}]`, 'is already an organiser');
      const data: ForumDetails = {
        forumId: command.forumId,
        series: command.series,
        edition: command.edition ?? null,
        title: command.title ?? null,
        hostCity: command.hostCity ?? null,
        hostPartyId: command.hostPartyId ?? null,
        plannedFor: command.plannedFor,
        organizerPartyIds: command.organizerPartyIds,
        partnerPartyIds: partners,
      };
      return [command.proposed ? { type: 'ForumProposed', data } : { type: 'ForumAnnounced', data }];
    }
    case 'ConfirmForum': {
      if (state.status !== 'proposed' && state.status !== 'postponed') {
        mustBeOpen(state, 'confirmed');
        throw rule('FORUM.NOT_PROPOSED', `Only a proposed or postponed forum can be confirmed; this one is ${state.status}.`);
      }
      const plannedFor = command.plannedFor ?? state.plannedFor;
      if (!plannedFor) throw invalid('plannedFor', 'is needed: the forum has no planned date');
      return [{ type: 'ForumConfirmed', data: { forumId, plannedFor } }];
    }
    case 'ScheduleForum': {
      // A body that contradicts itself is bad input whatever the forum's state: check it first.
      if (command.endsOn < command.startsOn) throw invalid('endsOn', 'is before startsOn');
      mustBeOpen(state, 'scheduled');
      if (state.status === 'proposed') throw rule('FORUM.NOT_CONFIRMED', 'A proposed forum must be confirmed before it is scheduled.');
      return [{ type: 'ForumScheduled', data: { forumId, startsOn: command.startsOn, endsOn: command.endsOn, venue: command.venue ?? null } }];
    }
    case 'PostponeForum': {
      mustBeOpen(state, 'postponed');
      // A new date wholly before the one it replaces would bring the forum forward, not postpone it.
      const current = forumWhen(state);
      if (command.plannedFor && current && isWhollyBefore(command.plannedFor, current.first)) {
        throw rule('FORUM.NOT_LATER', `A postponement must not move the forum before ${current.on}; ${command.plannedFor} is earlier.`);
      }
      return [{ type: 'ForumPostponed', data: { forumId, reason: command.reason, plannedFor: command.plannedFor ?? null } }];
    }
    case 'RecordForumHeld': {
      // Partial dates: an end of `2011` after a start of `2011-05-03` is consistent; only an end wholly before the start is not.
      if (command.endsOn && isWhollyBefore(command.endsOn, rangeOf(command.startsOn).first)) throw invalid('endsOn', 'is before startsOn');
      // A forum is recorded held once it has begun; a start wholly after today is a plan, not a fact.
      if (isWhollyAfter(command.startsOn, env.today)) throw invalid('startsOn', `is after today (${env.today}): record the forum held once it has happened`);
      mustBeOpen(state, 'held again');
      return [
        {
          type: 'ForumConvened',
          occurredOn: command.startsOn,
          data: { forumId, startsOn: command.startsOn, endsOn: command.endsOn ?? null, venue: command.venue ?? null },
        },
      ];
    }
    case 'CancelForum':
      mustBeOpen(state, 'cancelled');
      return [{ type: 'ForumCancelled', data: { forumId, reason: command.reason } }];
    case 'AddForumPartner':
      if (state.status === 'cancelled') throw rule('FORUM.CANCELLED', 'The forum was cancelled; it takes no new partners.');
      if (state.partnerPartyIds.includes(command.partyId) || state.organizerPartyIds.includes(command.partyId)) {
        throw rule('FORUM.ALREADY_PARTNER', 'This party already organises or partners the forum.');
      }
      return [{ type: 'ForumPartnerAdded', data: { forumId, partyId: command.partyId } }];
    default:
      return assertNever(command);
  }
}

export const forumDecider: Decider<ForumCommand, ForumState, ForumEvent> = {
  streamType: 'forum',
  initialState: initialForumState,
  evolve: evolveForum,
  decide: (c, s, env) => decideForum(c, s, env),
};


/** When a forum is: its scheduled or held days, else its planned (partial) date; null when postponed without one. */
export function forumWhen(s: Pick<ForumState, 'status' | 'startsOn' | 'endsOn' | 'plannedFor'>): { on: string; first: string; last: string } | null {
  if ((s.status === 'scheduled' || s.status === 'held') && s.startsOn) {
    return { on: s.startsOn, first: rangeOf(s.startsOn).first, last: rangeOf(s.endsOn ?? s.startsOn).last };
  }
  if (s.plannedFor) {
    const r = rangeOf(s.plannedFor);
    return { on: s.plannedFor, first: r.first, last: r.last };
  }
  return null;
}
