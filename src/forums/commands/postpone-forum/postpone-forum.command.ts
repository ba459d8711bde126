import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { PostponeForumDto } from './postpone-forum.dto.js';

export class PostponeForumCommand extends Command<CommandOutcome> {
  constructor(
    readonly forumId: string,
    readonly body: PostponeForumDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
