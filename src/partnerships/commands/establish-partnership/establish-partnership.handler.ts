import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker, refsOf } from '../../../shared/commands/references.js';
import { partnershipDecider } from '../../partnership.decider.js';
import { partnershipId } from '../../partnership-id.js';
import { EstablishPartnershipCommand } from './establish-partnership.command.js';

@CommandHandler(EstablishPartnershipCommand)
export class EstablishPartnershipHandler implements ICommandHandler<EstablishPartnershipCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ body, ctx }: EstablishPartnershipCommand) {
    await this.refs.require(refsOf('partyIds', 'party', body.partyIds));
    // The stream is the pair's partnership: the same id the read model answers under.
    const id = partnershipId(body.partyIds[0], body.partyIds[1]);
    return this.runner.run(partnershipDecider, id, { type: 'EstablishPartnership', partnershipId: id, ...body }, ctx, {
      creates: true,
      fixedId: true,
      noun: 'partnership',
    });
  }
}
