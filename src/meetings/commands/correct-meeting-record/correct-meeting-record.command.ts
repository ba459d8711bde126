import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { CorrectMeetingRecordDto } from './correct-meeting-record.dto.js';

export class CorrectMeetingRecordCommand extends Command<CommandOutcome> {
  constructor(
    readonly meetingId: string,
    readonly body: CorrectMeetingRecordDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
