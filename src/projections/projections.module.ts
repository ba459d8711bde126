import { Global, Module } from '@nestjs/common';
import { ForumsProjection } from '../forums/projections/forums.projection.js';
import { PartnershipsProjection } from '../partnerships/projections/partnerships.projection.js';
import { AdminProjectionsController } from './admin-projections.controller.js';
import { PROJECTIONS, type Projection } from './projection.js';
import { ProjectionAdmin } from './projection-admin.service.js';
import { ProjectionRebuilder } from './projection-rebuilder.js';
import { ProjectionRunner } from './projection-runner.js';

/** Every read model's projection. */
export const ALL_PROJECTIONS = [PartnershipsProjection, ForumsProjection];

@Global()
@Module({
  controllers: [AdminProjectionsController],
  providers: [
    ...ALL_PROJECTIONS,
    { provide: PROJECTIONS, useFactory: (...ps: Projection[]) => ps, inject: ALL_PROJECTIONS },
    ProjectionRunner,
    ProjectionRebuilder,
    ProjectionAdmin,
  ],
  exports: [ProjectionRunner, ProjectionRebuilder, ProjectionAdmin, PROJECTIONS],
})
export class ProjectionsModule {}
