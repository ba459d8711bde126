import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { AppointPersonDto } from './appoint-person.dto.js';

export class AppointPersonCommand extends Command<CommandOutcome> {
  constructor(
    readonly personId: string,
    readonly body: AppointPersonDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
