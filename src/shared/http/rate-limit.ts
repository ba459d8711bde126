import { type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { APP_CONFIG } from '../../config/config.module.js';
import type { Config } from '../../config/config.js';
import type { AuthedRequest } from '../auth/auth.guard.js';

/**
 * Requests per minute per token (RATE_LIMIT_PER_MINUTE; 0 turns it off). Counted in this
 * process: N instances behind a balancer allow up to N times the limit.
 */
export const RateLimitModule = ThrottlerModule.forRootAsync({
  imports: [],
  inject: [APP_CONFIG],
  useFactory: (config: Config) => ({
    throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
    skipIf: () => config.rateLimitPerMinute === 0,
  }),
});

/**
 * Runs after the auth guard, so it counts per token, over every route together. Routes that
 * need no token (health, metrics, docs) are not limited: probes and scrapers must not be
 * turned away. Over the limit: 429 problem+json with Retry-After (seconds).
 */
@Injectable()
export class TokenRateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return !context.switchToHttp().getRequest<AuthedRequest>().principal;
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    return (req as AuthedRequest).principal!.tokenId;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpException(
      `This token sent more than ${detail.limit} requests in a minute; retry after ${detail.timeToBlockExpire} s.`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
