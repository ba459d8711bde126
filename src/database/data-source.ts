import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations.js';

/** How long a pooled connection may stay idle before the pool closes it. */
const IDLE_CONNECTION_MS = 300_000;

/** One DataSource definition for the app, the migration CLI and the seeds; never `synchronize`. */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // JIT off for every connection: its threshold is a plan's estimated cost, and the partnership
    // read crossed it once its tables were analyzed (101,979 > 100,000): each read then compiled
    // itself for 55 ms and ran for 3 (auto_explain), and 200 reads/s queued for seconds. JIT
    // helps long analytical queries, which this service does not send.
    //
    // Idle connections are kept 5 minutes, not pg's 10 s: a dashboard reading every 12 s found
    // its connection closed each time, and paid for a new one (4 to 5 ms to connect here) and for
    // a new backend's first statements (catalogs loaded, every plan made afresh): the busiest
    // partnership's read took 18 to 22 ms instead of 10 to 12 (bench/README.md).
    ...overrides,
    extra: { max: 20, idleTimeoutMillis: IDLE_CONNECTION_MS, application_name: 'entente', options: '-c jit=off', ...overrides.extra },
  } as DataSourceOptions;
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
