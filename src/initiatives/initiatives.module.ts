import { Module } from '@nestjs/common';
import { LaunchInitiativeController } from './commands/launch-initiative/launch-initiative.controller.js';
import { LaunchInitiativeHandler } from './commands/launch-initiative/launch-initiative.handler.js';
import { InitiativesController } from './initiatives.controller.js';
import { InitiativesQuery } from './queries/initiatives.query.js';

@Module({ controllers: [InitiativesController, LaunchInitiativeController], providers: [LaunchInitiativeHandler, InitiativesQuery] })
export class InitiativesModule {}
