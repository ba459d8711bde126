import { Global, Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module.js';
import { ProjectionsModule } from '../projections/projections.module.js';
import { TimeTravel } from './time-travel.js';

/** Time travel for the read models that offer it (partnerships, forums, parties, agreements). */
@Global()
@Module({
  imports: [EventStoreModule, ProjectionsModule],
  providers: [TimeTravel],
  exports: [TimeTravel],
})
export class TimeTravelModule {}
