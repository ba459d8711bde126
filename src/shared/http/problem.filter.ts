import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { isConnectionLoss } from '../../database/connection-loss.js';
import { AppError, type FieldError } from '../errors.js';

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
    const res = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    if (res.headersSent) {
      res.end();
      return;
    }
    if (exception instanceof AppError && exception.headers) {
      for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
    }
    if (problem.status === 503 && !res.getHeader('Retry-After')) res.setHeader('Retry-After', '2');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
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
    // body-parser's errors: malformed JSON, body too large, wrong charset.
    const bodyError = exception as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
    if (bodyError && typeof bodyError === 'object' && typeof bodyError.type === 'string' && bodyError.expose) {
      const status = bodyError.status ?? bodyError.statusCode ?? 400;
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
