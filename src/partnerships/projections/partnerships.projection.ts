import { Injectable } from '@nestjs/common';
import { agreementDecider } from '../../agreements/agreement.decider.js';
import { AGREEMENT_EVENT_TYPES } from '../../agreements/agreement.events.js';
import { COMMITMENT_EVENT_TYPES } from '../../commitments/commitment.events.js';
import { commitmentFold } from '../../commitments/commitment.decider.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { forumDecider, forumParties, forumWhen } from '../../forums/forum.decider.js';
import { FORUM_EVENT_TYPES } from '../../forums/forum.events.js';
import { meetingDecider } from '../../meetings/meeting.decider.js';
import { MEETING_EVENT_TYPES } from '../../meetings/meeting.events.js';
import { initiativeDecider, initiativeParties } from '../../initiatives/initiative.decider.js';
import { INITIATIVE_EVENT_TYPES } from '../../initiatives/initiative.events.js';
import { partnershipDecider } from '../partnership.decider.js';
import { PARTNERSHIP_EVENT_TYPES } from '../partnership.events.js';
import type { Fact } from '../../shared/decider.js';
import { rangeOf } from '../../shared/partial-date.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import { partnershipId } from '../partnership-id.js';
import { PARTY_NAME_EVENTS, keepPartyName } from '../../projections/name-lookups.js';

/** How one kind of shared fact is folded, and which pairs it joins on which date. */
interface SourceKind<S = any> {
  kind: string;
  types: readonly string[];
  idOf: (e: StoredEvent) => string;
  initial: () => S;
  evolve: (s: S, e: Fact) => S;
  /** the parties it joins and its date; null when it counts for nothing (a retracted meeting) */
  links: (s: S) => { partyIds: string[]; on: string | null } | null;
}

export const SOURCE_KINDS: SourceKind[] = [
  {
    kind: 'meeting',
    types: MEETING_EVENT_TYPES,
    idOf: (e) => e.data.meetingId as string,
    initial: meetingDecider.initialState,
    evolve: meetingDecider.evolve,
    links: (s) => (s.retracted ? null : { partyIds: s.partyIds, on: s.occurredOn }),
  },
  {
    kind: 'agreement',
    types: AGREEMENT_EVENT_TYPES,
    idOf: (e) => e.data.agreementId as string,
    initial: agreementDecider.initialState,
    evolve: agreementDecider.evolve,
    links: (s) => ({ partyIds: s.partyIds, on: s.signedOn }),
  },
  {
    kind: 'forum',
    types: FORUM_EVENT_TYPES,
    idOf: (e) => e.data.forumId as string,
    initial: forumDecider.initialState,
    evolve: forumDecider.evolve,
    links: (s) => ({ partyIds: forumParties(s), on: forumWhen(s)?.on ?? null }),
  },
  {
    kind: 'initiative',
    types: INITIATIVE_EVENT_TYPES,
    idOf: (e) => e.data.initiativeId as string,
    initial: initiativeDecider.initialState,
    evolve: initiativeDecider.evolve,
    links: (s) => ({ partyIds: initiativeParties(s), on: s.launchedOn }),
  },
  {
    kind: 'establishment',
    types: PARTNERSHIP_EVENT_TYPES,
    idOf: (e) => e.data.partnershipId as string,
    initial: partnershipDecider.initialState,
    evolve: partnershipDecider.evolve,
    links: (s) => ({ partyIds: s.partyIds, on: s.since }),
  },
  {
    kind: 'commitment',
    types: COMMITMENT_EVENT_TYPES,
    idOf: (e) => e.data.commitmentId as string,
    initial: commitmentFold.initialState,
    evolve: commitmentFold.evolve,
    links: (s) => ({ partyIds: s.partyIds, on: s.madeOn }),
  },
];

const KIND_OF = new Map<string, SourceKind>(SOURCE_KINDS.flatMap((k) => k.types.map((t) => [t, k] as const)));

/**
 * Partnerships: one per pair of parties that share a meeting, an agreement, a forum, an
 * initiative or an explicit establishment. Keeps each shared fact's state, folded with the
 * fact's own `evolve`, and a link per pair it joins; counts and lists are derived on read.
 */
@Injectable()
export class PartnershipsProjection implements Projection {
  readonly name = 'partnerships';
  readonly handles = [...PARTY_NAME_EVENTS, ...KIND_OF.keys()];
  readonly tables = ['rm_partnership_parties', 'rm_partnership_sources', 'rm_partnership_links'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if (PARTY_NAME_EVENTS.includes(event.type)) return keepPartyName(tx, 'rm_partnership_parties', event);
    const kind = KIND_OF.get(event.type);
    if (!kind) return;
    const id = kind.idOf(event);
    const [row] = await tx.query(`select state from rm_partnership_sources where source_id = $1`, [id]);
    const state = kind.evolve(row ? row.state : kind.initial(), event);
    await tx.query(
      `insert into rm_partnership_sources (source_id, kind, state) values ($1, $2, $3)
       on conflict (source_id) do update set state = excluded.state`,
      [id, kind.kind, JSON.stringify(state)],
    );
    await tx.query(`delete from rm_partnership_links where source_id = $1`, [id]);
    if (event.type === 'MeetingRecordRetracted') {
      // A retracted meeting counts for nothing, the commitments made in it included.
      await tx.query(
        `delete from rm_partnership_links where source_id in
           (select source_id from rm_partnership_sources where kind = 'commitment' and state->>'meetingId' = $1)`,
        [id],
      );
    }
    if (kind.kind === 'commitment' && (await this.meetingRetracted(tx, state.meetingId))) return;
    const links = kind.links(state);
    if (!links) return;
    const parties = [...new Set(links.partyIds)].sort();
    const range = links.on ? rangeOf(links.on) : null;
    const cols: string[][] = [[], [], [], []];
    for (let i = 0; i < parties.length; i++) {
      for (let j = i + 1; j < parties.length; j++) {
        cols[0].push(partnershipId(parties[i], parties[j]));
        cols[1].push(parties[i]);
        cols[2].push(parties[j]);
      }
    }
    if (cols[0].length === 0) return;
    await tx.query(
      `insert into rm_partnership_links (partnership_id, party_a, party_b, source_id, kind, on_date, first_day, last_day)
       select p, a, b, $4, $5, $6, $7::date, $8::date from unnest($1::uuid[], $2::uuid[], $3::uuid[]) as t(p, a, b)`,
      [cols[0], cols[1], cols[2], id, kind.kind, links.on, range?.first ?? null, range?.last ?? null],
    );
  }

  private async meetingRetracted(tx: ProjectionTx, meetingId: string | null): Promise<boolean> {
    if (!meetingId) return false;
    const [m] = await tx.query(`select state->'retracted' is not null and state->'retracted' <> 'null'::jsonb as retracted from rm_partnership_sources where source_id = $1`, [meetingId]);
    return !!m?.retracted;
  }
}
