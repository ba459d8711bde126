import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations.js';

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
    ...overrides,
    extra: { max: 20, application_name: 'entente', options: '-c jit=off', ...overrides.extra },
  } as DataSourceOptions;
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
