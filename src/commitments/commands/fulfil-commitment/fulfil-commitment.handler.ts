import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { commitmentDecider } from '../../commitment.decider.js';
import { FulfilCommitmentCommand } from './fulfil-commitment.command.js';

@CommandHandler(FulfilCommitmentCommand)
export class FulfilCommitmentHandler implements ICommandHandler<FulfilCommitmentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ commitmentId, body, ctx }: FulfilCommitmentCommand) {
    return this.runner.run(commitmentDecider, commitmentId, { type: 'FulfilCommitment', ...body }, ctx, { noun: 'commitment' });
  }
}
