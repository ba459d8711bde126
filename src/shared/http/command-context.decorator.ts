import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { canonicalJson } from '../canonical-json.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import type { CommandContext } from '../commands/command-context.js';
import { AppError } from '../errors.js';
import { uuidv7 } from '../ids.js';

const KEY = /^[\x21-\x7e]{1,200}$/;

/** A request target without its query: `/api/v1/meetings`. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export function parseIfMatch(raw: string | string[] | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!m) {
    throw AppError.badInput([{ field: 'If-Match', message: 'must be a version as answered in ETag, e.g. "3"' }], 'The If-Match header is not valid.');
  }
  return Number(m[1]);
}

/** Everything a command needs to know about its request: who, which request, If-Match, Idempotency-Key. */
export const CommandCtx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const req = context.switchToHttp().getRequest<AuthedRequest>();
  const principal = req.principal!;
  const rawKey = req.headers['idempotency-key'];
  const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
  if (key !== undefined && !KEY.test(key)) {
    throw AppError.badInput([{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }], 'The Idempotency-Key header is not valid.');
  }
  return {
    actor: principal.label,
    role: principal.role,
    correlationId: req.correlationId || uuidv7(),
    requestId: req.id,
    expectedVersion: parseIfMatch(req.headers['if-match']),
    idempotencyKey: key,
    requestHash: key
      ? createHash('sha256').update(`${req.method} ${pathOf(req.url)}\n${canonicalJson(req.body ?? null)}`).digest('hex')
      : undefined,
  };
});
