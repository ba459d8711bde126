import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { RenamePartyCommand } from './rename-party.command.js';
import { RenamePartyDto } from './rename-party.dto.js';

@ApiTags('parties')
@ApiBearerAuth()
@Controller('parties')
export class RenamePartyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/renaming')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("3"); 412 when the party has moved on.' })
  @ApiOperation({ summary: 'RenameParty: a new name from a date; the former name is kept (PartyRenamed)' })
  async rename(
    @Param('id', IdParam) id: string,
    @Body() body: RenamePartyDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new RenamePartyCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/parties/${x}`);
  }
}
