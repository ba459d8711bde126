import pg from 'pg';

/**
 * Finds the PostgreSQL server the tests use: DATABASE_URL when set (CI points it at a fresh
 * database on the local server), else the embedded server under ./data/test-pg. Each test file
 * then creates a database of its own on that server (see database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  // Jest runs global setup as CommonJS, without the test's module name mapping: no `.js` here.
  const modulePath = '../../src/database/embedded-postgres';
  const { startEmbeddedPostgres } = (await import(modulePath)) as typeof import('../../src/database/embedded-postgres.js');
  const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 5498);
  const db = await startEmbeddedPostgres({ dataDir: './data/test', port, database: 'postgres' });
  (globalThis as { __ENTENTE_PG__?: { stop(): Promise<void> } }).__ENTENTE_PG__ = db;
  process.env.TEST_ADMIN_URL = db.url;
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  // Databases left by an interrupted earlier run.
  const old = await c.query(`select datname from pg_database where datname like 'entente_t_%'`);
  for (const r of old.rows) await c.query(`drop database if exists "${r.datname}" with (force)`);
  await c.end();
}
