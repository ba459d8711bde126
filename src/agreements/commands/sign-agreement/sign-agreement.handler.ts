import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker, refsOf } from '../../../shared/commands/references.js';
import { uuidv7 } from '../../../shared/ids.js';
import { agreementDecider } from '../../agreement.decider.js';
import { SignAgreementCommand } from './sign-agreement.command.js';

@CommandHandler(SignAgreementCommand)
export class SignAgreementHandler implements ICommandHandler<SignAgreementCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ body, ctx }: SignAgreementCommand) {
    await this.refs.require([
      ...refsOf('partyIds', 'party', body.partyIds),
      ...(body.signatories ?? []).map((s, i) => ({ field: `signatories[${i}].personId`, id: s.personId, type: 'person' })),
    ]);
    const agreementId = uuidv7();
    return this.runner.run(agreementDecider, agreementId, { type: 'SignAgreement', agreementId, ...body }, ctx, {
      creates: true,
      noun: 'agreement',
    });
  }
}
