import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../shared/http/http-types.js';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { Access } from '../shared/auth/access.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { Text } from '../shared/validation.js';
import { ProjectionAdmin } from './projection-admin.service.js';
import { ProjectionRebuilder } from './projection-rebuilder.js';

export class RebuildDto {
  @ApiPropertyOptional({ enum: ['swap', 'compare'], default: 'swap', description: 'compare: rebuild into shadow tables and report differences without swapping.' })
  @IsOptional()
  @IsIn(['swap', 'compare'])
  mode?: 'swap' | 'compare';
}

export class SkipDto {
  @Matches(/^[1-9]\d{0,18}$/, { message: 'position must be the position of an event' })
  position: string;

  @Text(1000, { optional: true })
  reason?: string | null;
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/projections')
export class AdminProjectionsController {
  constructor(
    private readonly admin: ProjectionAdmin,
    private readonly rebuilder: ProjectionRebuilder,
  ) {}

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Every projection: position, lag, status, owner, failures, rebuild progress, and what blocks it' })
  list() {
    return this.admin.list();
  }

  @Get(':name')
  @Access('admin')
  @ApiOperation({ summary: 'One projection, with its dead letters' })
  async one(@Param('name') name: string) {
    return { ...(await this.admin.status(name)), deadLetters: await this.admin.deadLetters(name) };
  }

  @Post('rebuild')
  @Access('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild every projection at once from one read of the log, as the rebuild of one does (202)' })
  async rebuildAll(@Body() body: RebuildDto, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: HttpReply) {
    await this.rebuilder.startAll(this.admin.names(), req.principal!.label, body.mode ?? 'swap');
    res.header('Location', '/api/v1/admin/projections');
    return this.admin.list();
  }

  @Post(':name/rebuild')
  @Access('admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild from the log into shadow tables, compare, swap in one transaction; reads go on (202)' })
  async rebuild(@Param('name') name: string, @Body() body: RebuildDto, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: HttpReply) {
    await this.rebuilder.start(name, req.principal!.label, body.mode ?? 'swap');
    res.header('Location', `/api/v1/admin/projections/${name}`);
    return this.admin.status(name);
  }

  @Post(':name/pause')
  @Access('admin')
  @HttpCode(200)
  pause(@Param('name') name: string) {
    return this.admin.setPaused(name, true);
  }

  @Post(':name/resume')
  @Access('admin')
  @HttpCode(200)
  resume(@Param('name') name: string) {
    return this.admin.setPaused(name, false);
  }

  @Post(':name/skip')
  @Access('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Skip one event for this projection (a poison event); the skip is recorded' })
  skip(@Param('name') name: string, @Body() body: SkipDto, @Req() req: AuthedRequest) {
    return this.admin.skip(name, body.position, req.principal!.label, body.reason ?? null);
  }
}
