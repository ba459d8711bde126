/**
 * All configuration, read from the environment in one place and validated before anything
 * starts. A bad value stops start-up with one line naming the variable.
 */
export const ROLES = ['viewer', 'recorder', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const PROJECTION_THREADS = ['worker', 'main'] as const;
export type ProjectionThread = (typeof PROJECTION_THREADS)[number];

export interface EnvToken {
  role: Role;
  token: string;
  label: string;
}

export interface Config {
  /** null: run on the embedded PostgreSQL */
  databaseUrl: string | null;
  /** a read replica of DATABASE_URL for the query endpoints; null: they read the primary */
  databaseReadUrl: string | null;
  /** /health/ready fails when a projection's oldest unapplied event is older than this; 0: no bound */
  readyMaxLagSeconds: number;
  port: number;
  host: string;
  authTokens: EnvToken[];
  logLevel: LogLevel;
  dataDir: string;
  embeddedPgPort: number;
  /** load the seeded history on a first start with an empty log */
  seed: boolean;
  /** run projections in this process */
  projections: boolean;
  /**
   * where main.ts runs them: `worker`, a worker thread of the process (its own event loop, so the
   * HTTP work and the projections' batches do not queue behind each other), or `main`, the main
   * thread beside the HTTP work. An app built by createApp runs them in its own thread.
   */
  projectionThread: ProjectionThread;
  /** requests per minute per token; 0: no limit */
  rateLimitPerMinute: number;
  /** origins a browser may call from (CORS); empty: CORS off */
  corsOrigins: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

function intIn(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if ((values as readonly string[]).includes(v)) return v as T;
  throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
}

export function parseDatabaseUrl(raw: string | undefined, name = 'DATABASE_URL'): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(name, 'is not a URL; expected postgres://user:password@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `must be a postgres:// URL, got scheme "${url.protocol.replace(/:$/, '')}"`);
  }
  if (!url.hostname && !url.searchParams.get('host')) throw new ConfigError(name, 'names no host');
  return raw.trim();
}

export function parseAuthTokens(raw: string | undefined): EnvToken[] {
  if (raw === undefined || raw.trim() === '') return [];
  const tokens: EnvToken[] = [];
  const seen = new Set<string>();
  const perRole = new Map<string, number>();
  for (const [i, part] of raw.split(',').entries()) {
    const entry = part.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new ConfigError('AUTH_TOKENS', `entry ${i + 1} is not role:token`);
    const role = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1).trim();
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ConfigError('AUTH_TOKENS', `entry ${i + 1} has role "${role}"; roles are ${ROLES.join(', ')}`);
    }
    if (!token || /\s/.test(token)) throw new ConfigError('AUTH_TOKENS', `entry ${i + 1} has an empty token or one with spaces`);
    if (seen.has(token)) throw new ConfigError('AUTH_TOKENS', `entry ${i + 1} repeats a token`);
    seen.add(token);
    const n = (perRole.get(role) ?? 0) + 1;
    perRole.set(role, n);
    tokens.push({ role: role as Role, token, label: n === 1 ? `env-${role}` : `env-${role}-${n}` });
  }
  return tokens;
}

/** `CORS_ORIGINS`: comma-separated origins (`https://dash.example.org`), or `*`; unset: CORS off. */
export function parseCorsOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const origins: string[] = [];
  for (const [i, part] of raw.split(',').entries()) {
    const entry = part.trim();
    if (!entry) continue;
    if (entry === '*') {
      origins.push('*');
      continue;
    }
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {
      /* reported below */
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== entry.replace(/\/$/, '')) {
      throw new ConfigError('CORS_ORIGINS', `entry ${i + 1} ("${entry}") is not an origin like https://dashboard.example.org (scheme, host, port; no path)`);
    }
    origins.push(url.origin);
  }
  if (origins.includes('*') && origins.length > 1) throw new ConfigError('CORS_ORIGINS', 'is either * or a list of origins, not both');
  return origins;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  const databaseReadUrl = parseDatabaseUrl(env.DATABASE_READ_URL, 'DATABASE_READ_URL');
  if (databaseReadUrl && !databaseUrl) throw new ConfigError('DATABASE_READ_URL', 'needs DATABASE_URL (the embedded database has no replica)');
  return {
    databaseUrl,
    databaseReadUrl,
    readyMaxLagSeconds: intIn(env, 'READY_MAX_LAG_SECONDS', 60, 0, 86_400),
    port: intIn(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    authTokens: parseAuthTokens(env.AUTH_TOKENS),
    logLevel,
    dataDir: env.DATA_DIR?.trim() || './data',
    embeddedPgPort: intIn(env, 'EMBEDDED_PG_PORT', 5497, 1024, 65535),
    seed: bool(env, 'SEED', true),
    projections: bool(env, 'PROJECTIONS', true),
    projectionThread: oneOf(env, 'PROJECTIONS_THREAD', PROJECTION_THREADS, 'worker'),
    rateLimitPerMinute: intIn(env, 'RATE_LIMIT_PER_MINUTE', 30000, 0, 10_000_000),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
  };
}
