import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard.js';
import { TokenService } from './auth/token.service.js';
import { CommandRunner } from './commands/command-runner.js';
import { ReferenceChecker } from './commands/references.js';

@Global()
@Module({
  providers: [CommandRunner, ReferenceChecker, TokenService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [CommandRunner, ReferenceChecker, TokenService],
})
export class SharedModule {}
