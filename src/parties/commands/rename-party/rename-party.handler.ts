import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { partyDecider } from '../../party.decider.js';
import { RenamePartyCommand } from './rename-party.command.js';

@CommandHandler(RenamePartyCommand)
export class RenamePartyHandler implements ICommandHandler<RenamePartyCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ partyId, body, ctx }: RenamePartyCommand) {
    return this.runner.run(partyDecider, partyId, { type: 'RenameParty', ...body }, ctx, { noun: 'party' });
  }
}
