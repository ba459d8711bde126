import { Global, Module } from '@nestjs/common';
import { AgreementsProjection } from '../agreements/projections/agreements.projection.js';
import { SealsProjection } from '../audit/seals.projection.js';
import { CommitmentsProjection } from '../commitments/projections/commitments.projection.js';
import { ForumsProjection } from '../forums/projections/forums.projection.js';
import { InitiativesProjection } from '../initiatives/projections/initiatives.projection.js';
import { MeetingsProjection } from '../meetings/projections/meetings.projection.js';
import { PartiesProjection } from '../parties/projections/parties.projection.js';
import { PartnershipsProjection } from '../partnerships/projections/partnerships.projection.js';
import { PeopleProjection } from '../people/projections/people.projection.js';
import { TimelineProjection } from '../timeline/projections/timeline.projection.js';
import { AdminProjectionsController } from './admin-projections.controller.js';
import { PROJECTIONS, type Projection } from './projection.js';
import { ProjectionAdmin } from './projection-admin.service.js';
import { ProjectionRebuilder } from './projection-rebuilder.js';
import { ProjectionRunner } from './projection-runner.js';

/** Every read model's projection. */
export const ALL_PROJECTIONS = [
  PartnershipsProjection,
  ForumsProjection,
  PartiesProjection,
  PeopleProjection,
  MeetingsProjection,
  AgreementsProjection,
  CommitmentsProjection,
  InitiativesProjection,
  TimelineProjection,
  SealsProjection,
];

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
