import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { agreementDecider } from '../../agreement.decider.js';
import { TerminateAgreementCommand } from './terminate-agreement.command.js';

@CommandHandler(TerminateAgreementCommand)
export class TerminateAgreementHandler implements ICommandHandler<TerminateAgreementCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ agreementId, body, ctx }: TerminateAgreementCommand) {
    return this.runner.run(agreementDecider, agreementId, { type: 'TerminateAgreement', ...body }, ctx, { noun: 'agreement' });
  }
}
