import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';
import { openReadDataSource, READ_DB, ReadDatabaseCloser } from './read-database.js';

export const DATABASE_URL = Symbol('DATABASE_URL');

@Global()
@Module({})
export class DatabaseModule {
  /**
   * `readUrl`: a read replica for the query endpoints (READ_DB); without it they read `url`.
   * `pool`: for the projector thread, whose main thread has run the migrations already and
   * whose connections are told apart in `pg_stat_activity` by their application name.
   */
  static forRoot(url: string, readUrl: string | null = null, pool: { migrationsRun?: boolean; max?: number; applicationName?: string } = {}): DynamicModule {
    const extra = {
      ...(pool.max ? { max: pool.max } : {}),
      ...(pool.applicationName ? { application_name: pool.applicationName } : {}),
    };
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url, { extra }), migrationsRun: pool.migrationsRun ?? true })],
      providers: [
        { provide: DATABASE_URL, useValue: url },
        {
          provide: READ_DB,
          useFactory: (primary: DataSource) => (readUrl ? openReadDataSource(readUrl) : primary),
          inject: [DataSource],
        },
        ReadDatabaseCloser,
      ],
      exports: [DATABASE_URL, READ_DB],
    };
  }
}
