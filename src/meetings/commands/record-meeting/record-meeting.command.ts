import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { RecordMeetingDto } from './record-meeting.dto.js';

export class RecordMeetingCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: RecordMeetingDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
