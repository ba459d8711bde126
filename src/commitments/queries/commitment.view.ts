import { ApiProperty } from '@nestjs/swagger';
import { PartyRefView, RetractionView } from '../../meetings/queries/meeting.view.js';
import { COMMITMENT_STATUSES } from '../commitment.decider.js';

/** Response shapes of the commitments read model, for the OpenAPI document. */

export class CommitmentView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: [PartyRefView], description: 'Who committed.' })
  parties: PartyRefView[];

  @ApiProperty({ type: String, nullable: true, description: 'A partial date.', example: '2021' })
  dueBy: string | null;

  @ApiProperty({ enum: COMMITMENT_STATUSES })
  status: string;

  @ApiProperty({ description: 'Derived for today: open, and its due date is wholly before today.' })
  overdue: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The meeting it was made in.' })
  meetingId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The forum it is due at.' })
  forumId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The meeting\'s date, a partial date.' })
  madeOn: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'A partial date; set once fulfilled.' })
  fulfilledOn: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The note given with the fulfilment.' })
  note: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Set once withdrawn.' })
  withdrawnReason: string | null;

  @ApiProperty({
    type: RetractionView,
    nullable: true,
    description: 'Set when the meeting it was made in was retracted: such a commitment is in no list, but still answers by id.',
  })
  meetingRetracted: RetractionView | null;
}

export class CommitmentPageView {
  @ApiProperty({ type: [CommitmentView] })
  items: CommitmentView[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last.' })
  next: string | null;
}
