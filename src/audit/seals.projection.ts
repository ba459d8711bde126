import { Inject, Injectable } from '@nestjs/common';
import type { StoredEvent } from '../event-store/event.types.js';
import { EVENT_REGISTRY, type EventRegistry } from '../event-store/event-registry.js';
import type { Projection, ProjectionTx } from '../projections/projection.js';
import { chainLink } from './seal-chain.js';

/**
 * Seals the log: walks it in commit order and chains every event's hash into one global
 * chain, stored in audit_seals. The verifier recomputes it (src/audit/verifier.ts).
 */
@Injectable()
export class SealsProjection implements Projection {
  readonly name = 'seals';
  readonly handles: string[];
  readonly tables = ['audit_seals'];

  constructor(@Inject(EVENT_REGISTRY) registry: EventRegistry) {
    this.handles = registry.types.map((t) => t.type);
  }

  async apply(e: StoredEvent, tx: ProjectionTx): Promise<void> {
    const [last] = await tx.query(`select s.seq::text as seq, s.chain_hash from audit_seals s order by s.seq desc limit 1`);
    const seq = last ? String(BigInt(last.seq) + 1n) : '1';
    const eventHash = Buffer.from(e.hash, 'hex');
    await tx.query(
      `insert into audit_seals (seq, global_position, transaction_id, event_hash, chain_hash) values ($1::bigint, $2::bigint, $3::xid8, $4, $5)`,
      [seq, e.position, e.transactionId, eventHash, chainLink(last?.chain_hash ?? null, seq, e.position, eventHash)],
    );
  }

  /** The same links as `apply` event by event: one read of the last seal, one insert. */
  async applyBatch(events: StoredEvent[], tx: ProjectionTx): Promise<void> {
    const [last] = await tx.query(`select s.seq::text as seq, s.chain_hash from audit_seals s order by s.seq desc limit 1`);
    let seq = last ? BigInt(last.seq) : 0n;
    let chain: Buffer | null = last?.chain_hash ?? null;
    const cols = { seq: [] as string[], position: [] as string[], tx: [] as string[], event: [] as Buffer[], chain: [] as Buffer[] };
    for (const e of events) {
      seq += 1n;
      const eventHash = Buffer.from(e.hash, 'hex');
      chain = chainLink(chain, String(seq), e.position, eventHash);
      cols.seq.push(String(seq));
      cols.position.push(e.position);
      cols.tx.push(e.transactionId);
      cols.event.push(eventHash);
      cols.chain.push(chain);
    }
    await tx.query(
      `insert into audit_seals (seq, global_position, transaction_id, event_hash, chain_hash)
       select * from unnest($1::bigint[], $2::bigint[], $3::xid8[], $4::bytea[], $5::bytea[])`,
      [cols.seq, cols.position, cols.tx, cols.event, cols.chain],
    );
  }
}
