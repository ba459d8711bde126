import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { forumDecider } from '../../forum.decider.js';
import { PostponeForumCommand } from './postpone-forum.command.js';

@CommandHandler(PostponeForumCommand)
export class PostponeForumHandler implements ICommandHandler<PostponeForumCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ forumId, body, ctx }: PostponeForumCommand) {
    return this.runner.run(forumDecider, forumId, { type: 'PostponeForum', reason: body.reason, plannedFor: body.plannedFor }, ctx, { noun: 'forum' });
  }
}
