import type { NestFastifyApplication } from '@nestjs/platform-fastify';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;
import type { HelmetOptions } from 'helmet';

/**
 * helmet's defaults (a CSP of `default-src 'self'`, HSTS, nosniff, X-Frame-Options, no
 * X-Powered-By ...): the dashboard and the OpenAPI UI load only same-origin scripts, so the
 * default CSP holds. One change: no `upgrade-insecure-requests`, which would send a browser
 * that reached the service over plain HTTP (an intranet address) to https for every script
 * and stylesheet, and break both pages. Behind a TLS proxy pages are https anyway.
 */
export const helmetOptions: HelmetOptions = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/** CORS, only when CORS_ORIGINS is set: those origins may call with a bearer token. */
export function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'X-Correlation-Id'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Correlation-Id', 'X-Request-Id'],
    credentials: false,
    maxAge: 600,
  };
}
