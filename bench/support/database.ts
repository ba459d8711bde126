import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';

/** A fresh database for one benchmark run: on DATABASE_URL's server, else the embedded one. */
export async function benchDatabase(): Promise<{ url: string; serverUrl: string; drop(): Promise<void>; stop(): Promise<void> }> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: './data/bench', port: config.embeddedPgPort + 2, database: 'postgres' });
  const serverUrl = config.databaseUrl ?? embedded!.url;
  const name = `entente_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    serverUrl,
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
    stop: async () => embedded?.stop(),
  };
}

/** Samples the process's resident set size; answers the peak in MB. */
export function rssSampler(everyMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
    },
  };
}
