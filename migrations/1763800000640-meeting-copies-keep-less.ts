import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partnerships and the timeline each kept a copy of every meeting's whole folded record
 * (summary, outcomes, participants, corrections with their before and after), where they need
 * only its date, parties and title. They now keep only that (`meetingLinkState`,
 * `meetingEntryState`); this cuts the copies already stored to the same fields, so that the
 * rows equal what a rebuild writes. The fields are listed here as they are on the day of this
 * migration. `down` keeps the cut rows: the code before this change reads no other field of them.
 */
export class MeetingCopiesKeepLess1763800000640 implements MigrationInterface {
  name = 'MeetingCopiesKeepLess1763800000640';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `update rm_partnership_sources
          set state = jsonb_build_object('exists', state->'exists', 'meetingId', state->'meetingId', 'occurredOn', state->'occurredOn',
                                         'partyIds', state->'partyIds', 'retracted', state->'retracted', 'corrections', '[]'::jsonb)
        where kind = 'meeting'`,
    );
    await q.query(
      `update rm_timeline_records
          set state = jsonb_build_object('exists', state->'exists', 'meetingId', state->'meetingId', 'occurredOn', state->'occurredOn',
                                         'format', state->'format', 'title', state->'title', 'topics', state->'topics',
                                         'partyIds', state->'partyIds', 'commitmentIds', state->'commitmentIds', 'corrections', '[]'::jsonb)
        where kind = 'meeting'`,
    );
  }

  async down(): Promise<void> {
    // Nothing to undo: the fields cut are read by no version of the code.
  }
}
