import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { CancelForumDto } from './cancel-forum.dto.js';

export class CancelForumCommand extends Command<CommandOutcome> {
  constructor(
    readonly forumId: string,
    readonly body: CancelForumDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
