import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventStore } from '../../../event-store/event-store.js';
import { CommandRunner } from '../../../shared/commands/command-runner.js';
import { ReferenceChecker, type Reference, refsOf } from '../../../shared/commands/references.js';
import { AppError } from '../../../shared/errors.js';
import { meetingDecider } from '../../meeting.decider.js';
import type { MeetingFields } from '../../meeting.events.js';
import { CorrectMeetingRecordCommand } from './correct-meeting-record.command.js';

@CommandHandler(CorrectMeetingRecordCommand)
export class CorrectMeetingRecordHandler implements ICommandHandler<CorrectMeetingRecordCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly refs: ReferenceChecker,
    private readonly store: EventStore,
  ) {}

  async execute({ meetingId, body, ctx }: CorrectMeetingRecordCommand) {
    // A plain copy: the DTO declares every field (as undefined) and holds class instances;
    // the event keeps only what the client sent, as JSON.
    const changes = JSON.parse(JSON.stringify(body.changes)) as Partial<MeetingFields>;
    const refs: Reference[] = [
      ...refsOf('changes.partyIds', 'party', changes.partyIds),
      ...(changes.participants ?? []).map((p, i) => ({ field: `changes.participants[${i}].personId`, id: p.personId, type: 'person' })),
    ];
    if (refs.length) {
      // The path names the thing corrected: an unknown meeting is 404 before its body's references are judged.
      const found = await this.store.streamTypes([meetingId]);
      if (found.get(meetingId) !== meetingDecider.streamType) throw AppError.notFound('meeting', meetingId);
      await this.refs.require(refs);
    }
    return this.runner.run(meetingDecider, meetingId, { type: 'CorrectMeetingRecord', reason: body.reason, changes }, ctx, { noun: 'meeting' });
  }
}
