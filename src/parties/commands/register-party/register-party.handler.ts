import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker } from '../../../shared/commands/references.js';
import { uuidv7 } from '../../../shared/ids.js';
import { partyDecider } from '../../party.decider.js';
import { RegisterPartyCommand } from './register-party.command.js';

@CommandHandler(RegisterPartyCommand)
export class RegisterPartyHandler implements ICommandHandler<RegisterPartyCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ body, ctx }: RegisterPartyCommand) {
    if (body.parentPartyId) await this.refs.require([{ field: 'parentPartyId', id: body.parentPartyId, type: 'party' }]);
    const partyId = uuidv7();
    return this.runner.run(partyDecider, partyId, { type: 'RegisterParty', partyId, ...body }, ctx, { creates: true, noun: 'party' });
  }
}
