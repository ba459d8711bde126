import { Module } from '@nestjs/common';
import { AddForumPartnerController } from './commands/add-forum-partner/add-forum-partner.controller.js';
import { AddForumPartnerHandler } from './commands/add-forum-partner/add-forum-partner.handler.js';
import { AnnounceForumController } from './commands/announce-forum/announce-forum.controller.js';
import { AnnounceForumHandler } from './commands/announce-forum/announce-forum.handler.js';
import { CancelForumController } from './commands/cancel-forum/cancel-forum.controller.js';
import { CancelForumHandler } from './commands/cancel-forum/cancel-forum.handler.js';
import { ConfirmForumController } from './commands/confirm-forum/confirm-forum.controller.js';
import { ConfirmForumHandler } from './commands/confirm-forum/confirm-forum.handler.js';
import { PostponeForumController } from './commands/postpone-forum/postpone-forum.controller.js';
import { PostponeForumHandler } from './commands/postpone-forum/postpone-forum.handler.js';
import { RecordForumHeldController } from './commands/record-forum-held/record-forum-held.controller.js';
import { RecordForumHeldHandler } from './commands/record-forum-held/record-forum-held.handler.js';
import { ScheduleForumController } from './commands/schedule-forum/schedule-forum.controller.js';
import { ScheduleForumHandler } from './commands/schedule-forum/schedule-forum.handler.js';
import { ForumsController } from './forums.controller.js';
import { ForumsQuery } from './queries/forums.query.js';

@Module({
  controllers: [
    ForumsController,
    AnnounceForumController,
    ConfirmForumController,
    ScheduleForumController,
    PostponeForumController,
    RecordForumHeldController,
    CancelForumController,
    AddForumPartnerController,
  ],
  providers: [
    AnnounceForumHandler,
    ConfirmForumHandler,
    ScheduleForumHandler,
    PostponeForumHandler,
    RecordForumHeldHandler,
    CancelForumHandler,
    AddForumPartnerHandler,
    ForumsQuery,
  ],
})
export class ForumsModule {}
