import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { personDecider } from '../../person.decider.js';
import { EndAppointmentCommand } from './end-appointment.command.js';

@CommandHandler(EndAppointmentCommand)
export class EndAppointmentHandler implements ICommandHandler<EndAppointmentCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ personId, appointmentId, body, ctx }: EndAppointmentCommand) {
    return this.runner.run(personDecider, personId, { type: 'EndAppointment', appointmentId, on: body.on }, ctx, { noun: 'person' });
  }
}
