import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { forumDecider } from '../../forum.decider.js';
import { ConfirmForumCommand } from './confirm-forum.command.js';

@CommandHandler(ConfirmForumCommand)
export class ConfirmForumHandler implements ICommandHandler<ConfirmForumCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ forumId, body, ctx }: ConfirmForumCommand) {
    return this.runner.run(forumDecider, forumId, { type: 'ConfirmForum', plannedFor: body.plannedFor }, ctx, { noun: 'forum' });
  }
}
