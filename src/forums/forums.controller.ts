import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Access } from '../shared/auth/access.js';
import { ListQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { IsPartialDate } from '../shared/validation.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { ForumsQuery } from './queries/forums.query.js';

export class UpcomingForumsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'A partial date; default today. Forums wholly before it are left out.', example: '2026' })
  @IsOptional()
  @IsPartialDate()
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(300)
  series?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  partyId?: string;
}

@ApiTags('forums')
@ApiBearerAuth()
@Controller('forums')
export class ForumsController {
  constructor(
    private readonly query: ForumsQuery,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get('upcoming')
  @Access('read')
  @ApiOperation({ summary: 'Forums not held or cancelled, earliest first; postponed without a date last' })
  async upcoming(@Query() q: UpcomingForumsQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['forums'], q.minPosition);
    return this.query.upcoming({ from: q.from, series: q.series, partyId: q.partyId, limit: pageLimit(q.limit), cursor: q.cursor });
  }
}
