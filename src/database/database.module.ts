import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';
import { openReadDataSource, READ_DB, ReadDatabaseCloser } from './read-database.js';

export const DATABASE_URL = Symbol('DATABASE_URL');

@Global()
@Module({})
export class DatabaseModule {
  /** `readUrl`: a read replica for the query endpoints (READ_DB); without it they read `url`. */
  static forRoot(url: string, readUrl: string | null = null): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url), migrationsRun: true })],
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
