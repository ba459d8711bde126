// Creates or drops a database on a PostgreSQL server: `node scripts/ci-database.mjs create|drop URL NAME`.
// Exits non-zero when the server does not answer, so .ci/run can fall back to the embedded one.
import pg from 'pg';

const [action, url, name] = process.argv.slice(2);
if (!['create', 'drop'].includes(action) || !url || !/^[a-z0-9_]+$/.test(name ?? '')) {
  console.error('usage: ci-database.mjs create|drop URL NAME');
  process.exit(2);
}
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query(action === 'create' ? `create database "${name}"` : `drop database if exists "${name}" with (force)`);
} catch (err) {
  console.error(`${action} ${name}: ${err.message}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
