import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { TimeTravel, TimeTravelQueryDto } from '../audit/time-travel.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { Access } from '../shared/auth/access.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { PARTY_KINDS, type PartyKind } from './party.events.js';
import { PartiesQuery } from './queries/parties.query.js';

export class PartiesListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: PARTY_KINDS as unknown as string[], description: 'Only parties of this kind.' })
  @IsOptional()
  @IsIn(PARTY_KINDS as unknown as string[], { message: `kind must be one of: ${PARTY_KINDS.join(', ')}` })
  kind?: PartyKind;

  @ApiPropertyOptional({ maxLength: 300, description: 'Case-insensitive search in current and former names and short names.', example: 'isesco' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  q?: string;
}

@ApiTags('parties')
@ApiBearerAuth()
@Controller('parties')
export class PartiesController {
  constructor(
    private readonly query: PartiesQuery,
    private readonly projections: ProjectionRunner,
    private readonly timeTravel: TimeTravel,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({ summary: 'Parties by name, with their former names; filter by kind, search by any name they have had' })
  async list(@Query() q: PartiesListQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['parties'], q.minPosition);
    return this.query.list({ kind: q.kind, q: q.q, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({ summary: 'One party: current name, former names with dates, parent, and current office holders' })
  async get(@Param('id', IdParam) id: string, @Query() q: TimeTravelQueryDto, @Req() req: AuthedRequest) {
    return this.timeTravel.answer(
      req,
      q,
      'parties',
      async () => {
        if (q.minPosition) await this.projections.waitFor(['parties'], q.minPosition);
        return this.query.get(id);
      },
      () => ({
        // the party, its parent (for the parent's name) and everyone ever appointed to it
        where: `stream_id = $1::text::uuid
                or stream_id = (select (data->>'parentPartyId')::uuid from events where stream_id = $1::text::uuid and type = 'PartyRegistered')
                or stream_id in (select stream_id from events where type = 'PersonAppointed' and data->>'partyId' = $1::text)`,
        params: [id],
      }),
      (db, day) => this.query.get(id, { day }, db),
    );
  }
}
