import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { HttpReply } from './http-types.js';
import { isConnectionLoss } from '../../database/connection-loss.js';
import { AppError, type FieldError } from '../errors.js';
import { BodyError } from './json-body.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
}

/** Every error leaves as RFC 9457 problem+json. Nothing below a controller knows about HTTP. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    this.send(host.switchToHttp().getResponse<HttpReply>(), exception);
  }

  /** Answers `exception` on `reply` as problem+json (also for the router's own refusals, see app.ts). */
  send(reply: HttpReply, exception: unknown): void {
    const problem = this.toProblem(exception);
    if (reply.sent || reply.raw.headersSent) {
      // Too late for an answer of its own (a stream that failed part way): cut it short.
      if (!reply.raw.writableEnded) reply.raw.destroy();
      return;
    }
    if (exception instanceof AppError && exception.headers) {
      for (const [k, v] of Object.entries(exception.headers)) reply.header(k, v);
    }
    if (problem.status === 503 && !reply.hasHeader('Retry-After')) reply.header('Retry-After', '2');
    reply.status(problem.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(JSON.stringify(problem));
  }

  toProblem(exception: unknown): Problem {
    if (exception instanceof AppError) {
      return {
        type: `urn:entente:problem:${exception.code.toLowerCase().replace(/[._]/g, '-')}`,
        title: TITLES[exception.status] ?? 'Error',
        status: exception.status,
        detail: exception.message,
        code: exception.code,
        ...(exception.errors ? { errors: exception.errors } : {}),
      };
    }
    // A body that could not be read: malformed JSON, too large, wrong charset, cut short.
    const bodyError = asBodyError(exception);
    if (bodyError) {
      const status = bodyError.status;
      const detail =
        bodyError.type === 'entity.parse.failed'
          ? 'The body is not valid JSON.'
          : bodyError.type === 'entity.too.large'
            ? 'The body is larger than the service accepts.'
            : (bodyError.message ?? 'The body could not be read.');
      return {
        type: `urn:entente:problem:${bodyError.type.replace(/\./g, '-')}`,
        title: TITLES[status] ?? 'Error',
        status,
        detail,
        ...(status === 400 ? { errors: [{ field: 'body', message: detail }] } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
      const text = Array.isArray(detail) ? detail.join('; ') : String(detail);
      return {
        type: 'about:blank',
        title: TITLES[status] ?? 'Error',
        status,
        detail: status === 400 && exception.cause ? `The body is not valid JSON: ${text}` : text,
        ...(status === 400 ? { errors: [{ field: 'body', message: text }] } : {}),
      };
    }
    if (isConnectionLoss(exception)) {
      this.log.warn(`database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      return {
        type: 'urn:entente:problem:database-unavailable',
        title: TITLES[503],
        status: 503,
        detail: 'The database cannot be reached right now; try again shortly.',
        code: 'DATABASE.UNAVAILABLE',
      };
    }
    this.log.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { type: 'about:blank', title: TITLES[500], status: 500, detail: 'Something went wrong on our side; it has been logged.' };
  }
}

/** Fastify's own refusals while reading a body, as the service names them (see BodyError). */
const FASTIFY_BODY_ERRORS: Record<string, [string, number]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['entity.too.large', 413],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['request.size.invalid', 400],
};

/**
 * The body error behind an exception: ours (json-body.ts), or one of Fastify's, which reach the
 * filter wrapped in an HttpException by the adapter (its `cause`).
 */
function asBodyError(exception: unknown): BodyError | null {
  if (exception instanceof BodyError) return exception;
  const cause = exception instanceof HttpException ? exception.cause : exception;
  const code = (cause as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? FASTIFY_BODY_ERRORS[code] : undefined;
  return known ? new BodyError(known[0], known[1], (cause as Error).message) : null;
}
