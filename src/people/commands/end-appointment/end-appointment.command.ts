import { Command } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../../../shared/commands/command-context.js';
import type { EndAppointmentDto } from './end-appointment.dto.js';

export class EndAppointmentCommand extends Command<CommandOutcome> {
  constructor(
    readonly personId: string,
    readonly appointmentId: string,
    readonly body: EndAppointmentDto,
    readonly ctx: CommandContext,
  ) {
    super();
  }
}
