import { ApiProperty } from '@nestjs/swagger';
import { ParticipantView, PartyRefView } from '../../meetings/queries/meeting.view.js';
import { AGREEMENT_KINDS, AGREEMENT_STATUSES } from '../agreement.events.js';

/** Response shapes of the agreements read model, for the OpenAPI document. */

export class AmendmentView {
  @ApiProperty()
  summary: string;

  @ApiProperty({ description: 'A partial date.' })
  on: string;
}

export class RenewalView {
  @ApiProperty({ description: 'The new expiry, a partial date.' })
  expiresOn: string;

  @ApiProperty({ type: String, nullable: true, description: 'The expiry it replaced; null when the agreement had none.' })
  previousExpiresOn: string | null;
}

export class TerminationView {
  @ApiProperty({ description: 'A partial date: the agreement is terminated from its first day.' })
  on: string;

  @ApiProperty()
  reason: string;
}

export class AgreementView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ enum: AGREEMENT_KINDS })
  kind: string;

  @ApiProperty({
    enum: AGREEMENT_STATUSES,
    description:
      'Derived for today: terminated once the termination date has begun; expired when expiresOn is wholly before today; else in_force.',
  })
  status: string;

  @ApiProperty({ type: [PartyRefView] })
  parties: PartyRefView[];

  @ApiProperty({ description: 'A partial date.', example: '2022' })
  signedOn: string;

  @ApiProperty({ type: [ParticipantView], description: 'Who signed, and for which party.' })
  signatories: ParticipantView[];

  @ApiProperty({ type: String, nullable: true })
  effectiveFrom: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The current expiry, after any renewal.' })
  expiresOn: string | null;

  @ApiProperty({ type: [String] })
  areas: string[];

  @ApiProperty({ type: [AmendmentView], description: 'Oldest first.' })
  amendments: AmendmentView[];

  @ApiProperty({ type: [RenewalView], description: 'Oldest first.' })
  renewals: RenewalView[];

  @ApiProperty({ type: TerminationView, nullable: true })
  terminated: TerminationView | null;
}

export class AgreementPageView {
  @ApiProperty({ type: [AgreementView] })
  items: AgreementView[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last.' })
  next: string | null;
}
