/**
 * One error vocabulary for the whole service. Domain code throws these; one exception
 * filter (problem.filter.ts) turns them into RFC 9457 problem+json with the contract's status.
 */
export interface FieldError {
  field: string;
  message: string;
}

export type ErrorKind =
  | 'bad_input' // 400: the body is malformed or contradicts itself
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409: breaks a business rule given what was recorded before
  | 'precondition_failed' // 412: If-Match is stale
  | 'unsupported_media_type' // 415: a body that is not JSON
  | 'unprocessable' // 422: names something that does not exist; idempotency key reuse
  | 'unavailable'; // 503

export const STATUS_OF: Record<ErrorKind, number> = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unsupported_media_type: 415,
  unprocessable: 422,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** stable, machine-readable: `FORUM.ALREADY_HELD`, `VALIDATION`, ... */
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS_OF[this.kind];
  }

  static badInput(errors: FieldError[], message = 'The request body is not valid.'): AppError {
    return new AppError('bad_input', 'VALIDATION', message, errors);
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('not_found', 'NOT_FOUND', `No ${what} with id ${id}.`);
  }

  static unknownReferences(errors: FieldError[]): AppError {
    return new AppError('unprocessable', 'UNKNOWN_REFERENCE', 'The body names something that is not registered.', errors);
  }

  static rule(code: string, message: string): AppError {
    return new AppError('conflict', code, message);
  }
}

/** Raised by the event store when a stream is not at the version the writer expected. */
export class ConcurrencyError extends AppError {
  constructor(
    readonly streamId: string,
    readonly expected: number | 'any' | 'none',
    readonly actual: number,
  ) {
    super(
      'precondition_failed',
      'CONCURRENCY.STALE_VERSION',
      `Stream ${streamId} is at version ${actual}, not ${expected}.`,
    );
    this.name = 'ConcurrencyError';
  }
}

/** A decider's refusal: the command breaks a business rule (409). */
export function rule(code: string, message: string): AppError {
  return AppError.rule(code, message);
}

/** A decider's refusal of a body that contradicts itself (400). */
export function invalid(field: string, message: string): AppError {
  return AppError.badInput([{ field, message }]);
}
