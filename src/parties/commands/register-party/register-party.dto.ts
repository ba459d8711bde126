import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { EnumField, IdField, Text } from '../../../shared/validation.js';
import { PARTY_KINDS, type PartyKind } from '../../party.events.js';

export class RegisterPartyDto {
  @Text(300, { example: 'United Nations Alliance of Civilizations' })
  name: string;

  @EnumField(PARTY_KINDS)
  kind: PartyKind;

  @Text(50, { optional: true, example: 'UNAOC' })
  shortName?: string | null;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2', example: 'AZ' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be an ISO 3166-1 alpha-2 code such as AZ' })
  countryCode?: string | null;

  @IdField({ optional: true, description: 'The party this one belongs to (a ministry of a state).' })
  parentPartyId?: string | null;
}
