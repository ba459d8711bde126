import { Module } from '@nestjs/common';
import { SignAgreementController } from './commands/sign-agreement/sign-agreement.controller.js';
import { SignAgreementHandler } from './commands/sign-agreement/sign-agreement.handler.js';

@Module({ controllers: [SignAgreementController], providers: [SignAgreementHandler] })
export class AgreementsModule {}
