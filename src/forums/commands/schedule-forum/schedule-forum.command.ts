import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { ScheduleForumDto } from './schedule-forum.dto.js';

export class ScheduleForumCommand extends Command<CommandOutcome> {
  constructor(
    readonly forumId: string,
    readonly body: ScheduleForumDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
