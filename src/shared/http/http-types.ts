import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Principal } from '../auth/access.js';

declare module 'fastify' {
  /**
   * What the service's own request hooks and guards add to a request. Each field is declared
   * once on Fastify's request (`decorateRequest`, see app.ts), so that every request object has
   * the same shape.
   */
  interface FastifyRequest {
    /** the client's X-Correlation-Id when sane, else the request id */
    correlationId: string;
    /** who sent it, set by the auth guard on every route that needs a token */
    principal: Principal | null;
    /** the logger of the request's async context, carrying its correlation id (requestLogging) */
    logger: Logger<string> | null;
  }
}

/** A request as the service's code sees it (Fastify's, through @nestjs/platform-fastify). */
export type HttpRequest = FastifyRequest;
export type HttpReply = FastifyReply;
