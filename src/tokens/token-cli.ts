import pg from 'pg';
import { type Config, ConfigError, loadConfig, ROLES, type Role } from '../config/config.js';
import { createDataSource } from '../database/data-source.js';
import { embeddedUrl, startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { createStoredToken } from '../shared/auth/token-store.js';

export class UsageError extends Error {}

const USAGE = 'usage: npm run token:create -- --role <viewer|recorder|auditor|admin> --label <who holds it>';

/** `--role admin --label ops` (or `--role=admin`). */
export function parseTokenArgs(argv: string[]): { role: Role; label: string } {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(role|label)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new UsageError(`unknown argument "${argv[i]}"\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value\n${USAGE}`);
    values.set(m[1], value);
  }
  const role = values.get('role');
  const label = values.get('label')?.trim();
  if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
  if (!label || label.length > 200 || /[\u0000-\u001f\u007f]/.test(label)) throw new UsageError(`--label must be 1 to 200 characters of text\n${USAGE}`);
  return { role: role as Role, label };
}

/** The embedded server a running service already started, if it answers; else null. */
async function runningEmbedded(config: Config): Promise<string | null> {
  const url = embeddedUrl(config.embeddedPgPort);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates a stored token on the service's database (DATABASE_URL, or the embedded one: the
 * running service's server when it answers, else started for this command) and prints it once.
 * Applies pending migrations first, so it works before the service ever started.
 */
export async function runTokenCli(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<string> {
  const args = parseTokenArgs(argv);
  const config = loadConfig(env);
  let url = config.databaseUrl ?? (await runningEmbedded(config));
  const embedded = url ? null : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  url ??= embedded!.url;
  const db = createDataSource(url);
  try {
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    const created = await createStoredToken(db, { ...args, createdBy: 'cli' });
    print(`Created ${created.role} token ${created.id} (label "${created.label}"); only its hash is stored.`);
    print(`Token (shown once): ${created.token}`);
    return created.token;
  } finally {
    if (db.isInitialized) await db.destroy();
    await embedded?.stop();
  }
}

export function describeCliError(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  if (err instanceof ConfigError) return `Configuration error: ${err.message}`;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
