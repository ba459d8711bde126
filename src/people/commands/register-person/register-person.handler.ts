import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { uuidv7 } from '../../../shared/ids.js';
import { personDecider } from '../../person.decider.js';
import { RegisterPersonCommand } from './register-person.command.js';

@CommandHandler(RegisterPersonCommand)
export class RegisterPersonHandler implements ICommandHandler<RegisterPersonCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ body, ctx }: RegisterPersonCommand) {
    const personId = uuidv7();
    return this.runner.run(personDecider, personId, { type: 'RegisterPerson', personId, fullName: body.fullName }, ctx, { creates: true, noun: 'person' });
  }
}
