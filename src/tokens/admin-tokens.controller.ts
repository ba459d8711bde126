import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags, PickType } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { HttpReply } from '../shared/http/http-types.js';
import { DataSource } from 'typeorm';
import { ROLES, type Role } from '../config/config.js';
import { Access } from '../shared/auth/access.js';
import type { AuthedRequest } from '../shared/auth/auth.guard.js';
import { createStoredToken, getStoredToken, listStoredTokens, revokeStoredToken } from '../shared/auth/token-store.js';
import { AppError } from '../shared/errors.js';
import { isUuid } from '../shared/ids.js';
import { IdParam } from '../shared/http/id-param.pipe.js';
import { ListQueryDto } from '../shared/http/list-query.dto.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/http/paging.js';
import { Text } from '../shared/validation.js';

export class CreateTokenDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;

  @Text(200, { description: 'Who or what holds the token; commands it sends are recorded with this label as actor.', example: 'dashboard' })
  label: string;
}

/** The list's paging; no minPosition: tokens are no projection. */
export class TokensQueryDto extends PickType(ListQueryDto, ['limit', 'cursor'] as const) {}

/** Stored tokens. AUTH_TOKENS are configuration: not listed here, not revocable here. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/tokens')
export class AdminTokensController {
  constructor(private readonly db: DataSource) {}

  @Post()
  @Access('admin')
  @ApiOperation({ summary: 'Create a token: answers { id, role, label, token }; the token is shown this once, only its hash is kept' })
  async create(@Body() body: CreateTokenDto, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: HttpReply) {
    const created = await createStoredToken(this.db, { role: body.role, label: body.label, createdBy: req.principal!.label });
    res.status(201).header('Location', `/api/v1/admin/tokens/${created.id}`);
    res.header('Cache-Control', 'no-store');
    return created;
  }

  @Get()
  @Access('admin')
  @ApiOperation({ summary: 'Stored tokens, newest first, revoked ones too; never a token or its hash' })
  async list(@Query() q: TokensQueryDto) {
    const before = decodeCursor(q.cursor, isUuid);
    const page = await listStoredTokens(this.db, before, pageLimit(q.limit));
    return { items: page.items, next: page.more ? encodeCursor(page.items[page.items.length - 1].id) : null };
  }

  @Get(':id')
  @Access('admin')
  @ApiOperation({ summary: 'One stored token: role, label, who created it, revocation, last use' })
  async one(@Param('id', IdParam) id: string) {
    const token = await getStoredToken(this.db, id);
    if (!token) throw AppError.notFound('token', id);
    return token;
  }

  @Delete(':id')
  @Access('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token: every instance refuses it from the next request (204; again: 204; unknown: 404)' })
  async revoke(@Param('id', IdParam) id: string, @Req() req: AuthedRequest): Promise<void> {
    if ((await revokeStoredToken(this.db, id, req.principal!.label)) === 'unknown') throw AppError.notFound('token', id);
  }
}
