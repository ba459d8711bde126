import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { AnnounceForumCommand } from './announce-forum.command.js';
import { AnnounceForumDto } from './announce-forum.dto.js';

@ApiTags('forums')
@ApiBearerAuth()
@Controller('forums')
export class AnnounceForumController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Access('write')
  @ApiOperation({ summary: 'AnnounceForum (ForumAnnounced, or ForumProposed when proposed is true)' })
  async announce(@Body() body: AnnounceForumDto, @CommandCtx() ctx: CommandContext, @Res({ passthrough: true }) res: HttpReply) {
    const outcome = await this.commands.execute(new AnnounceForumCommand(body, ctx));
    return sendOutcome(res, outcome, (id) => `/api/v1/forums/${id}`);
  }
}
