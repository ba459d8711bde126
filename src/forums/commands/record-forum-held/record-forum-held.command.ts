import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { RecordForumHeldDto } from './record-forum-held.dto.js';

export class RecordForumHeldCommand extends Command<CommandOutcome> {
  constructor(
    readonly forumId: string,
    readonly body: RecordForumHeldDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
