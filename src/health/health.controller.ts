import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../shared/auth/access.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get('live')
  @Public()
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      const rows: { name: string; lag: string }[] = await this.db.query(
        `select c.name, (select count(*) from events e where (e.transaction_id, e.global_position) > (c.transaction_id, c.position))::text as lag
           from projection_checkpoints c order by c.name`,
      );
      return { status: 'ok', database: 'up', projections: rows.map((r) => ({ name: r.name, lag: Number(r.lag) })) };
    } catch (err) {
      res.status(503);
      return { status: 'unavailable', database: 'down', detail: (err as Error).message };
    }
  }
}
