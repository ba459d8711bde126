import type { CommitmentMade } from '../commitments/commitment.events.js';

export const MEETING_FORMATS = ['in_person', 'virtual', 'phone', 'other'] as const;
export type MeetingFormat = (typeof MEETING_FORMATS)[number];

export interface Participant {
  personId: string;
  partyId: string;
}

/** The fields of a meeting record that a correction may change. */
export interface MeetingFields {
  occurredOn: string;
  format: MeetingFormat;
  location: string | null;
  title: string | null;
  partyIds: string[];
  participants: Participant[];
  topics: string[];
  summary: string | null;
  outcomes: string[];
  sourceRef: string | null;
}

export interface MeetingRecorded {
  type: 'MeetingRecorded';
  occurredOn: string;
  data: MeetingFields & { meetingId: string; commitmentIds: string[] };
}

export interface MeetingRecordCorrected {
  type: 'MeetingRecordCorrected';
  occurredOn: string;
  data: {
    meetingId: string;
    reason: string;
    /** only the fields that changed, with their new values */
    changes: Partial<MeetingFields>;
    /** the same fields as they were before */
    previous: Partial<MeetingFields>;
    /** the whole record after the correction, so no reader has to merge */
    corrected: MeetingFields;
  };
}

export interface MeetingRecordRetracted {
  type: 'MeetingRecordRetracted';
  data: { meetingId: string; reason: string; partyIds: string[]; occurredOn: string };
}

export type MeetingEvent = MeetingRecorded | MeetingRecordCorrected | MeetingRecordRetracted;
export type MeetingDecision = MeetingEvent | CommitmentMade;
export const MEETING_EVENT_TYPES = ['MeetingRecorded', 'MeetingRecordCorrected', 'MeetingRecordRetracted'] as const;
