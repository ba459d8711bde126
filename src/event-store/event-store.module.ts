import { Global, Module } from '@nestjs/common';
import { eventRegistry } from '../event-catalogue.js';
import { EVENT_REGISTRY } from './event-registry.js';
import { EventStore } from './event-store.js';

@Global()
@Module({
  providers: [{ provide: EVENT_REGISTRY, useFactory: eventRegistry }, EventStore],
  exports: [EventStore, EVENT_REGISTRY],
})
export class EventStoreModule {}
