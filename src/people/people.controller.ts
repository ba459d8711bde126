import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { Access } from '../shared/auth/access.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { PeopleQuery } from './queries/people.query.js';

export class PeopleListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ maxLength: 300, description: 'Case-insensitive search in the full name.', example: 'karim' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  q?: string;
}

@ApiTags('people')
@ApiBearerAuth()
@Controller('people')
export class PeopleController {
  constructor(
    private readonly query: PeopleQuery,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({ summary: 'People by full name; search by part of the name' })
  async list(@Query() q: PeopleListQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['people'], q.minPosition);
    return this.query.list({ q: q.q, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({ summary: 'One person with every appointment, past and current, in date order' })
  async get(@Param('id', IdParam) id: string, @Query() q: ReadQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['people'], q.minPosition);
    return this.query.get(id);
  }
}
