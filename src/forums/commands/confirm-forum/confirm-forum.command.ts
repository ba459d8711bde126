import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { ConfirmForumDto } from './confirm-forum.dto.js';

export class ConfirmForumCommand extends Command<CommandOutcome> {
  constructor(
    readonly forumId: string,
    readonly body: ConfirmForumDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
