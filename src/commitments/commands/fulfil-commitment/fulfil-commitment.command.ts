import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { FulfilCommitmentDto } from './fulfil-commitment.dto.js';

export class FulfilCommitmentCommand extends Command<CommandOutcome> {
  constructor(
    readonly commitmentId: string,
    readonly body: FulfilCommitmentDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
