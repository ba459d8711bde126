import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { FulfilCommitmentCommand } from './fulfil-commitment.command.js';
import { FulfilCommitmentDto } from './fulfil-commitment.dto.js';

@ApiTags('commitments')
@ApiBearerAuth()
@Controller('commitments')
export class FulfilCommitmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/fulfilment')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("1"); 412 when the commitment has moved on.' })
  @ApiOperation({ summary: 'FulfilCommitment: kept, on a date (CommitmentFulfilled); 409 COMMITMENT.WITHDRAWN when withdrawn' })
  async fulfil(
    @Param('id', IdParam) id: string,
    @Body() body: FulfilCommitmentDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new FulfilCommitmentCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/commitments/${x}`);
  }
}
