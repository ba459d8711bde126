import { Body, Controller, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { RegisterPersonCommand } from './register-person.command.js';
import { RegisterPersonDto } from './register-person.dto.js';

@ApiTags('people')
@ApiBearerAuth()
@Controller('people')
export class RegisterPersonController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Access('write')
  @ApiOperation({ summary: 'RegisterPerson: a person who holds or held offices (PersonRegistered)' })
  async register(@Body() body: RegisterPersonDto, @CommandCtx() ctx: CommandContext, @Res({ passthrough: true }) res: HttpReply) {
    const outcome = await this.commands.execute(new RegisterPersonCommand(body, ctx));
    return sendOutcome(res, outcome, (id) => `/api/v1/people/${id}`);
  }
}
