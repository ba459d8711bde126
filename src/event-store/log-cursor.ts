import type { LogCursor } from './event.types.js';

/** Orders two places in the log by commit order: transaction id, then position. */
export function compareCursors(a: LogCursor, b: LogCursor): number {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const pa = BigInt(a.position);
  const pb = BigInt(b.position);
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}
