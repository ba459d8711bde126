import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { type DestinationStream, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/config.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { uuidv7 } from '../shared/ids.js';

/**
 * Anything that could carry a secret, wherever a header object gets logged. The request
 * serializer below logs no headers at all; this is the second line.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'token',
];

/** Probes and scrapes come every few seconds: no request line for them. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * The options of pino-http: one JSON line per request and per log call, with the request's id
 * (`req.id`) and correlation id (from src/shared/http/request-id.middleware.ts, which runs
 * first) on every line logged while handling it, and the actor (the token's label) on the
 * request line. Never logged: bodies (commands carry names of people), headers (tokens).
 */
export function pinoHttpOptions(level: LogLevel): Options<IncomingMessage, ServerResponse> {
  return {
    level,
    base: { service: 'entente', hostname: hostname(), pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    messageKey: 'msg',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (req) => (req as AuthedRequest).requestId ?? uuidv7(),
    // Called when the request arrives (its logger gets the correlation id) and again when it
    // is answered (the request line gets the actor, known once the guard has run).
    customProps: (req, res) => {
      const r = req as AuthedRequest;
      if (!res.headersSent) return { correlationId: r.correlationId };
      return r.principal ? { actor: r.principal.label } : {};
    },
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    // 503 is an expected answer (a read model not caught up within the wait, the database
    // unreachable): a warning; any other 5xx is an error.
    customLogLevel: (_req, res, err) => (res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
  };
}

/**
 * Structured JSON logs (nestjs-pino). nestjs-pino keeps one root logger per process: the first
 * app started in a process sets the level and destination for every later one (the tests start
 * all theirs with the same LOG_LEVEL).
 */
@Module({})
export class LoggingModule {
  static forRoot(level: LogLevel, destination?: DestinationStream): DynamicModule {
    const options = pinoHttpOptions(level);
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options })],
    };
  }
}
