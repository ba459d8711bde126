import type { StoredEvent } from '../event-store/event.types.js';

/** The transaction a projection writes in; its checkpoint is saved in the same one. */
export interface ProjectionTx {
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * A read model's writer: its name (also its checkpoint's), the event types it handles and
 * how it applies one. Handlers must be deterministic: a rebuild gives the same rows.
 */
export interface Projection {
  readonly name: string;
  readonly handles: readonly string[];
  apply(event: StoredEvent, tx: ProjectionTx): Promise<void>;
}

export const PROJECTIONS = Symbol('PROJECTIONS');
