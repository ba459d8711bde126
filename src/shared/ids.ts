import { createHash, randomFillSync } from 'node:crypto';

/** A time-ordered UUID (RFC 9562 version 7): 48 bits of Unix milliseconds, then randomness. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = random16();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return format(bytes);
}

/**
 * Randomness comes from a pool filled 256 ids at a time (as crypto.randomUUID does): one
 * getrandom call per id was a visible part of a request's CPU (bench/README.md).
 */
const pool = Buffer.allocUnsafe(16 * 256);
let taken = pool.length;
function random16(): Buffer {
  if (taken === pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const bytes = Buffer.from(pool.subarray(taken, taken + 16));
  taken += 16;
  return bytes;
}

/** A name-based UUID (version 8 layout over SHA-256), stable for the same names. */
export function uuidFromNames(...names: string[]): string {
  const bytes = createHash('sha256').update(names.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return format(bytes);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function format(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
