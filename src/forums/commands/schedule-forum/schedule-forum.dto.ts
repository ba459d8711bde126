import { FullDateField, Text } from '../../../shared/validation.js';

export class ScheduleForumDto {
  @FullDateField({ description: 'First day, YYYY-MM-DD.', example: '2026-05-01' })
  startsOn: string;

  @FullDateField({ description: 'Last day, YYYY-MM-DD; not before startsOn.', example: '2026-05-03' })
  endsOn: string;

  @Text(300, { optional: true, example: 'Baku Congress Center' })
  venue?: string | null;
}
