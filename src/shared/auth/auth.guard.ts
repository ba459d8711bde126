import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../errors.js';
import type { HttpRequest } from '../http/http-types.js';
import { ACCESS_KEY, CAPABILITIES, type Capability, PUBLIC_KEY } from './access.js';
import { TokenService } from './token.service.js';

/** A request past the auth guard's door: `principal` is set on every route that needs a token. */
export type AuthedRequest = HttpRequest;

/** Global: every route needs a token and a role that may do what it declares. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const needed = this.reflector.getAllAndOverride<Capability>(ACCESS_KEY, targets) ?? 'admin';
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const principal = match ? await this.tokens.resolve(match[1]) : null;
    if (!principal) {
      throw new AppError('unauthorized', 'AUTH.TOKEN_REQUIRED', 'A valid bearer token is required.', undefined, {
        'WWW-Authenticate': 'Bearer realm="entente"',
      });
    }
    if (!CAPABILITIES[principal.role].includes(needed)) {
      throw new AppError('forbidden', 'AUTH.ROLE_TOO_LOW', `The ${principal.role} role may not do this (needs ${needed}).`);
    }
    req.principal = principal;
    return true;
  }
}
