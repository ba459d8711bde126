import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../../config/config.js';
import { returning } from '../../database/rows.js';
import { uuidv7 } from '../ids.js';

/** What a stored token looks like: `ent_` and 32 base64url characters (192 random bits). */
export const STORED_TOKEN_SHAPE = /^ent_[A-Za-z0-9_-]{32}$/;

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function newToken(): string {
  return `ent_${randomBytes(24).toString('base64url')}`;
}

type Db = Pick<DataSource | EntityManager, 'query'>;

/** A stored token as an admin sees it: never the token, never its hash. */
export interface TokenView {
  id: string;
  role: Role;
  label: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}

export interface CreatedToken {
  id: string;
  role: Role;
  label: string;
  /** the only time the token is seen in clear */
  token: string;
  createdAt: string;
}

interface Row {
  id: string;
  role: Role;
  label: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

const VIEW_COLUMNS = 'id, role, label, created_at, created_by, revoked_at, revoked_by, last_used_at';

export function toView(r: Row): TokenView {
  return {
    id: r.id,
    role: r.role,
    label: r.label,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokedBy: r.revoked_by,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}

/** Creates a token and stores its SHA-256 only. */
export async function createStoredToken(db: Db, input: { role: Role; label: string; createdBy: string }): Promise<CreatedToken> {
  const token = newToken();
  const [row]: { id: string; created_at: Date }[] = await db.query(
    `insert into api_tokens (id, role, label, token_hash, created_by) values ($1, $2, $3, $4, $5) returning id, created_at`,
    [uuidv7(), input.role, input.label, hashToken(token), input.createdBy],
  );
  return { id: row.id, role: input.role, label: input.label, token, createdAt: row.created_at.toISOString() };
}

export interface ActiveToken {
  id: string;
  role: Role;
  label: string;
  hash: Buffer;
  /** last_used_at is unset or older than a minute: worth writing again */
  stale: boolean;
}

/** The unrevoked token with this hash, read now: a revocation anywhere is seen by the next request. */
export async function findActiveToken(db: Db, hash: Buffer): Promise<ActiveToken | null> {
  const rows: { id: string; role: Role; label: string; token_hash: Buffer; stale: boolean }[] = await db.query(
    `select id, role, label, token_hash,
            (last_used_at is null or last_used_at < now() - interval '1 minute') as stale
       from api_tokens where token_hash = $1 and revoked_at is null`,
    [hash],
  );
  const r = rows[0];
  return r ? { id: r.id, role: r.role, label: r.label, hash: r.token_hash, stale: r.stale } : null;
}

export async function touchToken(db: Db, id: string): Promise<void> {
  await db.query(`update api_tokens set last_used_at = now() where id = $1`, [id]);
}

/** 'revoked' now, 'already' revoked before (DELETE stays idempotent), or 'unknown'. */
export async function revokeStoredToken(db: Db, id: string, by: string): Promise<'revoked' | 'already' | 'unknown'> {
  const rows = await returning<{ id: string }>(
    db,
    `update api_tokens set revoked_at = now(), revoked_by = $2 where id = $1 and revoked_at is null returning id`,
    [id, by],
  );
  if (rows.length) return 'revoked';
  const [{ n }]: { n: number }[] = await db.query(`select count(*)::int as n from api_tokens where id = $1`, [id]);
  return n ? 'already' : 'unknown';
}

export async function getStoredToken(db: Db, id: string): Promise<TokenView | null> {
  const rows: Row[] = await db.query(`select ${VIEW_COLUMNS} from api_tokens where id = $1`, [id]);
  return rows[0] ? toView(rows[0]) : null;
}

/** Newest first; `before` is the id the previous page ended at (ids are time-ordered). */
export async function listStoredTokens(db: Db, before: string | null, limit: number): Promise<{ items: TokenView[]; more: boolean }> {
  const rows: Row[] = await db.query(
    `select ${VIEW_COLUMNS} from api_tokens where ($1::uuid is null or id < $1::uuid) order by id desc limit $2`,
    [before, limit + 1],
  );
  return { items: rows.slice(0, limit).map(toView), more: rows.length > limit };
}

/**
 * The first start without AUTH_TOKENS: when no token was ever stored, create one admin token
 * and answer it (to be printed once); otherwise null. An advisory lock makes two instances
 * starting together on an empty database create one token, not two.
 */
export async function bootstrapAdminToken(ds: DataSource): Promise<CreatedToken | null> {
  return ds.transaction(async (m) => {
    await m.query(`select pg_advisory_xact_lock(hashtext('entente:api_tokens:bootstrap'))`);
    const [{ any }]: { any: boolean }[] = await m.query(`select exists (select 1 from api_tokens) as any`);
    if (any) return null;
    return createStoredToken(m, { role: 'admin', label: 'first-start-admin', createdBy: 'first-start' });
  });
}
