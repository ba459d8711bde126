import { Injectable } from '@nestjs/common';
import { agreementDecider } from '../../agreements/agreement.decider.js';
import { AGREEMENT_EVENT_TYPES } from '../../agreements/agreement.events.js';
import { COMMITMENT_EVENT_TYPES } from '../../commitments/commitment.events.js';
import { commitmentFold } from '../../commitments/commitment.decider.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { forumDecider, forumParties, forumWhen } from '../../forums/forum.decider.js';
import { FORUM_EVENT_TYPES } from '../../forums/forum.events.js';
import { meetingDecider, type MeetingState } from '../../meetings/meeting.decider.js';
import { MEETING_EVENT_TYPES } from '../../meetings/meeting.events.js';
import { initiativeDecider, initiativeParties } from '../../initiatives/initiative.decider.js';
import { INITIATIVE_EVENT_TYPES } from '../../initiatives/initiative.events.js';
import { partnershipDecider } from '../partnership.decider.js';
import { PARTNERSHIP_EVENT_TYPES } from '../partnership.events.js';
import type { Fact } from '../../shared/decider.js';
import { rangeOf } from '../../shared/partial-date.js';
import { BatchTx } from '../../projections/batch-tx.js';
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
  /** whether it is open, for a fact that can be (a commitment); kept on its links for the counts */
  open?: (s: S) => boolean;
  /** what of the folded state is kept (its links and later events need it), when not all of it */
  keep?: (s: S) => S;
}

/**
 * Of a meeting, what its links need (parties, date, retraction) and what `evolve` needs to fold a
 * later correction or retraction onto it: not its topics, summary, outcomes or participants,
 * which the meetings read model keeps. A partnership source is one such copy per meeting.
 */
export function meetingLinkState(s: MeetingState): Pick<MeetingState, 'exists' | 'meetingId' | 'occurredOn' | 'partyIds' | 'retracted' | 'corrections'> {
  return { exists: s.exists, meetingId: s.meetingId, occurredOn: s.occurredOn, partyIds: s.partyIds, retracted: s.retracted, corrections: [] };
}

export const SOURCE_KINDS: SourceKind[] = [
  {
    kind: 'meeting',
    types: MEETING_EVENT_TYPES,
    idOf: (e) => e.data.meetingId as string,
    initial: meetingDecider.initialState,
    evolve: meetingDecider.evolve,
    links: (s) => (s.retracted ? null : { partyIds: s.partyIds, on: s.occurredOn }),
    keep: meetingLinkState,
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
    open: (s) => s.status === 'open',
  },
];

const kept = <S>(kind: SourceKind<S>, s: S): S => (kind.keep ? kind.keep(s) : s);

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
  readonly writeIndexes = ['rm_partnership_links_source', 'rm_partnership_sources_meeting'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    if (PARTY_NAME_EVENTS.includes(event.type)) return keepPartyName(tx, 'rm_partnership_parties', event);
    const kind = KIND_OF.get(event.type);
    if (!kind) return;
    const id = kind.idOf(event);
    const batch = tx instanceof BatchTx ? tx : null;
    let state;
    if (batch) {
      state = kept(kind, kind.evolve(((await batch.state(SOURCES, id, loadSources)) as object | undefined) ?? kind.initial(), event));
      batch.setState(SOURCES, id, state);
      batch.put(SOURCES, id, { id, kind: kind.kind, state }, writeSources);
      batch.put(LINKS, id, { sourceId: id, kind: kind.kind, links: [] }, writeLinks);
    } else {
      const [row] = await tx.query(`select state from rm_partnership_sources where source_id = $1`, [id]);
      state = kept(kind, kind.evolve(row ? row.state : kind.initial(), event));
      await tx.query(
        `insert into rm_partnership_sources (source_id, kind, state) values ($1, $2, $3)
         on conflict (source_id) do update set state = excluded.state`,
        [id, kind.kind, JSON.stringify(state)],
      );
      await tx.query(`delete from rm_partnership_links where source_id = $1`, [id]);
    }
    if (event.type === 'MeetingRecordRetracted') {
      // A retracted meeting counts for nothing, the commitments made in it included.
      await tx.query(
        `delete from rm_partnership_links where source_id in
           (select source_id from rm_partnership_sources where kind = 'commitment' and state->>'meetingId' = $1)`,
        [id],
      );
    }
    if (kind.kind === 'commitment' && (await this.meetingRetracted(tx, state.meetingId))) return;
    const links = linksOf(kind, state);
    if (links.length === 0) return;
    if (batch) {
      batch.put(LINKS, id, { sourceId: id, kind: kind.kind, links }, writeLinks);
      return;
    }
    await tx.query(
      `insert into rm_partnership_links (partnership_id, party_a, party_b, source_id, kind, on_date, first_day, last_day, open)
       select p, a, b, $4, $5, $6, $7::date, $8::date, $9 from unnest($1::uuid[], $2::uuid[], $3::uuid[]) as t(p, a, b)`,
      [links.map((l) => l.partnershipId), links.map((l) => l.a), links.map((l) => l.b), id, kind.kind, links[0].on, links[0].first, links[0].last, links[0].open],
    );
  }

  /**
   * The same rows as `apply` event by event: the facts of the batch loaded in one statement,
   * their states and links written in one statement each (see BatchTx).
   */
  async applyBatch(events: StoredEvent[], tx: ProjectionTx): Promise<void> {
    const batch = new BatchTx(tx);
    const ids = events.flatMap((e) => {
      const kind = KIND_OF.get(e.type);
      return kind ? [kind.idOf(e)] : [];
    });
    await batch.preload(SOURCES, ids, loadSources);
    for (const e of events) await this.apply(e, batch);
    await batch.flush();
  }

  private async meetingRetracted(tx: ProjectionTx, meetingId: string | null): Promise<boolean> {
    if (!meetingId) return false;
    if (tx instanceof BatchTx) {
      const s = (await tx.state(SOURCES, meetingId, loadSources)) as { retracted?: unknown } | undefined;
      return s?.retracted !== undefined && s.retracted !== null;
    }
    const [m] = await tx.query(`select state->'retracted' is not null and state->'retracted' <> 'null'::jsonb as retracted from rm_partnership_sources where source_id = $1`, [meetingId]);
    return !!m?.retracted;
  }
}

