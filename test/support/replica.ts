import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * A read replica of a test database, simulated by copying.
 *
 * Why not logical replication: the test server runs with `wal_level = replica` and is shared
 * (changing wal_level needs a server restart), and logical replication does not carry DDL,
 * which a projection rebuild uses (it swaps shadow tables in). Production replicas are
 * physical streaming replicas, which carry everything; see docs/operations.md.
 *
 * What the copy keeps of a real asynchronous replica: the replica is its own database on its
 * own connections; it is read-only (`default_transaction_read_only`), so anything the service
 * wrongly wrote there would fail; and it lags: it holds the primary's state as of the last
 * `sync()`, which copies every table of the primary from one snapshot (REPEATABLE READ) and
 * replaces the replica's contents in one transaction, so a reader sees the primary as it was at
 * one instant, read models and projection checkpoints together, as replay of the WAL gives.
 */
export interface SimulatedReplica {
  db: TestDatabase;
  url: string;
  /** brings the replica to the primary's present state, atomically */
  sync(): Promise<void>;
  drop(): Promise<void>;
}

export async function simulateReplica(primaryUrl: string): Promise<SimulatedReplica> {
  const db = await createTestDatabase();
  // The schema, as a base backup would bring it.
  const ds = new DataSource(dataSourceOptions(db.url));
  await ds.initialize();
  try {
    await ds.runMigrations();
    await ds.query(`alter database "${db.name}" set default_transaction_read_only = on`);
  } finally {
    await ds.destroy();
  }

  async function sync(): Promise<void> {
    const primary = new pg.Client({ connectionString: primaryUrl });
    const replica = new pg.Client({ connectionString: db.url });
    await primary.connect();
    await replica.connect();
    try {
      await primary.query('begin isolation level repeatable read read only');
      const { rows: tables } = await primary.query<{ name: string; columns: string[] }>(
        `select c.relname as name, array_agg(a.attname::text order by a.attnum) as columns
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
           join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
          where n.nspname = 'public' and c.relkind in ('r', 'p')
          group by c.relname order by c.relname`,
      );
      const contents: { name: string; columns: string[]; rows: string }[] = [];
      for (const t of tables) {
        const { rows } = await primary.query(`select coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb)::text as rows from public."${t.name}" t`);
        contents.push({ ...t, rows: rows[0].rows });
      }
      await primary.query('commit');

      await replica.query('begin read write');
      // as the WAL replay of a standby: no triggers (the log's append-only guard), no constraint checks order
      await replica.query('set local session_replication_role = replica');
      await replica.query(`truncate ${contents.map((t) => `public."${t.name}"`).join(', ')}`);
      for (const t of contents) {
        const cols = t.columns.map((c) => `"${c}"`).join(', ');
        await replica.query(
          `insert into public."${t.name}" (${cols}) overriding system value select ${cols} from jsonb_populate_recordset(null::public."${t.name}", $1::jsonb)`,
          [t.rows],
        );
      }
      await replica.query('commit');
    } finally {
      await primary.end();
      await replica.end();
    }
  }

  return { db, url: db.url, sync, drop: () => db.drop() };
}
