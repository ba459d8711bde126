import { Text } from '../../../shared/validation.js';

export class RetractMeetingRecordDto {
  @Text(2000, { description: 'Why the record should not count (a duplicate, a meeting that never took place).', example: 'Duplicate of the record of the same meeting.' })
  reason: string;
}
