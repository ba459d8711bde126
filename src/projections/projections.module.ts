import { Global, Module } from '@nestjs/common';
import { ForumsProjection } from '../forums/projections/forums.projection.js';
import { PartnershipsProjection } from '../partnerships/projections/partnerships.projection.js';
import { PROJECTIONS, type Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Every read model's projection, in the order a catch-up pass visits them. */
const ALL = [PartnershipsProjection, ForumsProjection];

@Global()
@Module({
  providers: [
    ...ALL,
    { provide: PROJECTIONS, useFactory: (...ps: Projection[]) => ps, inject: ALL },
    ProjectionRunner,
  ],
  exports: [ProjectionRunner, PROJECTIONS],
})
export class ProjectionsModule {}
