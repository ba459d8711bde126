import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { WithdrawCommitmentCommand } from './withdraw-commitment.command.js';
import { WithdrawCommitmentDto } from './withdraw-commitment.dto.js';

@ApiTags('commitments')
@ApiBearerAuth()
@Controller('commitments')
export class WithdrawCommitmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/withdrawal')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("1"); 412 when the commitment has moved on.' })
  @ApiOperation({ summary: 'WithdrawCommitment: no longer pursued, for a reason (CommitmentWithdrawn)' })
  async withdraw(
    @Param('id', IdParam) id: string,
    @Body() body: WithdrawCommitmentDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new WithdrawCommitmentCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/commitments/${x}`);
  }
}
