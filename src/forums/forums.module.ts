import { Module } from '@nestjs/common';
import { AnnounceForumController } from './commands/announce-forum/announce-forum.controller.js';
import { AnnounceForumHandler } from './commands/announce-forum/announce-forum.handler.js';
import { ForumsController } from './forums.controller.js';
import { ForumsQuery } from './queries/forums.query.js';

@Module({ controllers: [ForumsController, AnnounceForumController], providers: [AnnounceForumHandler, ForumsQuery] })
export class ForumsModule {}
