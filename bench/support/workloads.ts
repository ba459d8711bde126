import pg from 'pg';
import type { EventMetadata } from '../../src/event-store/event.types.js';
import { uuidv7 } from '../../src/shared/ids.js';

export const STREAM_LENGTH = 100;
export const BATCH = 100;
export const POOL = 20;

export const meta: EventMetadata = {
  actor: 'env-recorder',
  role: 'recorder',
  correlationId: '0193a6a2-0000-7000-8000-000000000001',
  causationId: '0193a6a2-0000-7000-8000-000000000001',
  requestId: '0193a6a2-0000-7000-8000-000000000001',
  idempotencyKey: null,
};

/** About the size of a RecordMeeting event. */
export function meetingData(n: number): Record<string, unknown> {
  return {
    meetingId: uuidv7(),
    occurredOn: `20${10 + (n % 16)}-0${1 + (n % 9)}`,
    format: 'in_person',
    location: 'Baku',
    title: `Meeting ${n} on cultural cooperation`,
    partyIds: ['0193a6a2-0000-7000-8000-0000000000a1', '0193a6a2-0000-7000-8000-0000000000a2'],
    participants: [],
    topics: ['Intercultural dialogue', `Topic ${n % 40}`],
    summary: 'The sides discussed cooperation in culture, heritage and education, and the next World Forum.',
    outcomes: ['Agreed to continue'],
    commitmentIds: [],
    sourceRef: null,
  };
}

export interface Writer {
  streamId: string;
  version: number;
}

export interface Impl {
  name: string;
  /** appends one event for writer `w`; answers events written */
  one(w: Writer, n: number): Promise<number>;
  /** appends BATCH events to a new stream in one transaction */
  batch(n: number): Promise<number>;
  close(): Promise<void>;
}

/** Moves a writer to a new stream every STREAM_LENGTH events. */
export function nextStream(w: Writer, fresh: () => string): void {
  if (w.version >= STREAM_LENGTH || !w.streamId) {
    w.streamId = fresh();
    w.version = 0;
  }
}

export const writers = (n: number): Writer[] => Array.from({ length: n }, () => ({ streamId: '', version: STREAM_LENGTH }));

/**
 * The ceiling: plain `pg` INSERTs into `raw_events`, a table like `events` (the same columns,
 * defaults, identity, indexes and unique (stream_id, stream_version)), no hashing, no NOTIFY.
 */
export async function rawPg(url: string): Promise<Impl> {
  const pool = new pg.Pool({ connectionString: url, max: POOL, application_name: 'bench-raw' });
  pool.on('error', () => undefined); // an idle connection closed by the server as the run ends
  // Like `events`: the same columns, defaults, identity, indexes and unique constraint.
  await pool.query(`create table if not exists raw_events (like events including all)`);
  const hash = Buffer.alloc(32, 7);
  const metaJson = JSON.stringify(meta);
  return {
    name: 'raw pg',
    async one(w, n) {
      nextStream(w, uuidv7);
      await pool.query(
        `insert into raw_events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash)
         values ($1, $2, $3, $4, 1, $5, $6, $7, now(), $8) returning global_position`,
        [w.streamId, 'meeting', w.version + 1, 'MeetingRecorded', JSON.stringify(meetingData(n)), metaJson, '2020-12', hash],
      );
      w.version += 1;
      return 1;
    },
    async batch(n) {
      const streamId = uuidv7();
      const versions = Array.from({ length: BATCH }, (_, i) => i + 1);
      await pool.query(
        `insert into raw_events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash)
         select $1, 'meeting', v, 'MeetingRecorded', 1, d, $3, '2020-12', now(), $4
           from unnest($2::int[], $5::jsonb[]) as t(v, d)
         returning global_position`,
        [streamId, versions, metaJson, hash, versions.map((i) => JSON.stringify(meetingData(n * BATCH + i)))],
      );
      return BATCH;
    },
    close: () => pool.end(),
  };
}


/** A RecordMeeting request body between two registered parties. */
export function recordMeetingBody(partyIds: string[]): string {
  return JSON.stringify({
    occurredOn: '2024-05-14',
    format: 'in_person',
    location: 'Baku',
    title: 'Working meeting on the World Forum on Intercultural Dialogue',
    partyIds,
    topics: ['Intercultural dialogue', 'World Forum'],
    summary: 'The sides discussed cooperation in culture, heritage and education, and the next World Forum.',
    outcomes: ['Agreed to continue'],
  });
}
