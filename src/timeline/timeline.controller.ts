import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Access } from '../shared/auth/access.js';
import { ListQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { IsPartialDate } from '../shared/validation.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { TimelineQuery } from './queries/timeline.query.js';

export class TimelineQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only facts this party takes part in.' })
  @IsOptional()
  @IsUUID('all')
  partyId?: string;

  @ApiPropertyOptional({ description: 'A partial date: facts whose date overlaps it or comes later (`2026` is within from=2026-05).', example: '2020' })
  @IsOptional()
  @IsPartialDate()
  from?: string;

  @ApiPropertyOptional({ description: 'A partial date: facts whose date overlaps it or comes earlier.', example: '2025-12' })
  @IsOptional()
  @IsPartialDate()
  to?: string;
}

@ApiTags('timeline')
@ApiBearerAuth()
@Controller('timeline')
export class TimelineController {
  constructor(
    private readonly query: TimelineQuery,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({
    summary: 'Everything that happened, in the order it happened in the world',
    description:
      'Answers `{ items, next }`; each entry is `{ id, on, kind, type, recordId, title, parties: [{id, name}] }`: `id` is the position of ' +
      'the event that recorded the fact (stable), `on` the world date as recorded (the day it was recorded when the fact has no date ' +
      'of its own), `kind` the kind of record `recordId` names (party, person, partnership, initiative, forum, agreement, meeting, ' +
      'commitment), `type` the event type. Ordered by date (first day, then last day), then by the order recorded. A corrected meeting ' +
      'shows its corrected date, title and parties; a retracted meeting is left out.',
  })
  async list(@Query() q: TimelineQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['timeline'], q.minPosition);
    return this.query.list({ partyId: q.partyId, from: q.from, to: q.to, limit: pageLimit(q.limit), cursor: q.cursor });
  }
}
