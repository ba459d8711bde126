import { Module } from '@nestjs/common';
import { TimelineQuery } from './queries/timeline.query.js';
import { TimelineController } from './timeline.controller.js';

@Module({ controllers: [TimelineController], providers: [TimelineQuery] })
export class TimelineModule {}
