import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HttpReply } from '../../../shared/http/http-types.js';
import { Access } from '../../../shared/auth/access.js';
import type { CommandContext } from '../../../shared/commands/command-context.js';
import { CommandCtx } from '../../../shared/http/command-context.decorator.js';
import { sendOutcome } from '../../../shared/http/command-response.js';
import { IdParam } from '../../../shared/http/id-param.pipe.js';
import { EndAppointmentCommand } from './end-appointment.command.js';
import { EndAppointmentDto } from './end-appointment.dto.js';

@ApiTags('people')
@ApiBearerAuth()
@Controller('people')
export class EndAppointmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/appointments/:appointmentId/end')
  @Access('write')
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version last seen ("3"); 412 when the person has moved on.' })
  @ApiOperation({ summary: 'EndAppointment: the date an office ended; the appointment stays in the history (AppointmentEnded)' })
  async end(
    @Param('id', IdParam) id: string,
    @Param('appointmentId', IdParam) appointmentId: string,
    @Body() body: EndAppointmentDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: HttpReply,
  ) {
    const outcome = await this.commands.execute(new EndAppointmentCommand(id, appointmentId, body, ctx));
    return sendOutcome(res, outcome, (x) => `/api/v1/people/${x}`);
  }
}
