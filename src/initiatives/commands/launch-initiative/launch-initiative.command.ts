import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { LaunchInitiativeDto } from './launch-initiative.dto.js';

export class LaunchInitiativeCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: LaunchInitiativeDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
