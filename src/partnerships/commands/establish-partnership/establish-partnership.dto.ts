import { IdListField, PartialDateField, Text } from '../../../shared/validation.js';

export class EstablishPartnershipDto {
  @IdListField({ min: 2, max: 2, description: 'Exactly two distinct registered parties.' })
  partyIds: string[];

  @PartialDateField({ example: '2010' })
  since: string;

  @Text(2000, { optional: true, example: 'Partner of the Baku Process and the World Forum since 2010' })
  basis?: string | null;
}
