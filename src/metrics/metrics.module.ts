import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MetricsController } from './metrics.controller.js';
import { MetricsInterceptor } from './metrics.interceptor.js';
import { Metrics } from './metrics.service.js';

/** `GET /metrics` and what feeds it; createApp puts `Metrics.httpMiddleware` first in the chain. */
@Module({
  controllers: [MetricsController],
  providers: [Metrics, { provide: APP_INTERCEPTOR, useClass: MetricsInterceptor }],
  exports: [Metrics],
})
export class MetricsModule {}
