import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { forumDecider } from '../../forum.decider.js';
import { CancelForumCommand } from './cancel-forum.command.js';

@CommandHandler(CancelForumCommand)
export class CancelForumHandler implements ICommandHandler<CancelForumCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ forumId, body, ctx }: CancelForumCommand) {
    return this.runner.run(forumDecider, forumId, { type: 'CancelForum', reason: body.reason }, ctx, { noun: 'forum' });
  }
}
