import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { RegisterPartyCommand } from './register-party.command.js';
import { RegisterPartyDto } from './register-party.dto.js';

@ApiTags('parties')
@ApiBearerAuth()
@Controller('parties')
export class RegisterPartyController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Access('write')
  @ApiOperation({ summary: 'RegisterParty: a state, ministry, organisation or other party (PartyRegistered)' })
  async register(@Body() body: RegisterPartyDto, @CommandCtx() ctx: CommandContext, @Res({ passthrough: true }) res: HttpReply) {
    const outcome = await this.commands.execute(new RegisterPartyCommand(body, ctx));
    return sendOutcome(res, outcome, (id) => `/api/v1/parties/${id}`);
  }
}