const SOURCES = 'rm_partnership_sources';
const LINKS = 'rm_partnership_links';

interface Link {
  partnershipId: string;
  a: string;
  b: string;
  on: string | null;
  first: string | null;
  last: string | null;
  /** a commitment's: whether it is open; null for other facts */
  open: boolean | null;
}

/** One link per pair of the parties a fact joins (none when it counts for nothing). */
function linksOf(kind: SourceKind, state: unknown): Link[] {
  const links = kind.links(state);
  if (!links) return [];
  const parties = [...new Set(links.partyIds)].sort();
  const range = links.on ? rangeOf(links.on) : null;
  const open = kind.open ? kind.open(state) : null;
  const out: Link[] = [];
  for (let i = 0; i < parties.length; i++) {
    for (let j = i + 1; j < parties.length; j++) {
      out.push({ partnershipId: partnershipId(parties[i], parties[j]), a: parties[i], b: parties[j], on: links.on, first: range?.first ?? null, last: range?.last ?? null, open });
    }
  }
  return out;
}

async function loadSources(ids: string[], tx: ProjectionTx): Promise<Map<string, unknown>> {
  const rows: { source_id: string; state: unknown }[] = await tx.query(`select source_id, state from rm_partnership_sources where source_id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.source_id, r.state]));
}

async function writeSources(rows: { id: string; kind: string; state: unknown }[], tx: ProjectionTx): Promise<void> {
  await tx.query(
    `insert into rm_partnership_sources (source_id, kind, state)
     select t.id, t.kind, t.state from jsonb_to_recordset($1::jsonb) as t(id uuid, kind text, state jsonb)
     on conflict (source_id) do update set state = excluded.state`,
    [JSON.stringify(rows)],
  );
}

/** Replaces the links of each fact: what `delete` then `insert` per event leaves, once per fact. */
async function writeLinks(rows: { sourceId: string; kind: string; links: Link[] }[], tx: ProjectionTx): Promise<void> {
  await tx.query(`delete from rm_partnership_links where source_id = any($1::uuid[])`, [rows.map((r) => r.sourceId)]);
  const all = rows.flatMap((r) => r.links.map((l) => ({ ...l, sourceId: r.sourceId, kind: r.kind })));
  if (all.length === 0) return;
  await tx.query(
    `insert into rm_partnership_links (partnership_id, party_a, party_b, source_id, kind, on_date, first_day, last_day, open)
     select t."partnershipId", t.a, t.b, t."sourceId", t.kind, t."on", t.first, t.last, t.open
       from jsonb_to_recordset($1::jsonb) as t("partnershipId" uuid, a uuid, b uuid, "sourceId" uuid, kind text, "on" text, first date, last date, open boolean)`,
    [JSON.stringify(all)],
  );
}
