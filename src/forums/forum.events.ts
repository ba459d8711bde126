export const FORUM_STATUSES = ['proposed', 'planned', 'scheduled', 'postponed', 'held', 'cancelled'] as const;
export type ForumStatus = (typeof FORUM_STATUSES)[number];

export interface ForumDetails {
  forumId: string;
  series: string;
  edition: number | null;
  title: string | null;
  hostCity: string | null;
  hostPartyId: string | null;
  plannedFor: string;
  organizerPartyIds: string[];
  partnerPartyIds: string[];
}

/** A forum agreed on, planned for a (partial) date. */
export interface ForumAnnounced {
  type: 'ForumAnnounced';
  data: ForumDetails;
}

/** A hosting initiative not yet agreed. */
export interface ForumProposed {
  type: 'ForumProposed';
  data: ForumDetails;
}

export interface ForumConfirmed {
  type: 'ForumConfirmed';
  data: { forumId: string; plannedFor: string };
}

export interface ForumScheduled {
  type: 'ForumScheduled';
  data: { forumId: string; startsOn: string; endsOn: string; venue: string | null };
}

export interface ForumPostponed {
  type: 'ForumPostponed';
  data: { forumId: string; reason: string; plannedFor: string | null };
}

export interface ForumConvened {
  type: 'ForumConvened';
  occurredOn: string;
  data: { forumId: string; startsOn: string; endsOn: string | null; venue: string | null };
}

export interface ForumCancelled {
  type: 'ForumCancelled';
  data: { forumId: string; reason: string };
}

export interface ForumPartnerAdded {
  type: 'ForumPartnerAdded';
  data: { forumId: string; partyId: string };
}

export type ForumEvent =
  | ForumAnnounced
  | ForumProposed
  | ForumConfirmed
  | ForumScheduled
  | ForumPostponed
  | ForumConvened
  | ForumCancelled
  | ForumPartnerAdded;

export const FORUM_EVENT_TYPES = [
  'ForumAnnounced',
  'ForumProposed',
  'ForumConfirmed',
  'ForumScheduled',
  'ForumPostponed',
  'ForumConvened',
  'ForumCancelled',
  'ForumPartnerAdded',
] as const;
