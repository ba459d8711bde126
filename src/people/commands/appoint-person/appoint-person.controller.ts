import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { AppointPersonCommand } from './appoint-person.command.js';
import { AppointPersonDto } from './appoint-person.dto.js';

@ApiTags('people')
@ApiBearerAuth()
@Controller('people')
export class AppointPersonController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/appointments')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("3"); 412 when the person has moved on.' })
  @ApiOperation({
    summary: 'AppointPerson: an office held at a party from a date (PersonAppointed)',
    description: "Answers the person stream's {id, version, position}; the new appointmentId is in the PersonAppointed event's data.",
  })
  async appoint(
    @Param('id', IdParam) id: string,
    @Body() body: AppointPersonDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new AppointPersonCommand(id, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/people/${x}`);
  }
}
