import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IdField, IdListField, PartialDateField, Text } from '../../../shared/validation.js';

export class AnnounceForumDto {
  @Text(300, { example: 'World Forum on Intercultural Dialogue' })
  series: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 10000, example: 7 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  edition?: number | null;

  @Text(500, { optional: true })
  title?: string | null;

  @Text(200, { optional: true, example: 'Baku' })
  hostCity?: string | null;

  @IdField({ optional: true })
  hostPartyId?: string | null;

  @PartialDateField({ example: '2026' })
  plannedFor: string;

  @IdListField({ min: 1, max: 50 })
  organizerPartyIds: string[];

  @IdListField({ optional: true, max: 100 })
  partnerPartyIds?: string[] | null;

  @ApiPropertyOptional({ type: Boolean, description: 'A hosting initiative not yet agreed: ForumProposed.' })
  @IsOptional()
  @IsBoolean()
  proposed?: boolean | null;
}
