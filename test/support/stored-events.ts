import type { StoredEvent } from '../../src/event-store/event.types.js';

export interface EventFields {
  streamId: string;
  type: string;
  data: Record<string, unknown>;
  streamType?: string;
  occurredOn?: string | null;
  recordedAt?: Date;
}

export interface SequenceOptions {
  /** default `test` */
  streamType?: string;
  /** when event n was recorded; default one second apart from 2026-01-15T00:00:01Z */
  recordedAt?: (n: number) => Date;
}

/**
 * Stored events as the log would hand them to a projection, for the projections' unit specs:
 * positions 1, 2, 3 ... in commit order (transaction ids 1001, 1002 ...), version 1, schema 1,
 * each with a correlation id of its own (`c<n>`). One sequence per spec file.
 */
export function eventSequence(options: SequenceOptions = {}): (fields: EventFields) => StoredEvent {
  let n = 0;
  const recordedAt = options.recordedAt ?? ((k: number) => new Date(Date.UTC(2026, 0, 15, 0, 0, k)));
  return (f) => {
    n += 1;
    return {
      position: String(n),
      transactionId: String(1000 + n),
      streamId: f.streamId,
      streamType: f.streamType ?? options.streamType ?? 'test',
      version: 1,
      type: f.type,
      schemaVersion: 1,
      data: f.data,
      metadata: { actor: 'test', correlationId: `c${n}`, causationId: null },
      occurredOn: f.occurredOn ?? null,
      recordedAt: f.recordedAt ?? recordedAt(n),
      hash: '00',
    };
  };
}
