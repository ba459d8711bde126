import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { EstablishPartnershipCommand } from './establish-partnership.command.js';
import { EstablishPartnershipDto } from './establish-partnership.dto.js';

@ApiTags('partnerships')
@ApiBearerAuth()
@Controller('partnerships')
export class EstablishPartnershipController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Access('write')
  @ApiOperation({ summary: 'EstablishPartnership: two parties are partners since a date (PartnershipEstablished); the id is the pair\'s partnership id' })
  async establish(@Body() body: EstablishPartnershipDto, @CommandCtx() ctx: CommandContext, @Res({ passthrough: true }) res: HttpReply) {
    const outcome = await this.commands.execute(new EstablishPartnershipCommand(body, ctx));
    return sendOutcome(res, outcome, (id) => `/api/v1/partnerships/${id}`);
  }
}
