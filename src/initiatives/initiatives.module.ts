import { Module } from '@nestjs/common';
import { LaunchInitiativeController } from './commands/launch-initiative/launch-initiative.controller.js';
import { LaunchInitiativeHandler } from './commands/launch-initiative/launch-initiative.handler.js';

@Module({ controllers: [LaunchInitiativeController], providers: [LaunchInitiativeHandler] })
export class InitiativesModule {}
