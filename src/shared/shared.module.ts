import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard.js';
import { TokenService } from './auth/token.service.js';
import { CommandRunner } from './commands/command-runner.js';
import { ReferenceChecker } from './commands/references.js';
import { RateLimitModule, TokenRateLimitGuard } from './http/rate-limit.js';

@Global()
@Module({
  imports: [RateLimitModule],
  providers: [
    CommandRunner,
    ReferenceChecker,
    TokenService,
    // Guards run in this order: who is asking, then how often they ask.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: TokenRateLimitGuard },
  ],
  exports: [CommandRunner, ReferenceChecker, TokenService],
})
export class SharedModule {}
