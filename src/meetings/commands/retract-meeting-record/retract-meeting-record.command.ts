import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { RetractMeetingRecordDto } from './retract-meeting-record.dto.js';

export class RetractMeetingRecordCommand extends Command<CommandOutcome> {
  constructor(
    readonly meetingId: string,
    readonly body: RetractMeetingRecordDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
