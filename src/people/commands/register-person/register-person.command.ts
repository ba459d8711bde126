import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { RegisterPersonDto } from './register-person.dto.js';

export class RegisterPersonCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: RegisterPersonDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
