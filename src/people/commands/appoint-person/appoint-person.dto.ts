import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { IdField, PartialDateField, Text } from '../../../shared/validation.js';

export class AppointPersonDto {
  @IdField({ description: 'The party where the office is held (a registered party).' })
  partyId: string;

  @Text(300, { example: 'First Deputy Minister and Acting Minister of Culture' })
  title: string;

  @PartialDateField({ description: 'When the office began (or the earliest date it is known to be held).', example: '2020-12' })
  from: string;

  @PartialDateField({ optional: true, description: 'When the office ended, if already known; must not be wholly before `from`.', example: '2021' })
  to?: string | null;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Held in an acting capacity.' })
  @IsOptional()
  @IsBoolean()
  acting?: boolean | null;
}
