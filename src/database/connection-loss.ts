/**
 * Whether an error means "the database cannot be reached right now" (the server is down,
 * restarting, refusing connections, or dropped ours), as opposed to a bug or bad input. Such
 * an error is the client's 503 with Retry-After, not a 500: the pool reconnects by itself
 * once the server is back.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/** SQLSTATE: connection exceptions (08), operator intervention (57P01-57P03), too many connections (53300). */
const SQLSTATES = /^(08\d{3}|57P0[123]|53300)$/;

const MESSAGES = [
  /connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /connection is not open/i,
];

export function isConnectionLoss(err: unknown): boolean {
  const seen = new Set<unknown>();
  // TypeORM wraps the driver's error (driverError); Node wraps causes (cause); AggregateError lists several.
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, driverError, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.test(code))) return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    queue.push(driverError, cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return false;
}
