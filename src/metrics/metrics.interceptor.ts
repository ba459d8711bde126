import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { Metrics } from './metrics.service.js';

/**
 * Runs each route handler inside its request's timing context, so that a command published on
 * the CommandBus is attributed to the request that sent it (the command latency histogram).
 * Interceptors run after the body is parsed; an AsyncLocalStorage context opened before body
 * parsing would not reach the handler.
 */
@Injectable()
export class MetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: Metrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest();
    return new Observable((subscriber) => this.metrics.runInRequest(req, () => next.handle().subscribe(subscriber)));
  }
}
