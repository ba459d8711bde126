import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { TerminateAgreementCommand } from './terminate-agreement.command.js';
import { TerminateAgreementDto } from './terminate-agreement.dto.js';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('agreements')
export class TerminateAgreementController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/termination')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("3"); 412 when the agreement has moved on.' })
  @ApiOperation({ summary: 'TerminateAgreement: ended from a date, for a reason (AgreementTerminated)' })
  async terminate(
    @Param('id', IdParam) id: string,
    @Body() body: TerminateAgreementDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new TerminateAgreementCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/agreements/${x}`);
  }
}
