import { Module } from '@nestjs/common';
import { AdminTokensController } from './admin-tokens.controller.js';

/** `/admin/tokens`: create, list, revoke stored tokens. Resolving tokens is the auth guard's (src/shared/auth). */
@Module({ controllers: [AdminTokensController] })
export class TokensModule {}
