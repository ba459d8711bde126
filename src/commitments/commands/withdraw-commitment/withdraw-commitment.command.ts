import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { WithdrawCommitmentDto } from './withdraw-commitment.dto.js';

export class WithdrawCommitmentCommand extends Command<CommandOutcome> {
  constructor(
    readonly commitmentId: string,
    readonly body: WithdrawCommitmentDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
