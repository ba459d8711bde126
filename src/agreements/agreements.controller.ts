import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ProjectionRunner } from '../projections/projection-runner.js';
import { TimeTravel, TimeTravelQueryDto } from '../audit/time-travel.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { PARTY_NAME_EVENTS } from '../projections/name-lookups.js';
import { Access } from '../shared/auth/access.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto, ReadQueryDto } from '../shared/http/list-query.dto.js';
import { pageLimit } from '../shared/http/paging.js';
import { AGREEMENT_KINDS, AGREEMENT_STATUSES, type AgreementKind, type AgreementStatus } from './agreement.events.js';
import { AgreementPageView, AgreementView } from './queries/agreement.view.js';
import { AgreementsQuery } from './queries/agreements.query.js';

export class AgreementsListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only agreements this party is a party to.' })
  @IsOptional()
  @IsUUID('all')
  partyId?: string;

  @ApiPropertyOptional({ enum: AGREEMENT_STATUSES, description: 'Status as of today.' })
  @IsOptional()
  @IsIn(AGREEMENT_STATUSES as unknown as string[], { message: `status must be one of: ${AGREEMENT_STATUSES.join(', ')}` })
  status?: AgreementStatus;

  @ApiPropertyOptional({ enum: AGREEMENT_KINDS })
  @IsOptional()
  @IsIn(AGREEMENT_KINDS as unknown as string[], { message: `kind must be one of: ${AGREEMENT_KINDS.join(', ')}` })
  kind?: AgreementKind;
}

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('agreements')
export class AgreementsController {
  constructor(
    private readonly query: AgreementsQuery,
    private readonly projections: ProjectionRunner,
    private readonly timeTravel: TimeTravel,
  ) {}

  @Get()
  @Access('read')
  @ApiOperation({
    summary: 'Agreements, most recently signed first; status derived for today',
    description:
      'Ordered by signedOn, newest first (partial dates by first day descending, then last day descending). ' +
      'status: terminated once the termination date has begun, expired when expiresOn is wholly before today, else in_force.',
  })
  @ApiOkResponse({ type: AgreementPageView })
  async list(@Query() q: AgreementsListQueryDto) {
    if (q.minPosition) await this.projections.waitFor(['agreements'], q.minPosition);
    return this.query.list({ partyId: q.partyId, status: q.status, kind: q.kind, limit: pageLimit(q.limit), cursor: q.cursor });
  }

  @Get(':id')
  @Access('read')
  @ApiOperation({ summary: 'One agreement with its amendments, renewals and termination; status derived for today' })
  @ApiOkResponse({ type: AgreementView })
  async get(@Param('id', IdParam) id: string, @Query() q: TimeTravelQueryDto, @Req() req: AuthedRequest) {
    return this.timeTravel.answer(
      req,
      q,
      'agreements',
      async () => {
        if (q.minPosition) await this.projections.waitFor(['agreements'], q.minPosition);
        return this.query.get(id);
      },
      () => ({ where: `stream_id = $1::text::uuid or type = any($2::text[])`, params: [id, [...PARTY_NAME_EVENTS, 'PersonRegistered']] }),
      (db, day) => this.query.get(id, day, db),
    );
  }
}
