import { IdField } from '../../../shared/validation.js';

export class AddForumPartnerDto {
  @IdField({ description: 'A registered party; neither an organiser nor a partner of the forum already.' })
  partyId: string;
}
