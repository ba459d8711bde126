import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { loadConfig } from '../../src/config/config.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';

export interface BenchDatabase {
  url: string;
  name: string;
  serverUrl: string;
  drop(): Promise<void>;
  stop(): Promise<void>;
}

/** The embedded PostgreSQL of the benchmarks (when DATABASE_URL is unset), under ./data/bench. */
export function startBenchServer(): ReturnType<typeof startEmbeddedPostgres> {
  return startEmbeddedPostgres({ dataDir: './data/bench', port: loadConfig().embeddedPgPort + 2, database: 'postgres' });
}

/**
 * A fresh database for one benchmark run: on DATABASE_URL's server, else the embedded one;
 * empty, or a copy of `template` (a generated log, see support/log.ts).
 */
export async function benchDatabase(options: { template?: string } = {}): Promise<BenchDatabase> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startBenchServer();
  const serverUrl = config.databaseUrl ?? embedded!.url;
  const name = `entente_bench_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        // FILE_COPY: a copy of the files, not a WAL record per page (seconds for a million events).
        await admin.query(options.template ? `create database "${name}" template "${options.template}" strategy = file_copy` : `create database "${name}"`);
        break;
      } catch (err) {
        // 55006: the template is in use for a moment (autovacuum).
        if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    serverUrl,
    async drop() {
      if (process.env.BENCH_KEEP_DB) return void console.log(`kept database ${name}`);
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
    stop: async () => embedded?.stop(),
  };
}

/** Applies every migration to a benchmark database. */
export async function migrate(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

export { rssSampler } from './report.js';
