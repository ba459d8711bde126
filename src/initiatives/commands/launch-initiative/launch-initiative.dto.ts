import { EnumField, IdField, IdListField, PartialDateField, Text } from '../../../shared/validation.js';
import { INITIATIVE_KINDS, type InitiativeKind } from '../../initiative.events.js';

export class LaunchInitiativeDto {
  @Text(300, { example: 'Baku Process' })
  name: string;

  @EnumField(INITIATIVE_KINDS)
  kind: InitiativeKind;

  @PartialDateField({ example: '2008' })
  launchedOn: string;

  @IdField({ description: 'The party that leads it.' })
  leadPartyId: string;

  @IdListField({ optional: true, max: 100 })
  partnerPartyIds?: string[] | null;
}
