import { PartialDateField, Text } from '../../../shared/validation.js';

export class AmendAgreementDto {
  @Text(5000, { description: 'What the amendment changes.', example: 'Adds youth exchanges to the areas of cooperation.' })
  summary: string;

  @PartialDateField({ description: 'When the amendment was agreed; not before the signature.', example: '2023-03' })
  on: string;
}
