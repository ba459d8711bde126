import { PartialDateField, Text } from '../../../shared/validation.js';

export class FulfilCommitmentDto {
  @PartialDateField({ description: 'When it was fulfilled; not before it was made.', example: '2021-05' })
  on: string;

  @Text(2000, { optional: true, example: 'Projects presented at the 6th World Forum.' })
  note?: string | null;
}
