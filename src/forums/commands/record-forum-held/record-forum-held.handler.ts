import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { forumDecider } from '../../forum.decider.js';
import { RecordForumHeldCommand } from './record-forum-held.command.js';

@CommandHandler(RecordForumHeldCommand)
export class RecordForumHeldHandler implements ICommandHandler<RecordForumHeldCommand> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ forumId, body, ctx }: RecordForumHeldCommand) {
    return this.runner.run(forumDecider, forumId, { type: 'RecordForumHeld', startsOn: body.startsOn, endsOn: body.endsOn, venue: body.venue }, ctx, { noun: 'forum' });
  }
}
