import { createHash } from 'node:crypto';
import type { HttpReply, HttpRequest } from './http-types.js';

/**
 * A weak tag of a body: its length and the start of its SHA-1 (the form Express used, so a tag a
 * client kept from before the move to Fastify still matches the same body).
 */
export function weakTag(body: string | Buffer): string {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  return `W/"${length.toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`;
}

/** Whether an If-None-Match names `tag` (weak comparison: `W/"x"` and `"x"` are the same tag). */
export function noneMatch(header: string, tag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (t: string) => (t.startsWith('W/') ? t.slice(2) : t);
  const wanted = opaque(tag);
  return header.split(',').some((t) => opaque(t.trim()) === wanted);
}

/** Longer texts are sent as bytes (see textAsBytes). */
const LONG_TEXT = 4096;

type OnSendDone = (err: Error | null, payload?: unknown) => void;

/**
 * An onSend hook: a long text answer leaves as its UTF-8 bytes, encoded once. Fastify would scan
 * the text for its Content-Length and then encode it again to write it (a page of GET /events,
 * about 1 MB: the scan alone was 12% of the service's CPU while paging).
 */
export function textAsBytes(_req: HttpRequest, _reply: HttpReply, payload: unknown, done: OnSendDone): void {
  done(null, typeof payload === 'string' && payload.length > LONG_TEXT ? Buffer.from(payload) : payload);
}

/**
 * Conditional GET for every read (an onSend hook): a 2xx answer to GET or HEAD gets a weak ETag
 * of its body unless its handler set one (GET /events tags a page by what decides it), and an
 * If-None-Match that names that tag gets 304 Not Modified with no body. A dashboard polling a
 * read model that has not changed then gets a few hundred bytes instead of the whole answer.
 * Streams (the export, the live feed) are left alone.
 */
export function conditionalGet(req: HttpRequest, reply: HttpReply, payload: unknown, done: OnSendDone): void {
  const status = reply.statusCode;
  if ((req.method !== 'GET' && req.method !== 'HEAD') || status < 200 || status >= 300) return done(null, payload);
  let tag = reply.getHeader('etag');
  if (tag === undefined) {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    tag = weakTag(payload);
    reply.header('ETag', tag);
  }
  const ifNoneMatch = req.headers['if-none-match'];
  const cacheControl = req.headers['cache-control'];
  if (typeof ifNoneMatch === 'string' && !(cacheControl && /(?:^|,)\s*no-cache\s*(?:,|$)/.test(cacheControl)) && noneMatch(ifNoneMatch, String(tag))) {
    reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return done(null, '');
  }
  done(null, payload);
}
