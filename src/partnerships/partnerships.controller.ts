import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Access } from '../shared/auth/access.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ProjectionRunner } from '../projections/projection-runner.js';
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
  @ApiOperation({ summary: 'One partnership' })
  async get(@Param('id', IdParam) id: string, @Query() q: ReadQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['partnerships'], q.minPosition);
    return this.query.get(id);
  }
}
