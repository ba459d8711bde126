import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.js';

export interface HashedContent {
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  occurredOn: string | null;
  recordedAt: Date;
}

/**
 * An event's hash covers its whole content and the previous hash of its stream, so that a
 * change to any stored field, or a removed or reordered event of the stream, breaks the chain.
 */
export function eventHash(previousHash: Buffer | null, e: HashedContent): Buffer {
  return createHash('sha256')
    .update(previousHash ?? Buffer.alloc(32))
    .update(
      canonicalJson({
        streamId: e.streamId,
        streamType: e.streamType,
        version: e.version,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        occurredOn: e.occurredOn,
        recordedAt: e.recordedAt.toISOString(),
      }),
    )
    .digest();
}
