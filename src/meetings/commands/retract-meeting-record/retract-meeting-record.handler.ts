import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { meetingDecider } from '../../meeting.decider.js';
import { RetractMeetingRecordCommand } from './retract-meeting-record.command.js';

@CommandHandler(RetractMeetingRecordCommand)
export class RetractMeetingRecordHandler implements ICommandHandler<RetractMeetingRecordCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ meetingId, body, ctx }: RetractMeetingRecordCommand) {
    return this.runner.run(meetingDecider, meetingId, { type: 'RetractMeetingRecord', reason: body.reason }, ctx, { noun: 'meeting' });
  }
}
