import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { Config, EnvToken } from '../../config/config.js';
import type { Principal } from './access.js';

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function newToken(): string {
  return `ent_${randomBytes(24).toString('base64url')}`;
}

interface Known {
  hash: Buffer;
  principal: Principal;
}

/**
 * Resolves bearer tokens to principals. Only hashes are kept; lookups compare hashes in
 * constant time, so response timing says nothing about how much of a token was right.
 */
@Injectable()
export class TokenService {
  private readonly known = new Map<string, Known>();
  /** set when no token was configured: printed once at start-up */
  readonly generatedAdminToken: string | null = null;

  constructor(@Inject(APP_CONFIG) config: Config) {
    let tokens: EnvToken[] = config.authTokens;
    if (tokens.length === 0) {
      const token = newToken();
      this.generatedAdminToken = token;
      tokens = [{ role: 'admin', token, label: 'generated-admin' }];
    }
    for (const t of tokens) this.add(t.token, { tokenId: t.label, label: t.label, role: t.role });
  }

  private add(token: string, principal: Principal): void {
    const hash = hashToken(token);
    this.known.set(hash.toString('hex'), { hash, principal });
  }

  resolve(token: string): Principal | null {
    const hash = hashToken(token);
    const found = this.known.get(hash.toString('hex'));
    if (!found || !timingSafeEqual(found.hash, hash)) return null;
    return found.principal;
  }
}
