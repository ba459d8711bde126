import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker } from '../../../shared/commands/references.js';
import { personDecider } from '../../person.decider.js';
import { AppointPersonCommand } from './appoint-person.command.js';

@CommandHandler(AppointPersonCommand)
export class AppointPersonHandler implements ICommandHandler<AppointPersonCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ personId, body, ctx }: AppointPersonCommand) {
    await this.refs.require([{ field: 'partyId', id: body.partyId, type: 'party' }]);
    return this.runner.run(
      personDecider,
      personId,
      { type: 'AppointPerson', partyId: body.partyId, title: body.title, from: body.from, to: body.to, acting: body.acting },
      ctx,
      { noun: 'person' },
    );
  }
}
