import { PartialDateField } from '../../../shared/validation.js';

export class RenewAgreementDto {
  @PartialDateField({ description: 'The new expiry; its last day must be after that of the current expiry.', example: '2030' })
  expiresOn: string;
}
