import { Text } from '../../../shared/validation.js';

export class RegisterPersonDto {
  @Text(300, { example: 'Anar Karimov' })
  fullName: string;
}
