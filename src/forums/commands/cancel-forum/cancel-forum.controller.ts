import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { CancelForumCommand } from './cancel-forum.command.js';
import { CancelForumDto } from './cancel-forum.dto.js';

@ApiTags('forums')
@ApiBearerAuth()
@Controller('forums')
export class CancelForumController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/cancellation')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("3"); 412 when the forum has moved on.' })
  @ApiOperation({ summary: 'CancelForum: it will not take place (ForumCancelled)' })
  async cancel(
    @Param('id', IdParam) id: string,
    @Body() body: CancelForumDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new CancelForumCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/forums/${x}`);
  }
}
