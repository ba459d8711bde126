import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker } from '../../../shared/commands/references.js';
import { forumDecider } from '../../forum.decider.js';
import { AddForumPartnerCommand } from './add-forum-partner.command.js';

@CommandHandler(AddForumPartnerCommand)
export class AddForumPartnerHandler implements ICommandHandler<AddForumPartnerCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ forumId, body, ctx }: AddForumPartnerCommand) {
    await this.refs.require([{ field: 'partyId', id: body.partyId, type: 'party' }]);
    return this.runner.run(forumDecider, forumId, { type: 'AddForumPartner', partyId: body.partyId }, ctx, { noun: 'forum' });
  }
}
