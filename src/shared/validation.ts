import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { isFullDate, isPartialDate } from './partial-date.js';

/** Text a person typed: a string, not blank, no control characters (NUL breaks jsonb), within a limit. */
export function Text(max: number, options: { optional?: boolean; description?: string; example?: string } = {}) {
  const doc = { type: String, maxLength: max, description: options.description, example: options.example };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsString(),
    MaxLength(max),
    ValidateBy({
      name: 'isPlainText',
      validator: {
        validate: (v) => typeof v === 'string' && v.trim().length > 0 && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v),
        defaultMessage: (a) => `${a?.property} must be non-blank text without control characters`,
      },
    }),
  );
}

export function IsPartialDate(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isPartialDate',
      validator: {
        validate: (v) => isPartialDate(v),
        defaultMessage: (a) => `${a?.property} must be a real date written YYYY, YYYY-MM or YYYY-MM-DD`,
      },
    },
    options,
  );
}

export function IsFullDate(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isFullDate',
      validator: {
        validate: (v) => isFullDate(v),
        defaultMessage: (a) => `${a?.property} must be a real calendar day written YYYY-MM-DD`,
      },
    },
    options,
  );
}

/** A partial date field (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`). */
export function PartialDateField(options: { optional?: boolean; description?: string; example?: string } = {}) {
  const doc = {
    type: String,
    description: options.description ?? 'A partial date: YYYY, YYYY-MM or YYYY-MM-DD, kept at the precision given.',
    example: options.example ?? '2020-12-02',
    pattern: '^\\d{4}(-\\d{2}(-\\d{2})?)?$',
  };
  return applyDecorators(...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]), IsPartialDate());
}

export function FullDateField(options: { optional?: boolean; description?: string; example?: string } = {}) {
  const doc = { type: String, format: 'date', description: options.description, example: options.example ?? '2026-10-05' };
  return applyDecorators(...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]), IsFullDate());
}

export function IdField(options: { optional?: boolean; description?: string } = {}) {
  const doc = { type: String, format: 'uuid', description: options.description };
  return applyDecorators(...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]), IsUUID('all'));
}

/** A list of distinct ids. */
export function IdListField(options: { min?: number; max?: number; optional?: boolean; description?: string } = {}) {
  const doc = { type: [String], format: 'uuid', minItems: options.min, maxItems: options.max ?? 100, description: options.description } as ApiPropertyOptions;
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsArray(),
    ...(options.min ? [ArrayMinSize(options.min)] : []),
    ArrayMaxSize(options.max ?? 100),
    ArrayUnique({ message: '$property must not name the same id twice' }),
    IsUUID('all', { each: true }),
  );
}

export function TextListField(options: { min?: number; max?: number; itemMax: number; optional?: boolean; description?: string }) {
  const doc = { type: [String], minItems: options.min, maxItems: options.max ?? 50, description: options.description } as ApiPropertyOptions;
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsArray(),
    ...(options.min ? [ArrayMinSize(options.min)] : []),
    ArrayMaxSize(options.max ?? 50),
    IsString({ each: true }),
    MaxLength(options.itemMax, { each: true }),
    ValidateBy({
      name: 'noBlankItems',
      validator: {
        validate: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim().length > 0 && !s.includes('\u0000')),
        defaultMessage: (a) => `${a?.property} must hold non-blank texts`,
      },
    }),
  );
}

export function EnumField<T extends string>(values: readonly T[], options: { optional?: boolean; description?: string } = {}) {
  const doc = { enum: values as unknown as string[], description: options.description };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsIn(values as unknown as string[], { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

export function NestedListField(type: () => new () => object, options: { min?: number; max: number; optional?: boolean; description?: string }) {
  const doc = { type: () => [type()], minItems: options.min, maxItems: options.max, description: options.description };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc as never)] : [ApiProperty(doc as never)]),
    IsArray(),
    ...(options.min ? [ArrayMinSize(options.min)] : []),
    ArrayMaxSize(options.max),
    ValidateNested({ each: true }),
    Type(type),
  );
}
