import { given, testEnv } from '../../test/support/decider-spec.js';
import { meetingDecider, type RecordMeeting } from './meeting.decider.js';
import type { MeetingEvent } from './meeting.events.js';

const AZ = '00000000-0000-7000-8000-0000000000a1';
const UN = '00000000-0000-7000-8000-0000000000a2';
const MX = '00000000-0000-7000-8000-0000000000a3';
const KARIMOV = '00000000-0000-7000-8000-0000000000b1';
const MORATINOS = '00000000-0000-7000-8000-0000000000b2';
const M = '00000000-0000-7000-8000-0000000000c1';

const record: RecordMeeting = {
  type: 'RecordMeeting',
  meetingId: M,
  occurredOn: '2020-12-02',
  format: 'virtual',
  partyIds: [AZ, UN],
  participants: [
    { personId: KARIMOV, partyId: AZ },
    { personId: MORATINOS, partyId: UN },
  ],
  topics: ['Baku Process'],
  title: 'Virtual conference with the UN High Representative (UNHCR)',
  commitments: [{ description: 'Present joint projects at the World Forum', dueBy: '2021' }],
};

const recorded: MeetingEvent = {
  type: 'MeetingRecorded',
  occurredOn: '2020-12-02',
  data: {
    meetingId: M,
    occurredOn: '2020-12-02',
    format: 'virtual',
    location: null,
    title: record.title!,
    partyIds: [AZ, UN],
    participants: record.participants!,
    topics: ['Baku Process'],
    summary: null,
    outcomes: [],
    sourceRef: null,
    commitmentIds: ['c1'],
  },
};

describe('meeting decider', () => {
  it('records a meeting and a CommitmentMade per commitment, defaulting to the meeting\'s parties', () => {
    const env = testEnv();
    const events = given(meetingDecider).when(record, env).then([{ type: 'MeetingRecorded' }, { type: 'CommitmentMade' }]);
    const made = events[1] as Extract<(typeof events)[number], { type: 'CommitmentMade' }>;
    expect(made.data).toMatchObject({ meetingId: M, partyIds: [AZ, UN], dueBy: '2021', madeOn: '2020-12-02' });
    expect((events[0] as MeetingEvent & { type: 'MeetingRecorded' }).data.commitmentIds).toEqual([made.data.commitmentId]);
    expect((events[0] as { occurredOn?: string }).occurredOn).toBe('2020-12-02');
  });

  it('refuses a participant of a party not in the meeting (400)', () => {
    given(meetingDecider)
      .when({ ...record, participants: [{ personId: KARIMOV, partyId: MX }] })
      .thenFails('bad_input', 'VALIDATION', 'participants[0].partyId');
  });

  it('refuses the same participant twice (400)', () => {
    given(meetingDecider)
      .when({ ...record, participants: [{ personId: KARIMOV, partyId: AZ }, { personId: KARIMOV, partyId: AZ }] })
      .thenFails('bad_input', 'VALIDATION', 'participants[1].personId');
  });

  it('refuses a commitment by a party not in the meeting, or due before it (400)', () => {
    given(meetingDecider).when({ ...record, commitments: [{ description: 'x', partyIds: [MX] }] }).thenFails('bad_input', 'VALIDATION', 'commitments[0].partyIds[0]');
    given(meetingDecider).when({ ...record, commitments: [{ description: 'x', dueBy: '2019' }] }).thenFails('bad_input', 'VALIDATION', 'commitments[0].dueBy');
  });

  it('corrects a record with a new event that keeps the former values', () => {
    given(meetingDecider, [recorded])
      .when({ type: 'CorrectMeetingRecord', reason: 'UNHCR is another body', changes: { title: 'Virtual conference with the UN High Representative for the Alliance of Civilizations' } })
      .then([
        {
          type: 'MeetingRecordCorrected',
          data: expect.objectContaining({
            reason: 'UNHCR is another body',
            changes: { title: 'Virtual conference with the UN High Representative for the Alliance of Civilizations' },
            previous: { title: record.title },
          }),
        },
      ]);
  });

  it('treats a field given as undefined as absent, null as cleared, and compares values whatever their key order', () => {
    const events = given(meetingDecider, [recorded])
      .when({ type: 'CorrectMeetingRecord', reason: 'r', changes: { title: null, occurredOn: undefined, partyIds: undefined, participants: undefined } })
      .then([{ type: 'MeetingRecordCorrected' }]);
    const data = (events[0] as Extract<MeetingEvent, { type: 'MeetingRecordCorrected' }>).data;
    expect(data.changes).toEqual({ title: null });
    expect(data.corrected).toMatchObject({ occurredOn: '2020-12-02', partyIds: [AZ, UN], title: null });
    // As read back from jsonb: partyId before personId.
    const reordered = record.participants!.map((p) => ({ partyId: p.partyId, personId: p.personId }));
    given(meetingDecider, [recorded])
      .when({ type: 'CorrectMeetingRecord', reason: 'r', changes: { participants: reordered } })
      .thenFails('conflict', 'MEETING.NOTHING_TO_CORRECT');
  });

  it('refuses corrected participants that contradict the parties (400), naming the field the client sent', () => {
    given(meetingDecider, [recorded])
      .when({ type: 'CorrectMeetingRecord', reason: 'r', changes: { participants: [{ personId: KARIMOV, partyId: MX }] } })
      .thenFails('bad_input', 'VALIDATION', 'changes.participants[0].partyId');
    given(meetingDecider, [recorded])
      .when({ type: 'CorrectMeetingRecord', reason: 'r', changes: { partyIds: [AZ, MX] } })
      .thenFails('bad_input', 'VALIDATION', 'changes.partyIds');
    given(meetingDecider, [recorded])
      .when({ type: 'CorrectMeetingRecord', reason: 'r', changes: { partyIds: [AZ, MX], participants: [{ personId: KARIMOV, partyId: AZ }] } })
      .then([{ type: 'MeetingRecordCorrected' }]);
  });

  it('retracts a record, keeping what projections need to take it back', () => {
    given(meetingDecider, [recorded])
      .when({ type: 'RetractMeetingRecord', reason: 'duplicate' })
      .then([{ type: 'MeetingRecordRetracted', data: { meetingId: M, reason: 'duplicate', partyIds: [AZ, UN], occurredOn: '2020-12-02' } }]);
  });

  it('refuses a correction that changes nothing (409) and one on a retracted record (409)', () => {
    given(meetingDecider, [recorded]).when({ type: 'CorrectMeetingRecord', reason: 'r', changes: { title: record.title } }).thenFails('conflict', 'MEETING.NOTHING_TO_CORRECT');
    const retracted: MeetingEvent = { type: 'MeetingRecordRetracted', data: { meetingId: M, reason: 'dup', partyIds: [AZ, UN], occurredOn: '2020-12-02' } };
    given(meetingDecider, [recorded, retracted]).when({ type: 'CorrectMeetingRecord', reason: 'r', changes: { title: 'x' } }).thenFails('conflict', 'MEETING.RETRACTED');
    given(meetingDecider, [recorded, retracted]).when({ type: 'RetractMeetingRecord', reason: 'again' }).thenFails('conflict', 'MEETING.ALREADY_RETRACTED');
  });
});
