import { Module } from '@nestjs/common';
import { RecordMeetingController } from './commands/record-meeting/record-meeting.controller.js';
import { RecordMeetingHandler } from './commands/record-meeting/record-meeting.handler.js';

@Module({ controllers: [RecordMeetingController], providers: [RecordMeetingHandler] })
export class MeetingsModule {}
