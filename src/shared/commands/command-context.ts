/** Who sent a command and how: taken from the HTTP request, written into every event's metadata. */
export interface CommandContext {
  actor: string;
  role: string;
  correlationId: string;
  requestId: string;
  /** from If-Match: the version the client last saw */
  expectedVersion?: number;
  idempotencyKey?: string;
  /** hash of method, route and body, to tell a retry from a reuse of the key */
  requestHash?: string;
  sourceRef?: string;
}

export interface CommandResult {
  id: string;
  version: number;
  position: string;
}

/** What a command handler answers: the contract's body, and whether it created the stream. */
export interface CommandOutcome {
  status: 200 | 201;
  body: CommandResult;
}
