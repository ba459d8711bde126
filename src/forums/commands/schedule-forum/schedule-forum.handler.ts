import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { forumDecider } from '../../forum.decider.js';
import { ScheduleForumCommand } from './schedule-forum.command.js';

@CommandHandler(ScheduleForumCommand)
export class ScheduleForumHandler implements ICommandHandler<ScheduleForumCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ forumId, body, ctx }: ScheduleForumCommand) {
    return this.runner.run(forumDecider, forumId, { type: 'ScheduleForum', startsOn: body.startsOn, endsOn: body.endsOn, venue: body.venue }, ctx, { noun: 'forum' });
  }
}
