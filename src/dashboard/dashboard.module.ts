import { Module } from '@nestjs/common';
import { LiveFeed } from './live-feed.js';
import { LiveController } from './live.controller.js';

/** The live feed behind the dashboard; the page itself is static files (see static.ts). */
@Module({
  controllers: [LiveController],
  providers: [LiveFeed],
  exports: [LiveFeed],
})
export class DashboardModule {}
