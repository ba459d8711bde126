import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventStore } from '../event-store/event-store.js';
import type { LogCursor, StoredEvent } from '../event-store/event.types.js';
import { eventHash } from '../event-store/event-hash.js';
import { chainLink } from './seal-chain.js';

export interface VerifyResult {
  ok: boolean;
  eventsChecked: number;
  /** the position of the first event (in commit order) whose record does not hold, or null */
  firstBrokenPosition: string | null;
  /** what broke there */
  problem: string | null;
  /** events covered by the global seal chain; later ones are checked against their stream chain only */
  eventsSealed: number;
}

interface Seal {
  seq: string;
  global_position: string;
  event_hash: Buffer;
  chain_hash: Buffer;
}

const BATCH = 5000;

/**
 * Recomputes the whole record: every event's hash from its stored content and the previous
 * hash of its stream (versions must run 1, 2, 3 ...), and the global chain of seals over the
 * log in commit order. Reads in batches: memory grows with the number of streams, not events.
 */
@Injectable()
export class Verifier {
  constructor(
    private readonly db: DataSource,
    private readonly store: EventStore,
  ) {}

  async verify(): Promise<VerifyResult> {
    const streams = new Map<string, { version: number; hash: Buffer }>();
    const fence = await this.store.currentFence();
    let after: LogCursor = { transactionId: '0', position: '0' };
    let checked = 0;
    let seq = 0n;
    let chain: Buffer | null = null;
    let seals: Seal[] = [];
    let sealIndex = 0;
    let sealsDone = false;
    const nextSeal = async (): Promise<Seal | null> => {
      if (sealIndex >= seals.length && !sealsDone) {
        seals = await this.db.query(
          `select s.seq::text as seq, s.global_position::text as global_position, s.event_hash, s.chain_hash from audit_seals s where s.seq > $1::bigint order by s.seq limit ${BATCH}`,
          [String(seq)],
        );
        sealIndex = 0;
        if (seals.length === 0) sealsDone = true;
      }
      return sealIndex < seals.length ? seals[sealIndex++] : null;
    };
    const broken = (position: string, problem: string): VerifyResult => ({
      ok: false,
      eventsChecked: checked,
      firstBrokenPosition: position,
      problem,
      eventsSealed: Number(seq),
    });

    for (;;) {
      const events: StoredEvent[] = await this.store.readLog({ after, limit: BATCH, fence, raw: true });
      if (events.length === 0) break;
      for (const e of events) {
        checked++;
        const prev = streams.get(e.streamId);
        const expected = (prev?.version ?? 0) + 1;
        const seal = await nextSeal();
        if (seal && BigInt(seal.global_position) < BigInt(e.position) && seal.global_position !== e.position) {
          // The sealed event that should come here is gone (or was moved).
          return broken(seal.global_position, `sealed event ${seal.global_position} is missing from the log`);
        }
        if (e.version !== expected) {
          return broken(e.position, `stream ${e.streamId} has version ${e.version} where ${expected} was expected`);
        }
        const stored = Buffer.from(e.hash, 'hex');
        const recomputed = eventHash(prev?.hash ?? null, e);
        if (!recomputed.equals(stored)) return broken(e.position, 'the stored event does not match its hash');
        streams.set(e.streamId, { version: e.version, hash: stored });
        if (seal) {
          if (seal.global_position !== e.position) {
            return broken(e.position, `event ${e.position} stands where the seals have ${seal.global_position}`);
          }
          seq = BigInt(seal.seq);
          const link = chainLink(chain, seal.seq, e.position, stored);
          if (!seal.event_hash.equals(stored) || !seal.chain_hash.equals(link)) {
            return broken(e.position, 'the event or the seal chain was changed after sealing');
          }
          chain = link;
        }
      }
      after = events[events.length - 1];
    }
    const leftover = await nextSeal();
    if (leftover) return broken(leftover.global_position, `sealed event ${leftover.global_position} is missing from the log`);
    return { ok: true, eventsChecked: checked, firstBrokenPosition: null, problem: null, eventsSealed: Number(seq) };
  }
}
