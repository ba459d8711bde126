import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { SignAgreementCommand } from './sign-agreement.command.js';
import { SignAgreementDto } from './sign-agreement.dto.js';

@ApiTags('agreements')
@ApiBearerAuth()
@Controller('agreements')
export class SignAgreementController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Access('write')
  @ApiOperation({ summary: 'SignMoU, or any agreement (MouSigned for kind mou, else AgreementSigned)' })
  async sign(@Body() body: SignAgreementDto, @CommandCtx() ctx: CommandContext, @Res({ passthrough: true }) res: HttpReply) {
    const outcome = await this.commands.execute(new SignAgreementCommand(body, ctx));
    return sendOutcome(res, outcome, (id) => `/api/v1/agreements/${id}`);
  }
}
