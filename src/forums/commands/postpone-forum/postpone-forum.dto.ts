import { PartialDateField, Text } from '../../../shared/validation.js';

export class PostponeForumDto {
  @Text(2000, { example: 'Temporarily suspended because of the COVID-19 pandemic.' })
  reason: string;

  @PartialDateField({
    optional: true,
    description: 'The new date, when one is known; without it the forum is listed last among upcoming forums.',
    example: '2024',
  })
  plannedFor?: string | null;
}
