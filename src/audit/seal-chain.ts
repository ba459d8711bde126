import { createHash } from 'node:crypto';

/**
 * One link of the global chain: it covers the previous link, the event's place in the log and
 * the event's own hash (which covers its content and its stream's previous hash). Deleting,
 * inserting, editing or reordering any event breaks every link after it.
 */
export function chainLink(previous: Buffer | null, seq: string, position: string, eventHash: Buffer): Buffer {
  return createHash('sha256')
    .update(previous ?? Buffer.alloc(32))
    .update(`${seq}:${position}:`)
    .update(eventHash)
    .digest();
}
