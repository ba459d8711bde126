import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../shared/http/http-types.js';
import { Public } from '../shared/auth/access.js';
import { Metrics } from './metrics.service.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics of this instance (text exposition format); no token' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'requests, command latency, events appended, projections, rebuilds, pool usage, process' })
  async scrape(@Res() res: HttpReply): Promise<void> {
    const { contentType, body } = await this.metrics.text();
    res.header('Content-Type', contentType);
    res.send(body);
  }
}
