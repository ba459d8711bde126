import { Module } from '@nestjs/common';
import { AppointPersonController } from './commands/appoint-person/appoint-person.controller.js';
import { AppointPersonHandler } from './commands/appoint-person/appoint-person.handler.js';
import { EndAppointmentController } from './commands/end-appointment/end-appointment.controller.js';
import { EndAppointmentHandler } from './commands/end-appointment/end-appointment.handler.js';
import { RegisterPersonController } from './commands/register-person/register-person.controller.js';
import { RegisterPersonHandler } from './commands/register-person/register-person.handler.js';
import { PeopleController } from './people.controller.js';
import { PeopleQuery } from './queries/people.query.js';

@Module({
  controllers: [PeopleController, RegisterPersonController, AppointPersonController, EndAppointmentController],
  providers: [RegisterPersonHandler, AppointPersonHandler, EndAppointmentHandler, PeopleQuery],
  exports: [PeopleQuery],
})
export class PeopleModule {}
