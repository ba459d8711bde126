import { Module } from '@nestjs/common';
import { RegisterPartyController } from './commands/register-party/register-party.controller.js';
import { RegisterPartyHandler } from './commands/register-party/register-party.handler.js';
import { RenamePartyController } from './commands/rename-party/rename-party.controller.js';
import { RenamePartyHandler } from './commands/rename-party/rename-party.handler.js';
import { PartiesController } from './parties.controller.js';
import { PartiesQuery } from './queries/parties.query.js';

@Module({
  controllers: [PartiesController, RegisterPartyController, RenamePartyController],
  providers: [RegisterPartyHandler, RenamePartyHandler, PartiesQuery],
  exports: [PartiesQuery],
})
export class PartiesModule {}
