import type { StoredEvent } from '../event-store/event.types.js';

/**
 * The transaction a projection writes in; its checkpoint is saved in the same one.
 * Handlers name their tables unqualified: during a rebuild the search path points them
 * at shadow copies of the same tables.
 */
export interface ProjectionTx {
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * A read model's writer: its name (also its checkpoint's), the event types it handles, the
 * tables it alone writes, and how it applies one event. Handlers must be deterministic:
 * a rebuild from the start of the log must give the same rows.
 */
export interface Projection {
  readonly name: string;
  readonly handles: readonly string[];
  readonly tables: readonly string[];
  /**
   * Indexes (by name) that its own writes find rows by, other than primary keys and unique
   * constraints: a rebuild keeps them on the shadow tables while it fills them (it builds every
   * other index once, at the end). Without one, each such write scans the whole shadow table.
   */
  readonly writeIndexes?: readonly string[];
  apply(event: StoredEvent, tx: ProjectionTx): Promise<void>;
  /**
   * Optional: applies several events (in commit order) with set-based statements. Must leave
   * exactly the rows that `apply` event by event would; a failure rolls the batch back and the
   * runner retries it event by event with `apply`, to find the event at fault.
   */
  applyBatch?(events: StoredEvent[], tx: ProjectionTx): Promise<void>;
}

export const PROJECTIONS = Symbol('PROJECTIONS');

export interface ProjectionOptions {
  /** events per transaction while catching up */
  batchSize: number;
  /** poll interval, in case a NOTIFY is lost */
  pollMs: number;
  /** how long a lease lasts without a heartbeat: another instance takes over after it */
  leaseSeconds: number;
  heartbeatMs: number;
  /** first retry delay after a handler fails; doubles per failure up to maxRetryMs */
  retryBaseMs: number;
  maxRetryMs: number;
}

export const DEFAULT_PROJECTION_OPTIONS: ProjectionOptions = {
  batchSize: 500,
  pollMs: 1000,
  leaseSeconds: 5,
  heartbeatMs: 1000,
  retryBaseMs: 1000,
  maxRetryMs: 60_000,
};

export const PROJECTION_OPTIONS = Symbol('PROJECTION_OPTIONS');

/** A handler threw: which event, and why. */
export class ApplyError extends Error {
  constructor(
    readonly event: StoredEvent,
    readonly cause: unknown,
  ) {
    super(`${event.type} at position ${event.position}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ApplyError';
  }
}
