import type { CommitmentMade } from '../commitments/commitment.events.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { assertNever, type DecideEnv, type Decider, type Fact } from '../shared/decider.js';
import { AppError, type FieldError, rule } from '../shared/errors.js';
import { isWhollyBefore, rangeOf } from '../shared/partial-date.js';
import type { MeetingDecision, MeetingEvent, MeetingFields, MeetingFormat, Participant } from './meeting.events.js';

export interface CommitmentInput {
  description: string;
  partyIds?: string[] | null;
  dueBy?: string | null;
  forumId?: string | null;
}

export interface RecordMeeting {
  type: 'RecordMeeting';
  meetingId: string;
  occurredOn: string;
  format: MeetingFormat;
  location?: string | null;
  title?: string | null;
  partyIds: string[];
  participants?: Participant[] | null;
  topics: string[];
  summary?: string | null;
  outcomes?: string[] | null;
  commitments?: CommitmentInput[] | null;
  sourceRef?: string | null;
}

export interface CorrectMeetingRecord {
  type: 'CorrectMeetingRecord';
  reason: string;
  changes: Partial<MeetingFields>;
}

export interface RetractMeetingRecord {
  type: 'RetractMeetingRecord';
  reason: string;
}

export type MeetingCommand = RecordMeeting | CorrectMeetingRecord | RetractMeetingRecord;

export interface MeetingCorrection {
  reason: string;
  changes: Partial<MeetingFields>;
  previous: Partial<MeetingFields>;
}

export interface MeetingState extends MeetingFields {
  exists: boolean;
  meetingId: string | null;
  commitmentIds: string[];
  retracted: { reason: string } | null;
  corrections: MeetingCorrection[];
}

export const initialMeetingState = (): MeetingState => ({
  exists: false,
  meetingId: null,
  occurredOn: '',
  format: 'other',
  location: null,
  title: null,
  partyIds: [],
  participants: [],
  topics: [],
  summary: null,
  outcomes: [],
  sourceRef: null,
  commitmentIds: [],
  retracted: null,
  corrections: [],
});

export function evolveMeeting(state: MeetingState, event: Fact): MeetingState {
  const e = event as MeetingEvent;
  switch (e.type) {
    case 'MeetingRecorded': {
      const { commitmentIds, meetingId, ...fields } = e.data;
      return { ...state, ...fields, exists: true, meetingId, commitmentIds };
    }
    case 'MeetingRecordCorrected':
      return {
        ...state,
        ...e.data.corrected,
        corrections: [...state.corrections, { reason: e.data.reason, changes: e.data.changes, previous: e.data.previous }],
      };
    case 'MeetingRecordRetracted':
      return { ...state, retracted: { reason: e.data.reason } };
    default:
      return state;
  }
}

/** Rules a meeting record must keep whether it is recorded or corrected (a body that contradicts itself: 400). */
export function checkMeetingFields(f: Pick<MeetingFields, 'partyIds' | 'participants'>, prefix = ''): void {
  const errors: FieldError[] = [];
  const parties = new Set(f.partyIds);
  const seen = new Set<string>();
  f.participants.forEach((p, i) => {
    if (!parties.has(p.partyId)) {
      errors.push({ field: `${prefix}participants[${i}].partyId`, message: 'must be one of the meeting\'s partyIds' });
    }
    if (seen.has(p.personId)) errors.push({ field: `${prefix}participants[${i}].personId`, message: 'names a participant twice' });
    seen.add(p.personId);
  });
  if (errors.length) throw AppError.badInput(errors, 'The meeting record contradicts itself.');
}

