import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { Server } from 'node:http';
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
import { ProblemFilter } from './shared/http/problem.filter.js';
import { requestIds } from './shared/http/request-id.middleware.js';
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
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, options), {
    logger: NEST_LEVELS[config.logLevel],
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoNestLogger));
  app.use(helmet(helmetOptions));
  if (config.corsOrigins.length) app.enableCors(corsOptions(config.corsOrigins));
  app.use(requestIds);
  // Outside a request, a PinoLogger's `logger` is the process's root pino logger.
  app.use(requestLogging((await app.resolve(PinoLogger)).logger));
  app.use(app.get(Metrics).httpMiddleware);
  app.useBodyParser('json', { limit: '256kb', strict: true });
  serveDashboard(app, options.dashboardDir);
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalInterceptors(new BodyGuard());
  const server: Server = app.getHttpServer();
  server.on('clientError', answerClientError);
  // An idle keep-alive connection is closed after 65 s, not Node's 5: a client (or a proxy,
  // whose idle timeout is commonly 60 s) that sends on a connection the server is closing at
  // that moment gets a reset, and with 5 s that happened to idle connections of a pool in
  // ordinary use (the reads benchmark saw one ECONNRESET in 2,400 requests).
  server.keepAliveTimeout = 65_000;
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
  return app;
}
