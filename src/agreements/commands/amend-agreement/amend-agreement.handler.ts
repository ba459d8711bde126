import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { agreementDecider } from '../../agreement.decider.js';
import { AmendAgreementCommand } from './amend-agreement.command.js';

@CommandHandler(AmendAgreementCommand)
export class AmendAgreementHandler implements ICommandHandler<AmendAgreementCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ agreementId, body, ctx }: AmendAgreementCommand) {
    return this.runner.run(agreementDecider, agreementId, { type: 'AmendAgreement', ...body }, ctx, { noun: 'agreement' });
  }
}
