import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker, type Reference, refsOf } from '../../../shared/commands/references.js';
import { uuidv7 } from '../../../shared/ids.js';
import { meetingDecider } from '../../meeting.decider.js';
import { RecordMeetingCommand } from './record-meeting.command.js';

@CommandHandler(RecordMeetingCommand)
export class RecordMeetingHandler implements ICommandHandler<RecordMeetingCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
  ) {}

  async execute({ body, ctx }: RecordMeetingCommand) {
    const refs: Reference[] = [
      ...refsOf('partyIds', 'party', body.partyIds),
      ...(body.participants ?? []).map((p, i) => ({ field: `participants[${i}].personId`, id: p.personId, type: 'person' })),
      ...(body.commitments ?? []).flatMap((c, i) =>
        c.forumId ? [{ field: `commitments[${i}].forumId`, id: c.forumId, type: 'forum' }] : [],
      ),
    ];
    await this.refs.require(refs);
    const meetingId = uuidv7();
    return this.runner.run(meetingDecider, meetingId, { type: 'RecordMeeting', meetingId, ...body }, ctx, {
      creates: true,
      noun: 'meeting',
      route: (e) => (e.type === 'CommitmentMade' ? { streamId: e.data.commitmentId, streamType: 'commitment' } : null),
    });
  }
}
