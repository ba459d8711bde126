import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { Access } from '../shared/auth/access.js';
import { AppError } from '../shared/errors.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { rangeOf } from '../shared/partial-date.js';
import { IsPartialDate, Text } from '../shared/validation.js';
import { MeetingPageView, MeetingView } from './queries/meeting.view.js';
import { MeetingsQuery } from './queries/meetings.query.js';

export class MeetingsListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only meetings this party took part in.' })
  @IsOptional()
  @IsUUID('all')
  partyId?: string;

  @ApiPropertyOptional({ description: 'A partial date: only meetings with a day on or after its first day.', example: '2020' })
  @IsOptional()
  @IsPartialDate()
  from?: string;

  @ApiPropertyOptional({ description: 'A partial date: only meetings with a day on or before its last day.', example: '2021-06' })
  @IsOptional()
  @IsPartialDate()
  to?: string;

  @Text(200, {
    optional: true,
    description:
      'Full-text search over title, topics, summary and outcomes, in web-search syntax: words (all must match), "a phrase", or, -word. ' +
      'Words match as written (names, acronyms, any language; case-insensitive) or by English stem ("forums" finds "Forum").',
    example: '"Baku Process"',
  })
  q?: string;
}

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('meetings')
export class MeetingsController {
  constructor(
    private readonly query: MeetingsQuery,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({
    summary: 'Meetings, newest first; retracted records are left out',
    description:
      'Ordered by occurredOn, newest first: partial dates by first day descending, then last day descending ' +
      '(`2026-06`, `2026-05`, `2026-05-01`, `2026`). `from` and `to` keep the meetings whose days overlap ' +
      'from\'s first day to to\'s last day: a meeting recorded as `2021` is kept by `from=2021-06`. ' +
      'Each item has the shape of GET /meetings/{id}.',
  })
  @ApiOkResponse({ type: MeetingPageView })
  async list(@Query() q: MeetingsListQueryDto) {
    if (q.from && q.to && rangeOf(q.to).last < rangeOf(q.from).first) {
      throw AppError.badInput([{ field: 'to', message: 'must not be before from' }], 'The query contradicts itself.');
    }
    if (q.minPosition) await this.projections.waitFor(['meetings'], q.minPosition);
    return this.query.list({ partyId: q.partyId, from: q.from, to: q.to, q: q.q, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({
    summary: 'One meeting, as corrected, with its correction trail; a retracted record still answers, with retracted: {reason}',
  })
  @ApiOkResponse({ type: MeetingView })
  async get(@Param('id', IdParam) id: string, @Query() q: ReadQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['meetings'], q.minPosition);
    return this.query.get(id);
  }
}
