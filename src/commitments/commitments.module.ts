import { Module } from '@nestjs/common';
import { CommitmentsController } from './commitments.controller.js';
import { CommitmentsQuery } from './queries/commitments.query.js';
import { FulfilCommitmentController } from './commands/fulfil-commitment/fulfil-commitment.controller.js';
import { FulfilCommitmentHandler } from './commands/fulfil-commitment/fulfil-commitment.handler.js';
import { WithdrawCommitmentController } from './commands/withdraw-commitment/withdraw-commitment.controller.js';
import { WithdrawCommitmentHandler } from './commands/withdraw-commitment/withdraw-commitment.handler.js';

/** Commitments are made by RecordMeeting (CommitmentMade, routed to their own streams); here they are kept or given up. */
@Module({
  controllers: [CommitmentsController, FulfilCommitmentController, WithdrawCommitmentController],
  providers: [CommitmentsQuery, FulfilCommitmentHandler, WithdrawCommitmentHandler],
})
export class CommitmentsModule {}
