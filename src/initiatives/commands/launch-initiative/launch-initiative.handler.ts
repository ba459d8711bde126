import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker, refsOf } from '../../../shared/commands/references.js';
import { uuidv7 } from '../../../shared/ids.js';
import { initiativeDecider } from '../../initiative.decider.js';
import { LaunchInitiativeCommand } from './launch-initiative.command.js';

@CommandHandler(LaunchInitiativeCommand)
export class LaunchInitiativeHandler implements ICommandHandler<LaunchInitiativeCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ body, ctx }: LaunchInitiativeCommand) {
    await this.refs.require([
      { field: 'leadPartyId', id: body.leadPartyId, type: 'party' },
      ...refsOf('partnerPartyIds', 'party', body.partnerPartyIds),
    ]);
    const initiativeId = uuidv7();
    return this.runner.run(initiativeDecider, initiativeId, { type: 'LaunchInitiative', initiativeId, ...body }, ctx, {
      creates: true,
      noun: 'initiative',
    });
  }
}
