import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { agreementDecider } from '../../agreement.decider.js';
import { RenewAgreementCommand } from './renew-agreement.command.js';

@CommandHandler(RenewAgreementCommand)
export class RenewAgreementHandler implements ICommandHandler<RenewAgreementCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ agreementId, body, ctx }: RenewAgreementCommand) {
    return this.runner.run(agreementDecider, agreementId, { type: 'RenewAgreement', ...body }, ctx, { noun: 'agreement' });
  }
}
