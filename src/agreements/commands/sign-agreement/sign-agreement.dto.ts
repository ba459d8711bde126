import { EnumField, NestedListField, IdListField, PartialDateField, Text, TextListField } from '../../../shared/validation.js';
import { ParticipantDto } from '../../../meetings/commands/record-meeting/record-meeting.dto.js';
import { AGREEMENT_KINDS, type AgreementKind } from '../../agreement.events.js';

export class SignatoryDto extends ParticipantDto {}

export class SignAgreementDto {
  @Text(500, { example: 'Memorandum of Understanding between UNAOC and the Republic of Azerbaijan' })
  title: string;

  @EnumField(AGREEMENT_KINDS, { optional: true, description: 'Defaults to mou.' })
  kind?: AgreementKind | null;

  @IdListField({ min: 2, max: 50 })
  partyIds: string[];

  @PartialDateField({ example: '2022' })
  signedOn: string;

  @NestedListField(() => SignatoryDto, { optional: true, max: 50 })
  signatories?: SignatoryDto[] | null;

  @PartialDateField({ optional: true })
  effectiveFrom?: string | null;

  @PartialDateField({ optional: true })
  expiresOn?: string | null;

  @TextListField({ optional: true, max: 50, itemMax: 300 })
  areas?: string[] | null;
}
