import { Module } from '@nestjs/common';
import { CorrectMeetingRecordController } from './commands/correct-meeting-record/correct-meeting-record.controller.js';
import { CorrectMeetingRecordHandler } from './commands/correct-meeting-record/correct-meeting-record.handler.js';
import { MeetingsController } from './meetings.controller.js';
import { MeetingsQuery } from './queries/meetings.query.js';
import { RecordMeetingController } from './commands/record-meeting/record-meeting.controller.js';
import { RecordMeetingHandler } from './commands/record-meeting/record-meeting.handler.js';
import { RetractMeetingRecordController } from './commands/retract-meeting-record/retract-meeting-record.controller.js';
import { RetractMeetingRecordHandler } from './commands/retract-meeting-record/retract-meeting-record.handler.js';

@Module({
  controllers: [MeetingsController, RecordMeetingController, CorrectMeetingRecordController, RetractMeetingRecordController],
  providers: [MeetingsQuery, RecordMeetingHandler, CorrectMeetingRecordHandler, RetractMeetingRecordHandler],
})
export class MeetingsModule {}
