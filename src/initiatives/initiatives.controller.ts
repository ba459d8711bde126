import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { Access } from '../shared/auth/access.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { INITIATIVE_KINDS, type InitiativeKind } from './initiative.events.js';
import { InitiativesQuery } from './queries/initiatives.query.js';

export class InitiativesListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: INITIATIVE_KINDS, description: 'Only initiatives of this kind.' })
  @IsOptional()
  @IsIn(INITIATIVE_KINDS as unknown as string[])
  kind?: InitiativeKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only initiatives this party leads or partners.' })
  @IsOptional()
  @IsUUID('all')
  partyId?: string;
}

@ApiTags('initiatives')
@ApiBearerAuth()
@Controller('initiatives')
export class InitiativesController {
  constructor(
    private readonly query: InitiativesQuery,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({
    summary: 'Initiatives, earliest launched first (partial dates: first day, then last day)',
    description: 'Answers `{ items, next }`; each item is `{ id, name, kind, launchedOn, lead: {id, name}, partners: [{id, name}] }`.',
  })
  async list(@Query() q: InitiativesListQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['initiatives'], q.minPosition);
    return this.query.list({ kind: q.kind, partyId: q.partyId, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({ summary: 'One initiative: `{ id, name, kind, launchedOn, lead: {id, name}, partners: [{id, name}] }`' })
  async get(@Param('id', IdParam) id: string, @Query() q: ReadQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['initiatives'], q.minPosition);
    return this.query.get(id);
  }
}
