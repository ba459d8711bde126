import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module.js';
import type { Config } from '../config/config.js';
import { DatabaseModule } from '../database/database.module.js';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { LoggingModule } from '../logging/logging.module.js';
import { ProjectionsModule } from './projections.module.js';

/**
 * What the projector thread runs (src/projections/projector-worker.ts): the event store and the
 * projections with their runner, on a pool of its own; no HTTP, no commands, no seeding, no
 * tokens. Its process's main thread has run the migrations before it starts.
 */
@Module({})
export class ProjectorModule {
  static forRoot(config: Config, databaseUrl: string): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        ConfigModule.forRoot({ ...config, projections: true }),
        LoggingModule.forRoot(config.logLevel, undefined, { thread: 'projector' }),
        // Ten projections step at once at most, plus the statistics and the lease heartbeat.
        DatabaseModule.forRoot(databaseUrl, null, { migrationsRun: false, max: 14, applicationName: 'entente-projector' }),
        EventStoreModule,
        ProjectionsModule,
      ],
    };
  }
}
