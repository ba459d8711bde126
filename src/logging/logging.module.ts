import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HookHandlerDoneFunction } from 'fastify';
import { hostname } from 'node:os';
import { type DynamicModule, type LogLevel as NestLogLevel, Module } from '@nestjs/common';
import { LoggerModule, type PinoLogger as NestPinoLogger } from 'nestjs-pino';
import { type DestinationStream, type Logger as PinoLogger, stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/config.js';
import type { HttpReply, HttpRequest } from '../shared/http/http-types.js';

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

/** Nest's own log levels at each of ours (Nest's logger goes through pino: see app.ts). */
export const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Probes and scrapes come every few seconds: no request line for them. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * The options of the one pino logger of the process (nestjs-pino builds it through pino-http,
 * whose request middleware we do not mount: see `requestLogging`).
 */
export function pinoHttpOptions(level: LogLevel, bindings: Record<string, string> = {}): Options<IncomingMessage, ServerResponse> {
  return {
    level,
    base: { service: 'entente', hostname: hostname(), pid: process.pid, ...bindings },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    messageKey: 'msg',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * One JSON line per request and the request's correlation id on every line logged while
 * handling it: two request hooks, `onRequest` after src/shared/http/request-ids.ts, and
 * `preHandler`.
 *
 * pino-http's middleware is not mounted: it built three child loggers per request (one of them
 * serializing the request) and computed the request line even when the level drops it: about
 * 5% of the service's CPU on RecordMeeting at LOG_LEVEL=warn (bench/README.md). Nor is
 * nestjs-pino's (see LoggingModule). Here a request costs one child logger with one short
 * binding, opened by `preHandler` as the logger of the request's async context (nestjs-pino's
 * `runInContext`), so `Logger` calls anywhere below carry the correlation id. `preHandler` runs
 * once the body is read: a context opened before the body's stream events would not reach the
 * handler. The request line is built only when its level is enabled, with the request's logger,
 * or a child of its own for a request answered before `preHandler` (a body that is not JSON).
 *
 * Never logged: bodies (commands carry names of people), headers (tokens).
 */
export function requestLogging(pino: NestPinoLogger) {
  // Outside a request, a PinoLogger's `logger` is the process's root pino logger.
  const root = pino.logger;
  const onRequest = (req: HttpRequest, reply: HttpReply, next: HookHandlerDoneFunction): void => {
    const started = performance.now();
    // the serializers above see the raw request, named by the request's id
    const raw = req.raw as unknown as { id?: unknown };
    raw.id = req.id;
    if (!QUIET_PATHS.test(req.url)) {
      const res = reply.raw;
      const done = () => {
        res.removeListener('finish', done);
        res.removeListener('close', done);
        // 503 is an expected answer (a read model not caught up within the wait, the database
        // unreachable): a warning; any other 5xx is an error (ProblemFilter logs its cause).
        const status = res.statusCode;
        const level = !res.writableFinished ? 'warn' : status === 503 ? 'warn' : status >= 500 ? 'error' : 'info';
        if (!root.isLevelEnabled(level)) return;
        const log = req.logger ?? root.child({ correlationId: req.correlationId });
        log[level](
          {
            // the serializers above pick what is logged of each
            req: raw,
            res,
            responseTime: Math.round(performance.now() - started),
            ...(req.principal ? { actor: req.principal.label } : {}),
          },
          res.writableFinished ? 'request completed' : 'request aborted',
        );
      };
      res.on('finish', done);
      res.on('close', done);
    }
    next();
  };
  const preHandler = (req: HttpRequest, _reply: HttpReply, next: HookHandlerDoneFunction): void => {
    pino.runInContext(
      () => {
        req.logger = pino.logger as unknown as PinoLogger<string>;
        next();
      },
      { bindings: { correlationId: req.correlationId } },
    );
  };
  return { onRequest, preHandler };
}

/**
 * Structured JSON logs (nestjs-pino). nestjs-pino keeps one root logger per process: the first
 * app started in a process sets the level and destination for every later one (the tests start
 * all theirs with the same LOG_LEVEL).
 */
@Module({})
export class LoggingModule {
  /** `bindings`: fields on every line (the projector thread's lines say `thread: projector`). */
  static forRoot(level: LogLevel, destination?: DestinationStream, bindings?: Record<string, string>): DynamicModule {
    const options = pinoHttpOptions(level, bindings);
    return {
      module: LoggingModule,
      // No middleware of nestjs-pino's (`forRoutes: []`): `requestLogging` opens each request's
      // logging context itself, without a middleware layer (@fastify/middie) around every request.
      imports: [LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options, useExisting: true, forRoutes: [] })],
    };
  }
}
