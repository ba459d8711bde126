import { EventStore1763800000000 } from '../../migrations/1763800000000-event-store.js';
import { ReadModels1763800000100 } from '../../migrations/1763800000100-read-models.js';
import { ProjectionEngine1763800000200 } from '../../migrations/1763800000200-projection-engine.js';
import { PartiesReadModel1763800000300 } from '../../migrations/1763800000300-parties-read-model.js';
import { PeopleReadModel1763800000310 } from '../../migrations/1763800000310-people-read-model.js';
import { InitiativesReadModel1763800000330 } from '../../migrations/1763800000330-initiatives-read-model.js';
import { TimelineReadModel1763800000340 } from '../../migrations/1763800000340-timeline-read-model.js';
import { MeetingsReadModel1763800000350 } from '../../migrations/1763800000350-meetings-read-model.js';
import { AgreementsReadModel1763800000360 } from '../../migrations/1763800000360-agreements-read-model.js';
import { CommitmentsReadModel1763800000370 } from '../../migrations/1763800000370-commitments-read-model.js';
import { Audit1763800000400 } from '../../migrations/1763800000400-audit.js';
import { ApiTokens1763800000610 } from '../../migrations/1763800000610-api-tokens.js';
import { PartnershipCommitmentsByMeeting1763800000620 } from '../../migrations/1763800000620-partnership-commitments-by-meeting.js';
import { PartnershipOpenCommitments1763800000630 } from '../../migrations/1763800000630-partnership-open-commitments.js';
import { MeetingCopiesKeepLess1763800000640 } from '../../migrations/1763800000640-meeting-copies-keep-less.js';

/** Every migration, in order. Listed here so the app, the CLI and the tests run the same set. */
export const MIGRATIONS = [
  EventStore1763800000000,
  ReadModels1763800000100,
  ProjectionEngine1763800000200,
  PartiesReadModel1763800000300,
  PeopleReadModel1763800000310,
  InitiativesReadModel1763800000330,
  TimelineReadModel1763800000340,
  MeetingsReadModel1763800000350,
  AgreementsReadModel1763800000360,
  CommitmentsReadModel1763800000370,
  Audit1763800000400,
  ApiTokens1763800000610,
  PartnershipCommitmentsByMeeting1763800000620,
  PartnershipOpenCommitments1763800000630,
  MeetingCopiesKeepLess1763800000640,
];
