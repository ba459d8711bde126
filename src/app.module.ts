import { type DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AgreementsModule } from './agreements/agreements.module.js';
import { AuditModule } from './audit/audit.module.js';
import { TimeTravelModule } from './audit/time-travel.module.js';
import { CommitmentsModule } from './commitments/commitments.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { ConfigModule } from './config/config.module.js';
import type { Config } from './config/config.js';
import type { AppOptions } from './app.js';
import { PROJECTION_OPTIONS } from './projections/projection.js';
import { DatabaseModule } from './database/database.module.js';
import { EventStoreModule } from './event-store/event-store.module.js';
import { ForumsModule } from './forums/forums.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { InitiativesModule } from './initiatives/initiatives.module.js';
import { MeetingsModule } from './meetings/meetings.module.js';
import { PartiesModule } from './parties/parties.module.js';
import { PartnershipsModule } from './partnerships/partnerships.module.js';
import { PeopleModule } from './people/people.module.js';
import { ProjectionsModule } from './projections/projections.module.js';
import { SeedingModule } from './seeding/seeding.module.js';
import { SharedModule } from './shared/shared.module.js';
import { TimelineModule } from './timeline/timeline.module.js';
import { TokensModule } from './tokens/tokens.module.js';

@Module({})
export class AppModule {
  static forRoot(config: Config, databaseUrl: string, options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [{ provide: PROJECTION_OPTIONS, useValue: options.projections ?? {} }],
      exports: [PROJECTION_OPTIONS],
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config.logLevel, options.logDestination),
        DatabaseModule.forRoot(databaseUrl, config.databaseReadUrl),
        CqrsModule.forRoot(),
        EventStoreModule,
        SharedModule,
        ProjectionsModule,
        PartiesModule,
        MeetingsModule,
        ForumsModule,
        AgreementsModule,
        CommitmentsModule,
        PeopleModule,
        InitiativesModule,
        PartnershipsModule,
        TimelineModule,
        AuditModule,
        DashboardModule,
        TimeTravelModule,
        HealthModule,
        MetricsModule,
        SeedingModule,
        TokensModule,
      ],
    };
  }
}
