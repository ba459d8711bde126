import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { serveDashboard } from './dashboard/static.js';
import type { Config } from './config/config.js';
import { NEST_LEVELS, requestLogging } from './logging/logging.module.js';
import { Metrics } from './metrics/metrics.service.js';
import type { ProjectionOptions } from './projections/projection.js';
import { corsOptions, helmetOptions } from './shared/http/hardening.js';
import { answerClientError, BodyGuard } from './shared/http/body-guard.js';
import { conditionalGet, textAsBytes } from './shared/http/conditional-get.js';
import { BODY_LIMIT, registerJsonBody } from './shared/http/json-body.js';
import { ProblemFilter } from './shared/http/problem.filter.js';
import type { HttpReply, HttpRequest } from './shared/http/http-types.js';
import { requestIds } from './shared/http/request-ids.js';
import { AppError } from './shared/errors.js';
import { uuidv7 } from './shared/ids.js';
import { createValidationPipe } from './shared/http/validation-pipe.js';

export interface AppOptions {
  projections?: Partial<ProjectionOptions>;
  /** the built dashboard served at `/` (default: dist/web under the package root) */
  dashboardDir?: string;
  /** where the JSON logs go (default: stdout); a test reads them here */
  logDestination?: DestinationStream;
}

/** Builds the whole HTTP application; main.ts and the e2e tests both start it this way. */
export async function createApp(config: Config, databaseUrl: string, options: AppOptions = {}): Promise<INestApplication> {
  const problems = new ProblemFilter();
  const securityHeaders = helmet(helmetOptions);
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    // An idle keep-alive connection is closed after 65 s: a client (or a proxy, whose idle
    // timeout is commonly 60 s) that sends on a connection the server is closing at that moment
    // gets a reset, and with Node's 5 s that happened to idle connections of a pool in ordinary
    // use (the reads benchmark saw one ECONNRESET in 2,400 requests).
    keepAliveTimeout: 65_000,
    // A request (headers and body) must arrive within 5 minutes, Node's own default, which
    // Fastify would turn off: a client trickling a request in must not hold a socket for ever.
    requestTimeout: 300_000,
    // The HTTP server's own refusals (a request line or headers too long) as problem+json.
    clientErrorHandler: answerClientError,
    // Our own request hooks log requests and name them (requestIds, requestLogging): a request's
    // id is a uuidv7, as the ids of everything it writes.
    logger: false,
    genReqId: () => uuidv7(),
    requestIdHeader: false,
    routerOptions: {
      // A path parameter of any length reaches its validation (400 naming it) instead of the
      // router's 414; the request line is bounded by Node's header limit anyway.
      maxParamLength: 16 * 1024,
      ignoreTrailingSlash: true,
      caseSensitive: false,
    },
    // No Nest middleware: every request hook is a Fastify hook (see below).
    skipMiddie: true,
    // The router's own refusals (a path that is not a valid URL), before any hook has run.
    frameworkErrors: (error: Error, req: HttpRequest, reply: HttpReply) => {
      securityHeaders(req.raw, reply.raw, () => undefined);
      requestIds(req, reply, () => undefined);
      problems.send(reply, AppError.badInput([{ field: 'path', message: error.message }], 'The request path is not a valid URL.'));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl, options), adapter, {
    logger: NEST_LEVELS[config.logLevel],
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoNestLogger));
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBody(fastify);
  // Declared once, so that every request object has the same shape (Fastify's advice).
  fastify.decorateRequest('correlationId', '');
  fastify.decorateRequest('principal', null);
  fastify.decorateRequest('logger', null);
  if (config.corsOrigins.length) app.enableCors(corsOptions(config.corsOrigins));
  // Request hooks, in this order, for every request (404s and the dashboard's files included).
  fastify.addHook('onRequest', app.get(Metrics).httpHook);
  fastify.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  fastify.addHook('onRequest', requestIds);
  const logging = requestLogging(await app.resolve(PinoLogger));
  fastify.addHook('onRequest', logging.onRequest);
  fastify.addHook('preHandler', logging.preHandler);
  fastify.addHook('onSend', textAsBytes);
  fastify.addHook('onSend', conditionalGet);
  await serveDashboard(app, options.dashboardDir);
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(problems);
  app.useGlobalInterceptors(new BodyGuard());
  // No enableShutdownHooks(): main.ts owns SIGTERM/SIGINT (stop taking requests, drain, then close).

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Entente')
      .setDescription(
        'The record of diplomatic cooperation: commands append events to an append-only log; read models are projections of it.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
  await app.init();
  await fastify.ready();
  return app;
}
