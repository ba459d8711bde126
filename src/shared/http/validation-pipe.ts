import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, type FieldError } from '../errors.js';

/** Flattens class-validator's tree into one entry per problem, named by its path: `participants[0].personId`. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    // An empty field name ({"": 1}) is named by its JSON spelling, so that every error names a field.
    const name = e.property === '' ? '""' : e.property;
    const path = /^\d+$/.test(name) ? `${parent}[${name}]` : parent ? `${parent}.${name}` : name;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ field: path, message: message.replace(/^property (.*) should not exist$/, (_, p: string) => `${p || '""'} is not a known field`) });
    }
    if (e.children?.length) out.push(...fieldErrors(e.children, path));
  }
  return out;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => AppError.badInput(fieldErrors(errors)),
  });
}
