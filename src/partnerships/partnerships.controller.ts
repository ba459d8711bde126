import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Access } from '../shared/auth/access.js';
import { ListQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { TimeTravel, TimeTravelQueryDto } from '../audit/time-travel.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { AppError } from '../shared/errors.js';
import { PARTY_NAME_EVENTS } from '../projections/name-lookups.js';
import { PartnershipsQuery } from './queries/partnerships.query.js';

export class PartnershipsListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only partnerships of this party.' })
  @IsOptional()
  @IsUUID('all')
  partyId?: string;
}

@ApiTags('partnerships')
@ApiBearerAuth()
@Controller('partnerships')
export class PartnershipsController {
  constructor(
    private readonly query: PartnershipsQuery,
    private readonly projections: ProjectionRunner,
    private readonly timeTravel: TimeTravel,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({ summary: 'Partnerships: one per pair of parties that share anything' })
  async list(@Query() q: PartnershipsListQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['partnerships'], q.minPosition);
    return this.query.list({ partyId: q.partyId, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({
    summary: 'One partnership; with asOf and/or knownAt (auditors), as it was',
    description:
      'asOf: what was true in the world on that date, from what is recorded now; knownAt: what the system held at that instant. ' +
      "Both fold the pair's events with the projection's own code.",
  })
  async get(@Param('id', IdParam) id: string, @Query() q: TimeTravelQueryDto, @Req() req: AuthedRequest) {
    return this.timeTravel.answer(
      req,
      q,
      'partnerships',
      async () => {
        if (q.minPosition) await this.projections.waitFor(['partnerships'], q.minPosition);
        return this.query.get(id);
      },
      async () => {
        const pair = await this.query.pairOf(id);
        if (!pair) throw AppError.notFound('partnership', id);
        // The streams that ever named both parties (ids are UUIDs: a text match is exact),
        // and the two parties' names.
        return {
          where: `(type = any($3::text[]) and stream_id in ($1::text::uuid, $2::text::uuid))
                  or stream_id in (select stream_id from events where strpos(data::text, $1::text) > 0
                                   intersect select stream_id from events where strpos(data::text, $2::text) > 0)`,
          params: [pair[0], pair[1], PARTY_NAME_EVENTS],
        };
      },
      (db, day) => this.query.get(id, day, db),
    );
  }

}
