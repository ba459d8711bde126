import { PartialDateField, Text } from '../../../shared/validation.js';

export class TerminateAgreementDto {
  @PartialDateField({ description: 'When the termination took effect; not before the signature.', example: '2024-01' })
  on: string;

  @Text(2000, { example: 'Superseded by a new agreement.' })
  reason: string;
}
