/** What a decider produces: a fact, under its fixed persisted type name. */
export interface NewEvent<T extends string = string, D extends object = object> {
  type: T;
  data: D;
  /** business time: the world date of the fact, when it has one (a partial date) */
  occurredOn?: string | null;
  schemaVersion?: number;
}

export interface EventMetadata {
  /** the token label of who sent the command (`seed` for the seeds) */
  actor: string;
  role?: string;
  correlationId: string;
  causationId: string | null;
  requestId?: string;
  idempotencyKey?: string | null;
  sourceRef?: string;
  [extra: string]: unknown;
}

/** The stream must be at this version (0: must not exist yet), or `any`. */
export type ExpectedVersion = number | 'any';

export interface StreamWrite {
  streamId: string;
  streamType: string;
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
}

/** Positions are bigint in the database; they stay strings here so no precision is lost. */
export interface StoredEvent<D = Record<string, unknown>> {
  position: string;
  transactionId: string;
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  occurredOn: string | null;
  recordedAt: Date;
  hash: string;
}

export interface AppendResult {
  /** new version of each stream written, in the order given */
  streams: { streamId: string; version: number }[];
  /** global position of the last event written */
  position: string;
  transactionId: string;
}

/** A place in the log in commit order: (transaction_id, global_position). */
export interface LogCursor {
  transactionId: string;
  position: string;
}

export const START_OF_LOG: LogCursor = { transactionId: '0', position: '0' };