function recordMeeting(c: RecordMeeting, state: MeetingState, env: DecideEnv): MeetingDecision[] {
  if (state.exists) throw rule('MEETING.ALREADY_RECORDED', 'This meeting is already recorded.');
  const fields: MeetingFields = {
    occurredOn: c.occurredOn,
    format: c.format,
    location: c.location ?? null,
    title: c.title ?? null,
    partyIds: c.partyIds,
    participants: c.participants ?? [],
    topics: c.topics,
    summary: c.summary ?? null,
    outcomes: c.outcomes ?? [],
    sourceRef: c.sourceRef ?? null,
  };
  checkMeetingFields(fields);
  const errors: FieldError[] = [];
  const parties = new Set(c.partyIds);
  const commitments: CommitmentMade[] = (c.commitments ?? []).map((k, i) => {
    const partyIds = k.partyIds?.length ? k.partyIds : c.partyIds;
    partyIds.forEach((p, j) => {
      if (!parties.has(p)) errors.push({ field: `commitments[${i}].partyIds[${j}]`, message: "must be one of the meeting's partyIds" });
    });
    if (k.dueBy && isWhollyBefore(k.dueBy, rangeOf(c.occurredOn).first)) {
      errors.push({ field: `commitments[${i}].dueBy`, message: 'is before the meeting' });
    }
    return {
      type: 'CommitmentMade',
      occurredOn: c.occurredOn,
      data: {
        commitmentId: env.newId(),
        meetingId: c.meetingId,
        description: k.description,
        partyIds,
        dueBy: k.dueBy ?? null,
        forumId: k.forumId ?? null,
        madeOn: c.occurredOn,
      },
    };
  });
  if (errors.length) throw AppError.badInput(errors, 'The meeting record contradicts itself.');
  return [
    {
      type: 'MeetingRecorded',
      occurredOn: c.occurredOn,
      data: { meetingId: c.meetingId, ...fields, commitmentIds: commitments.map((k) => k.data.commitmentId) },
    },
    ...commitments,
  ];
}

const FIELD_NAMES: (keyof MeetingFields)[] = [
  'occurredOn',
  'format',
  'location',
  'title',
  'partyIds',
  'participants',
  'topics',
  'summary',
  'outcomes',
  'sourceRef',
];

function currentFields(s: MeetingState): MeetingFields {
  return Object.fromEntries(FIELD_NAMES.map((k) => [k, s[k]])) as unknown as MeetingFields;
}

function correctMeeting(c: CorrectMeetingRecord, state: MeetingState): MeetingDecision[] {
  if (state.retracted) throw rule('MEETING.RETRACTED', 'A retracted meeting record cannot be corrected.');
  const before = currentFields(state);
  const changes: Partial<MeetingFields> = {};
  const previous: Partial<MeetingFields> = {};
  for (const k of FIELD_NAMES) {
    // An absent field is `undefined`, not missing: DTO instances declare every field (ES2022
    // class fields). Only `null` asks to clear a field.
    const given = (c.changes as Record<string, unknown>)[k];
    if (given === undefined) continue;
    const value = given ?? (Array.isArray(before[k]) ? [] : null);
    // Canonical: the record read back from jsonb has its keys reordered (partyId before personId).
    if (canonicalJson(value) === canonicalJson(before[k])) continue;
    (changes as Record<string, unknown>)[k] = value;
    (previous as Record<string, unknown>)[k] = before[k];
  }
  if (Object.keys(changes).length === 0) {
    throw rule('MEETING.NOTHING_TO_CORRECT', 'The changes leave the record as it is.');
  }
  const corrected = { ...before, ...changes } as MeetingFields;
  try {
    checkMeetingFields(corrected, 'changes.');
  } catch (err) {
    // Participants recorded before were valid then; when only the parties changed, the
    // field at fault is the one the client sent.
    if ('participants' in changes || !(err instanceof AppError)) throw err;
    throw AppError.badInput(
      (err.errors ?? []).map((e) => ({ field: 'changes.partyIds', message: `leaves ${e.field.replace(/^changes\./, '')} without its party` })),
      err.message,
    );
  }
  return [
    {
      type: 'MeetingRecordCorrected',
      occurredOn: corrected.occurredOn,
      data: { meetingId: state.meetingId!, reason: c.reason, changes, previous, corrected },
    },
  ];
}

export function decideMeeting(command: MeetingCommand, state: MeetingState, env: DecideEnv): MeetingDecision[] {
  switch (command.type) {
    case 'RecordMeeting':
      return recordMeeting(command, state, env);
    case 'CorrectMeetingRecord':
      return correctMeeting(command, state);
    case 'RetractMeetingRecord':
      if (state.retracted) throw rule('MEETING.ALREADY_RETRACTED', 'This meeting record is already retracted.');
      return [
        {
          type: 'MeetingRecordRetracted',
          data: { meetingId: state.meetingId!, reason: command.reason, partyIds: state.partyIds, occurredOn: state.occurredOn },
        },
      ];
    default:
      return assertNever(command);
  }
}

export const meetingDecider: Decider<MeetingCommand, MeetingState, MeetingDecision> = {
  streamType: 'meeting',
  initialState: initialMeetingState,
  evolve: evolveMeeting,
  decide: decideMeeting,
};
