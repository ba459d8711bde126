import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { commitmentDecider } from '../../commitment.decider.js';
import { WithdrawCommitmentCommand } from './withdraw-commitment.command.js';

@CommandHandler(WithdrawCommitmentCommand)
export class WithdrawCommitmentHandler implements ICommandHandler<WithdrawCommitmentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ commitmentId, body, ctx }: WithdrawCommitmentCommand) {
    return this.runner.run(commitmentDecider, commitmentId, { type: 'WithdrawCommitment', ...body }, ctx, { noun: 'commitment' });
  }
}
