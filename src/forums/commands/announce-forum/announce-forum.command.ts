import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { AnnounceForumDto } from './announce-forum.dto.js';

export class AnnounceForumCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: AnnounceForumDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
