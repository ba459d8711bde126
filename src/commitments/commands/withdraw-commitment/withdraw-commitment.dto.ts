import { Text } from '../../../shared/validation.js';

export class WithdrawCommitmentDto {
  @Text(2000, { example: 'The forum it was due at was suspended.' })
  reason: string;
}
