import { AppError } from '../errors.js';

export interface Page<T> {
  items: T[];
  next: string | null;
}

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes an opaque cursor; a cursor this service did not give is 400. */
export function decodeCursor<T>(raw: string | undefined, check: (v: unknown) => v is T): T | null {
  if (raw === undefined || raw === '') return null;
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    /* falls through */
  }
  throw AppError.badInput([{ field: 'cursor', message: 'is not a cursor this service gave' }], 'The cursor is not valid.');
}

export function pageLimit(raw: string | number | undefined): number {
  return raw === undefined || raw === '' ? 50 : Number(raw);
}
