import { Text } from '../../../shared/validation.js';

export class CancelForumDto {
  @Text(2000, { example: 'The hosting initiative was not taken up.' })
  reason: string;
}
