import { Module } from '@nestjs/common';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsQuery } from './queries/agreements.query.js';
import { AmendAgreementController } from './commands/amend-agreement/amend-agreement.controller.js';
import { AmendAgreementHandler } from './commands/amend-agreement/amend-agreement.handler.js';
import { RenewAgreementController } from './commands/renew-agreement/renew-agreement.controller.js';
import { RenewAgreementHandler } from './commands/renew-agreement/renew-agreement.handler.js';
import { SignAgreementController } from './commands/sign-agreement/sign-agreement.controller.js';
import { SignAgreementHandler } from './commands/sign-agreement/sign-agreement.handler.js';
import { TerminateAgreementController } from './commands/terminate-agreement/terminate-agreement.controller.js';
import { TerminateAgreementHandler } from './commands/terminate-agreement/terminate-agreement.handler.js';

@Module({
  controllers: [AgreementsController, SignAgreementController, AmendAgreementController, RenewAgreementController, TerminateAgreementController],
  providers: [AgreementsQuery, SignAgreementHandler, AmendAgreementHandler, RenewAgreementHandler, TerminateAgreementHandler],
})
export class AgreementsModule {}
