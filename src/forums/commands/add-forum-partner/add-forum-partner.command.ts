import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { AddForumPartnerDto } from './add-forum-partner.dto.js';

export class AddForumPartnerCommand extends Command<CommandOutcome> {
  constructor(
    readonly forumId: string,
    readonly body: AddForumPartnerDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
