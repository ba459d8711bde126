import type { Duplex } from 'node:stream';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { AppError } from '../errors.js';
import type { HttpRequest } from './http-types.js';

/** No body of the contract nests deeper than 5; class-transformer recurses, so a deep body would blow its stack. */
export const MAX_BODY_DEPTH = 16;

/** Keys that name the prototype chain: class-transformer drops them silently; we refuse them as unknown fields. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Text PostgreSQL's jsonb cannot hold: a lone UTF-16 surrogate (JSON allows `"\ud800"`, jsonb
 * refuses it) or NUL. Refused up front, so that no such string reaches an insert (it was a 500).
 */
const NOT_STORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks a parsed JSON body before anything recurses over it (the validation pipe, the
 * Idempotency-Key request hash): bounded depth, no prototype keys, only text jsonb can store.
 * Iterative, so that a body nested 100,000 levels deep costs a loop, not a stack overflow.
 * Answers the first problem.
 */
export function bodyProblem(body: unknown): { field: string; message: string } | null {
  const badText = (v: unknown, field: string) =>
    typeof v === 'string' && NOT_STORABLE.test(v) ? { field: field || 'body', message: 'holds a NUL or a lone UTF-16 surrogate, which is not text' } : null;
  if (body === null || typeof body !== 'object') return badText(body, '');
  const stack: { value: object; path: string; depth: number }[] = [{ value: body, path: '', depth: 1 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) return { field: path || 'body', message: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const v = value[i];
        if (v !== null && typeof v === 'object') stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 });
        else if (badText(v, `${path}[${i}]`)) return badText(v, `${path}[${i}]`);
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return { field, message: `${key} is not a known field` };
      if (NOT_STORABLE.test(key)) return { field: path || 'body', message: 'has a field name that is not text' };
      const v = (value as Record<string, unknown>)[key];
      if (v !== null && typeof v === 'object') stack.push({ value: v, path: field, depth: depth + 1 });
      else if (badText(v, field)) return badText(v, field);
    }
  }
  return null;
}

function hasBody(req: HttpRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Whether the Content-Type names JSON (`application/json`, any case, any parameters). */
function isJson(req: HttpRequest): boolean {
  const type = req.headers['content-type'];
  if (typeof type !== 'string') return false;
  const semicolon = type.indexOf(';');
  return (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}

/**
 * Runs after the auth guard and before any pipe or parameter decorator: a body that is not
 * JSON is 415 (rather than an empty body's "name must be a string"), and a JSON body that is
 * too deep or names the prototype chain is 400.
 */
@Injectable()
export class BodyGuard implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<HttpRequest>();
      if (hasBody(req) && !isJson(req)) {
        throw new AppError('unsupported_media_type', 'UNSUPPORTED_MEDIA_TYPE', 'The body must be JSON, sent as application/json.', [
          { field: 'Content-Type', message: 'must be application/json' },
        ]);
      }
      const problem = bodyProblem(req.body);
      if (problem) throw AppError.badInput([problem]);
    }
    return next.handle();
  }
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
  HPE_HEADER_TIMEOUT: [408, 'Request Timeout'],
};

/**
 * The HTTP server's own refusals (a request line or headers too long, a malformed request)
 * happen before Fastify: Node answers them with a bare status line. This answers them as
 * problem+json too, then closes the connection as Node does.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, title] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request'];
  const detail =
    status === 431 ? 'The request line or headers are longer than the service accepts.' : status === 408 ? 'The request took too long to arrive.' : 'The request is not valid HTTP.';
  const body = JSON.stringify({ type: `urn:entente:problem:http-${status}`, title, status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
