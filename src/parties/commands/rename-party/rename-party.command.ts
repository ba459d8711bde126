import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { RenamePartyDto } from './rename-party.dto.js';

export class RenamePartyCommand extends Command<CommandOutcome> {
  constructor(
    readonly partyId: string,
    readonly body: RenamePartyDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
