import type { HookHandlerDoneFunction } from 'fastify';
import type { HttpReply, HttpRequest } from './http-types.js';

const CORRELATION = /^[\x21-\x7e]{1,200}$/;

/**
 * Gives each request a correlation id (the client's X-Correlation-Id when sane, else the
 * request's own id, a uuidv7 from Fastify's `genReqId`, see app.ts) and sends both back.
 */
export function requestIds(req: HttpRequest, reply: HttpReply, done: HookHandlerDoneFunction): void {
  const given = req.headers['x-correlation-id'];
  const value = Array.isArray(given) ? given[0] : given;
  req.correlationId = value && CORRELATION.test(value) ? value : req.id;
  // On the raw response: the streams written after reply.hijack() (the export, the live feed) carry them too.
  reply.raw.setHeader('X-Correlation-Id', req.correlationId);
  reply.raw.setHeader('X-Request-Id', req.id);
  done();
}
