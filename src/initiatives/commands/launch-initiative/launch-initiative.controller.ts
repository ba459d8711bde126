import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { LaunchInitiativeCommand } from './launch-initiative.command.js';
import { LaunchInitiativeDto } from './launch-initiative.dto.js';

@ApiTags('initiatives')
@ApiBearerAuth()
@Controller('initiatives')
export class LaunchInitiativeController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Access('write')
  @ApiOperation({ summary: 'LaunchInitiative: a process, campaign, programme or action plan (InitiativeLaunched)' })
  async launch(@Body() body: LaunchInitiativeDto, @CommandCtx() ctx: CommandContext, @Res({ passthrough: true }) res: HttpReply) {
    const outcome = await this.commands.execute(new LaunchInitiativeCommand(body, ctx));
    return sendOutcome(res, outcome, (id) => `/api/v1/initiatives/${id}`);
  }
}
