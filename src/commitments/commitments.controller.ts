import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { Access } from '../shared/auth/access.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { COMMITMENT_STATUSES, type CommitmentStatus } from './commitment.decider.js';
import { CommitmentPageView, CommitmentView } from './queries/commitment.view.js';
import { CommitmentsQuery } from './queries/commitments.query.js';

export class CommitmentsListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only commitments this party made.' })
  @IsOptional()
  @IsUUID('all')
  partyId?: string;

  @ApiPropertyOptional({ enum: COMMITMENT_STATUSES })
  @IsOptional()
  @IsIn(COMMITMENT_STATUSES as unknown as string[], { message: `status must be one of: ${COMMITMENT_STATUSES.join(', ')}` })
  status?: CommitmentStatus;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only overdue ones (open, due wholly before today); false: only the others.' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';
}

@ApiTags('commitments')
@ApiBearerAuth()
@Controller('commitments')
export class CommitmentsController {
  constructor(
    private readonly query: CommitmentsQuery,
    private readonly projections: ProjectionRunner,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({
    summary: 'Commitments, soonest due first; those made in a retracted meeting are left out',
    description:
      'Ordered by dueBy in partial-date order (first day, then last day), commitments without a due date last. ' +
      'overdue is derived for today: open, and dueBy wholly before today.',
  })
  @ApiOkResponse({ type: CommitmentPageView })
  async list(@Query() q: CommitmentsListQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['commitments'], q.minPosition);
    return this.query.list({
      partyId: q.partyId,
      status: q.status,
      overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
      limit: pageLimit(q.limit),
      cursor: q.cursor,
    });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({ summary: 'One commitment; one made in a retracted meeting still answers, with meetingRetracted: {reason}' })
  @ApiOkResponse({ type: CommitmentView })
  async get(@Param('id', IdParam) id: string, @Query() q: ReadQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['commitments'], q.minPosition);
    return this.query.get(id);
  }
}
