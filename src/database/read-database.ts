import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source.js';

/**
 * Where the query endpoints read: a read replica (`DATABASE_READ_URL`) when one is configured,
 * else the primary's own DataSource. Commands, the event log, the audit endpoints and time
 * travel always use the primary.
 */
export const READ_DB = Symbol('READ_DB');

/** Injects the DataSource the query endpoints read from (see READ_DB). */
export const InjectReadDb = () => Inject(READ_DB);

/** A DataSource on the replica: no migrations (the replica has the primary's schema), its own pool. */
export async function openReadDataSource(url: string): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(url, { migrations: [], extra: { application_name: 'entente-read' } }));
  return ds.initialize();
}

/** Closes the replica's pool when the app closes (the primary's is TypeORM's to close). */
@Injectable()
export class ReadDatabaseCloser implements OnApplicationShutdown {
  constructor(
    @Inject(READ_DB) private readonly read: DataSource,
    private readonly primary: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.read !== this.primary && this.read.isInitialized) await this.read.destroy();
  }
}
