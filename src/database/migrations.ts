import { EventStore1763800000000 } from '../../migrations/1763800000000-event-store.js';
import { ReadModels1763800000100 } from '../../migrations/1763800000100-read-models.js';
import { ProjectionEngine1763800000200 } from '../../migrations/1763800000200-projection-engine.js';

/** Every migration, in order. Listed here so the app, the CLI and the tests run the same set. */
export const MIGRATIONS = [EventStore1763800000000, ReadModels1763800000100, ProjectionEngine1763800000200];
