import { randomUUID } from 'node:crypto';
import express from 'express';
import pg from 'pg';

/**
 * The reference for the HTTP benchmark: the least an Express service can do for RecordMeeting on
 * this machine. It parses the JSON body and INSERTs it as one event into `raw_events` on a pool
 * of 20, answering 201 with id and position; no auth, no validation, no command, no hashing, no
 * logging. Run as a process of its own (like the service), on DATABASE_URL; prints `PORT <n>`.
 */
async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20, application_name: 'bench-bare-express' });
  await pool.query(`create table if not exists raw_events (like events including all)`);
  const hash = Buffer.alloc(32, 7);
  const app = express();
  app.use(express.json({ limit: '256kb' }));
  app.post('/api/v1/meetings', async (req, res, next) => {
    try {
      const id = randomUUID();
      const { rows } = await pool.query(
        `insert into raw_events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash)
         values ($1, 'meeting', 1, 'MeetingRecorded', 1, $2, '{}', $3, now(), $4) returning global_position::text as position`,
        [id, JSON.stringify(req.body), req.body?.occurredOn ?? null, hash],
      );
      res.status(201).location(`/api/v1/meetings/${id}`).json({ id, version: 1, position: rows[0].position });
    } catch (err) {
      next(err);
    }
  });
  const server = app.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.address() as { port: number }).port}`));
  process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
}

void main();
