import { ApiProperty } from '@nestjs/swagger';
import { MEETING_FORMATS } from '../meeting.events.js';

/** Response shapes of the meetings read model, for the OpenAPI document. */

export class PartyRefView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'The party\'s current name.' })
  name: string;
}

export class PersonRefView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  fullName: string;
}

export class ParticipantView {
  @ApiProperty({ type: PersonRefView })
  person: PersonRefView;

  @ApiProperty({ type: PartyRefView, description: 'The party the person represented.' })
  party: PartyRefView;
}

export class MeetingCommitmentView {
  @ApiProperty({ format: 'uuid', description: 'The commitment; see GET /commitments/{id} for its status.' })
  id: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: String, nullable: true, description: 'A partial date.' })
  dueBy: string | null;
}

export class MeetingCorrectionView {
  @ApiProperty()
  reason: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The fields that changed, with their new values.' })
  changes: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The same fields as they were before.' })
  previous: Record<string, unknown>;

  @ApiProperty({ format: 'date-time', description: 'When the correction was recorded.' })
  recordedAt: string;
}

export class RetractionView {
  @ApiProperty()
  reason: string;
}

export class MeetingView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'A partial date (YYYY, YYYY-MM or YYYY-MM-DD), as recorded.', example: '2020-12-02' })
  occurredOn: string;

  @ApiProperty({ enum: MEETING_FORMATS })
  format: string;

  @ApiProperty({ type: String, nullable: true })
  location: string | null;

  @ApiProperty({ type: String, nullable: true })
  title: string | null;

  @ApiProperty({ type: [PartyRefView] })
  parties: PartyRefView[];

  @ApiProperty({ type: [ParticipantView] })
  participants: ParticipantView[];

  @ApiProperty({ type: [String] })
  topics: string[];

  @ApiProperty({ type: String, nullable: true })
  summary: string | null;

  @ApiProperty({ type: [String] })
  outcomes: string[];

  @ApiProperty({ type: [MeetingCommitmentView], description: 'The commitments made in the meeting, in the order recorded.' })
  commitments: MeetingCommitmentView[];

  @ApiProperty({ type: String, nullable: true })
  sourceRef: string | null;

  @ApiProperty({ type: [MeetingCorrectionView], description: 'Every correction, oldest first. The fields above are the corrected record.' })
  corrections: MeetingCorrectionView[];

  @ApiProperty({ type: RetractionView, nullable: true, description: 'Set when the record was retracted; such a record is in no list.' })
  retracted: RetractionView | null;
}

export class MeetingPageView {
  @ApiProperty({ type: [MeetingView] })
  items: MeetingView[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last.' })
  next: string | null;
}
