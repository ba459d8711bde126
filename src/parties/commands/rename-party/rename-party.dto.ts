import { PartialDateField, Text } from '../../../shared/validation.js';

export class RenamePartyDto {
  @Text(300, { example: 'Islamic World Educational, Scientific and Cultural Organization' })
  name: string;

  @Text(50, { optional: true, example: 'ICESCO' })
  shortName?: string | null;

  @PartialDateField({ description: 'When the new name took effect.', example: '2020' })
  effectiveOn: string;
}
