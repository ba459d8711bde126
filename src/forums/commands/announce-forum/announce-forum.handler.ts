import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker, refsOf } from '../../../shared/commands/references.js';
import { uuidv7 } from '../../../shared/ids.js';
import { forumDecider } from '../../forum.decider.js';
import { AnnounceForumCommand } from './announce-forum.command.js';

@CommandHandler(AnnounceForumCommand)
export class AnnounceForumHandler implements ICommandHandler<AnnounceForumCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ body, ctx }: AnnounceForumCommand) {
    await this.refs.require([
      ...(body.hostPartyId ? [{ field: 'hostPartyId', id: body.hostPartyId, type: 'party' }] : []),
      ...refsOf('organizerPartyIds', 'party', body.organizerPartyIds),
      ...refsOf('partnerPartyIds', 'party', body.partnerPartyIds),
    ]);
    const forumId = uuidv7();
    return this.runner.run(forumDecider, forumId, { type: 'AnnounceForum', forumId, ...body }, ctx, { creates: true, noun: 'forum' });
  }
}
