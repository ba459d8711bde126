import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Access } from '../shared/auth/access.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { IsPartialDate } from '../shared/validation.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { TimeTravel, TimeTravelQueryDto } from '../audit/time-travel.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { PARTY_NAME_EVENTS } from '../projections/name-lookups.js';
import { FORUM_STATUSES, type ForumStatus } from './forum.events.js';
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

export class ForumsListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only forums of this series (exact name).' })
  @IsOptional()
  @MaxLength(300)
  series?: string;

  @ApiPropertyOptional({ enum: FORUM_STATUSES, description: 'Only forums in this status.' })
  @IsOptional()
  @IsIn(FORUM_STATUSES as unknown as string[])
  status?: ForumStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only forums this party hosts, organises or partners.' })
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
    private readonly timeTravel: TimeTravel,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({
    summary: 'Forums in date order: scheduled or held days, else planned date; postponed without a date last',
    description:
      'Answers `{ items, next }`; each item is `{ id, series, edition, title, hostCity, host: {id, name} | null, status, plannedFor, ' +
      'startsOn, endsOn, venue, organizers: [{id, name}], partners: [{id, name}] }` (the detail without its history).',
  })
  async list(@Query() q: ForumsListQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['forums'], q.minPosition);
    return this.query.list({ series: q.series, status: q.status, partyId: q.partyId, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  // Declared before `:id`, so that `upcoming` is not taken for an id.
  @Get('upcoming')
  @Access('read')
  @ApiOperation({ summary: 'Forums not held or cancelled, earliest first; postponed without a date last' })
  async upcoming(@Query() q: UpcomingForumsQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['forums'], q.minPosition);
    return this.query.upcoming({ from: q.from, series: q.series, partyId: q.partyId, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({
    summary: 'One forum with its status history',
    description:
      'The list item plus `history: [{ status, event, plannedFor, startsOn, endsOn, reason, recordedAt }]`, oldest first: ' +
      'one entry per change of status (announced, proposed, confirmed, scheduled, postponed, held, cancelled), with the dates ' +
      'the forum had after it and the reason given for a postponement or cancellation.',
  })
  async get(@Param('id', IdParam) id: string, @Query() q: TimeTravelQueryDto, @Req() req: AuthedRequest) {
    return this.timeTravel.answer(
      req,
      q,
      'forums',
      async () => {
        if (q.minPosition) await this.projections.waitFor(['forums'], q.minPosition);
        return this.query.get(id);
      },
      () => ({ where: `stream_id = $1::text::uuid or type = any($2::text[])`, params: [id, PARTY_NAME_EVENTS] }),
      (db) => this.query.get(id, db),
    );
  }
}
