import { PartialDateField } from '../../../shared/validation.js';

export class EndAppointmentDto {
  @PartialDateField({ description: 'When the office ended; must not be wholly before the appointment began.', example: '2021' })
  on: string;
}
