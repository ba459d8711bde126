import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The largest body the service reads (a meeting with its summary and commitments fits many times over). */
export const BODY_LIMIT = 256 * 1024;

/**
 * A body the service could not read: not JSON, too large, in a charset other than UTF-8. Named
 * by `type` (`entity.parse.failed`, `entity.too.large`, `charset.unsupported`,
 * `request.size.invalid`); ProblemFilter answers it as `urn:entente:problem:<type>`.
 */
export class BodyError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** The charset parameter of a Content-Type, lower-cased, or null. */
function charsetOf(contentType: string | undefined): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '');
  return m ? m[1].toLowerCase() : null;
}

/** Whether the first character that is not JSON whitespace opens an object or an array. */
function opensObjectOrArray(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

/**
 * The one JSON reader of the service, in place of Fastify's own:
 * - only an object or an array at the top (a bare string or number is 400, as the contract's
 *   bodies are all objects);
 * - UTF-8 only (another charset is 415);
 * - an empty body is `{}`, so that validation names the missing fields;
 * - `__proto__` and `constructor` keys are kept as plain keys (JSON.parse never touches the
 *   prototype with them) for the body guard to refuse them by name, rather than a parser error.
 * Any other content type is left unread here: the body guard answers 415 for it.
 */
export function registerJsonBody(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req: FastifyRequest, body, done) => {
    const charset = charsetOf(req.headers['content-type']);
    if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
      done(new BodyError('charset.unsupported', 415, `unsupported charset "${charset.toUpperCase()}"`), undefined);
      return;
    }
    const text = body as string;
    if (text.length === 0) return done(null, {});
    if (!opensObjectOrArray(text)) return done(new BodyError('entity.parse.failed', 400, 'The body is not a JSON object or array.'), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      done(new BodyError('entity.parse.failed', 400, (err as Error).message), undefined);
      return;
    }
    done(null, parsed);
  });
  // Every other type: not read, so that the body guard can answer 415 problem+json.
  fastify.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
}
