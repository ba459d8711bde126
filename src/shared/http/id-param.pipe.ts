import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { AppError } from '../errors.js';
import { isUuid } from '../ids.js';

/** An id in the path must be a UUID: 400 naming the parameter otherwise. */
@Injectable()
export class IdParam implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!isUuid(value)) throw AppError.badInput([{ field: meta.data ?? 'id', message: 'must be a UUID' }], 'The path holds an id that is not a UUID.');
    return value.toLowerCase();
  }
}
