import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { ConfirmForumCommand } from './confirm-forum.command.js';
import { ConfirmForumDto } from './confirm-forum.dto.js';

@ApiTags('forums')
@ApiBearerAuth()
@Controller('forums')
export class ConfirmForumController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/confirmation')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("3"); 412 when the forum has moved on.' })
  @ApiOperation({ summary: 'ConfirmForum: a proposed or postponed forum is planned again, for plannedFor or the date it had (ForumConfirmed)' })
  async confirm(
    @Param('id', IdParam) id: string,
    @Body() body: ConfirmForumDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new ConfirmForumCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/forums/${x}`);
  }
}
