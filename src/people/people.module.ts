import { Module } from '@nestjs/common';
import { AppointPersonController } from './commands/appoint-person/appoint-person.controller.js';
import { AppointPersonHandler } from './commands/appoint-person/appoint-person.handler.js';
import { EndAppointmentController } from './commands/end-appointment/end-appointment.controller.js';
import { EndAppointmentHandler } from './commands/end-appointment/end-appointment.handler.js';
import { RegisterPersonController } from './commands/register-person/register-person.controller.js';
import { RegisterPersonHandler } from './commands/register-person/register-person.handler.js';

@Module({
  controllers: [RegisterPersonController, AppointPersonController, EndAppointmentController],
  providers: [RegisterPersonHandler, AppointPersonHandler, EndAppointmentHandler],
})
export class PeopleModule {}
