import { PartialDateField, Text } from '../../../shared/validation.js';

export class RecordForumHeldDto {
  @PartialDateField({ description: 'When it began, at the precision known: YYYY, YYYY-MM or YYYY-MM-DD.', example: '2011' })
  startsOn: string;

  @PartialDateField({ optional: true, description: 'When it ended, at the precision known; not wholly before startsOn.', example: '2011-04-09' })
  endsOn?: string | null;

  @Text(300, { optional: true, example: 'Baku' })
  venue?: string | null;
}
