import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { RegisterPartyDto } from './register-party.dto.js';

export class RegisterPartyCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: RegisterPartyDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
