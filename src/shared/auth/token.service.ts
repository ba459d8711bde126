import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { Config } from '../../config/config.js';
import { AppError } from '../errors.js';
import type { Principal } from './access.js';
import { bootstrapAdminToken, findActiveToken, hashToken, STORED_TOKEN_SHAPE, touchToken } from './token-store.js';

export { hashToken, newToken } from './token-store.js';

interface Known {
  hash: Buffer;
  principal: Principal;
}

/**
 * Resolves bearer tokens to principals: AUTH_TOKENS from memory, stored tokens (api_tokens)
 * from the database on every request, so that a revocation on any instance holds at once.
 * Only hashes are kept or looked up; the hash found is compared in constant time.
 */
@Injectable()
export class TokenService implements OnApplicationBootstrap {
  private readonly log = new Logger('Tokens');
  private readonly known = new Map<string, Known>();
  private firstAdminToken: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    private readonly db: DataSource,
  ) {
    for (const t of config.authTokens) {
      const hash = hashToken(t.token);
      this.known.set(hash.toString('hex'), { hash, principal: { tokenId: `env:${t.label}`, label: t.label, role: t.role } });
    }
  }

  /** Without AUTH_TOKENS the service never runs open: the first start stores one admin token. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.authTokens.length > 0) return;
    const created = await bootstrapAdminToken(this.db);
    if (created) {
      this.firstAdminToken = created.token;
      this.log.log(`No AUTH_TOKENS and no stored token: created admin token ${created.id} (label ${created.label})`);
    }
  }

  /** The admin token the first start created, once: the second call answers null. */
  takeFirstAdminToken(): string | null {
    const token = this.firstAdminToken;
    this.firstAdminToken = null;
    return token;
  }

  async resolve(token: string): Promise<Principal | null> {
    const hash = hashToken(token);
    const env = this.known.get(hash.toString('hex'));
    if (env && timingSafeEqual(env.hash, hash)) return env.principal;
    // Only what could be a stored token costs a query.
    if (!STORED_TOKEN_SHAPE.test(token)) return null;
    let found;
    try {
      found = await findActiveToken(this.db, hash);
      if (found?.stale) await touchToken(this.db, found.id);
    } catch (err) {
      this.log.warn(`token lookup failed: ${(err as Error).message}`);
      throw new AppError('unavailable', 'AUTH.STORE_UNAVAILABLE', 'Tokens cannot be checked now: the database does not answer.', undefined, {
        'Retry-After': '5',
      });
    }
    if (!found || found.hash.length !== hash.length || !timingSafeEqual(found.hash, hash)) return null;
    return { tokenId: found.id, label: found.label, role: found.role };
  }
}
