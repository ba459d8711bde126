import { EnumField, IdField, IdListField, NestedListField, PartialDateField, Text, TextListField } from '../../../shared/validation.js';
import { MEETING_FORMATS, type MeetingFormat } from '../../meeting.events.js';

export class ParticipantDto {
  @IdField({ description: 'A registered person.' })
  personId: string;

  @IdField({ description: 'The party the person represented; one of the meeting\'s partyIds.' })
  partyId: string;
}

export class CommitmentDto {
  @Text(2000)
  description: string;

  @IdListField({ optional: true, min: 1, max: 50, description: "Who committed; the meeting's parties when omitted." })
  partyIds?: string[] | null;

  @PartialDateField({ optional: true, example: '2021' })
  dueBy?: string | null;

  @IdField({ optional: true, description: 'The forum the commitment is due at.' })
  forumId?: string | null;
}

export class RecordMeetingDto {
  @PartialDateField()
  occurredOn: string;

  @EnumField(MEETING_FORMATS)
  format: MeetingFormat;

  @Text(300, { optional: true, example: 'Baku' })
  location?: string | null;

  @Text(500, { optional: true })
  title?: string | null;

  @IdListField({ min: 2, max: 50, description: 'Two or more distinct registered parties.' })
  partyIds: string[];

  @NestedListField(() => ParticipantDto, { optional: true, max: 200 })
  participants?: ParticipantDto[] | null;

  @TextListField({ min: 1, max: 50, itemMax: 500 })
  topics: string[];

  @Text(10000, { optional: true })
  summary?: string | null;

  @TextListField({ optional: true, max: 50, itemMax: 2000 })
  outcomes?: string[] | null;

  @NestedListField(() => CommitmentDto, { optional: true, max: 50 })
  commitments?: CommitmentDto[] | null;

  @Text(1000, { optional: true, description: 'Where the record comes from (an article, a minute).' })
  sourceRef?: string | null;
}
