import { PartialDateField } from '../../../shared/validation.js';

export class ConfirmForumDto {
  @PartialDateField({
    optional: true,
    description: 'When it is now planned for (YYYY, YYYY-MM or YYYY-MM-DD). Needed when the forum was postponed without a date.',
    example: '2024',
  })
  plannedFor?: string | null;
}
