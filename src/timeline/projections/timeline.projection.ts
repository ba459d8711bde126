import { Injectable } from '@nestjs/common';
import { agreementDecider, type AgreementState } from '../../agreements/agreement.decider.js';
import { AGREEMENT_EVENT_TYPES, type AgreementEvent } from '../../agreements/agreement.events.js';
import { commitmentFold, type CommitmentState } from '../../commitments/commitment.decider.js';
import { COMMITMENT_EVENT_TYPES, type CommitmentEvent } from '../../commitments/commitment.events.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { forumDecider, forumParties, type ForumState } from '../../forums/forum.decider.js';
import { FORUM_EVENT_TYPES, type ForumEvent } from '../../forums/forum.events.js';
import { initiativeParties } from '../../initiatives/initiative.decider.js';
import type { InitiativeLaunched } from '../../initiatives/initiative.events.js';
import { meetingDecider, type MeetingState } from '../../meetings/meeting.decider.js';
import { MEETING_EVENT_TYPES, type MeetingFields } from '../../meetings/meeting.events.js';
import type { PartnershipEstablished } from '../../partnerships/partnership.events.js';
import type { PartyRegistered, PartyRenamed } from '../../parties/party.events.js';
import type { AppointmentEnded, PersonAppointed, PersonRegistered } from '../../people/person.events.js';
import { BatchTx } from '../../projections/batch-tx.js';
import type { Projection, ProjectionTx } from '../../projections/projection.js';
import type { Fact } from '../../shared/decider.js';
import { parsePartialDate } from '../../shared/partial-date.js';

/** The kind of record an entry's `recordId` names (and the read endpoint that shows it). */
export type TimelineKind = 'party' | 'person' | 'partnership' | 'initiative' | 'forum' | 'agreement' | 'meeting' | 'commitment';

interface Entry {
  kind: TimelineKind;
  recordId: string;
  /** the world date, a partial date */
  on: string;
  title: string;
  partyIds: string[];
}

const TITLE_MAX = 300;

/** A short line: long descriptions and reasons are cut, not the entry. */
export function clip(text: string, max = TITLE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export function ordinal(n: number): string {
  const suffixes = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${suffixes[(v - 20) % 10] ?? suffixes[v] ?? suffixes[0]}`;
}

/** "6th World Forum on Intercultural Dialogue", or the forum's own title when it has one. */
export function forumLabel(s: Pick<ForumState, 'title' | 'edition' | 'series'>): string {
  if (s.title) return s.title;
  return s.edition ? `${ordinal(s.edition)} ${s.series}` : s.series;
}

const FORMAT_LABEL: Record<string, string> = { in_person: 'Meeting', virtual: 'Virtual meeting', phone: 'Phone call', other: 'Meeting' };

export function meetingTitle(f: Pick<MeetingFields, 'title' | 'format' | 'topics'>): string {
  return clip(f.title ?? `${FORMAT_LABEL[f.format] ?? 'Meeting'}: ${f.topics.join('; ')}`);
}

/**
 * Of a meeting, what its entry needs (date, title, parties, the commitments a corrected date
 * moves) and what `evolve` needs to fold a later correction onto it: not its summary, outcomes,
 * participants or place, which the meetings read model keeps.
 */
export function meetingEntryState(
  s: MeetingState,
): Pick<MeetingState, 'exists' | 'meetingId' | 'occurredOn' | 'format' | 'title' | 'topics' | 'partyIds' | 'commitmentIds' | 'corrections'> {
  return {
    exists: s.exists,
    meetingId: s.meetingId,
    occurredOn: s.occurredOn,
    format: s.format,
    title: s.title,
    topics: s.topics,
    partyIds: s.partyIds,
    commitmentIds: s.commitmentIds,
    corrections: [],
  };
}

/** The world date of a fact: its occurredOn, else the day it was recorded. */
function worldDate(event: StoredEvent): string {
  if (event.occurredOn && parsePartialDate(event.occurredOn)) return event.occurredOn;
  return new Date(event.recordedAt).toISOString().slice(0, 10);
}

const PARTY_TYPES = ['PartyRegistered', 'PartyRenamed'];
const PERSON_TYPES = ['PersonRegistered', 'PersonAppointed', 'AppointmentEnded'];
const OTHER_TYPES = ['PartnershipEstablished', 'InitiativeLaunched'];

/**
 * The timeline: one entry per fact of the world, keyed by the position of the event that
 * recorded it. A meeting's entry follows its corrections and goes with its retraction.
 * Records whose later events name only the record (forums, agreements, meetings,
 * commitments) are folded with their own `evolve`, so titles and parties need nothing else.
 */
@Injectable()
export class TimelineProjection implements Projection {
  readonly name = 'timeline';
  readonly handles = [
    ...PARTY_TYPES,
    ...PERSON_TYPES,
    ...OTHER_TYPES,
    ...FORUM_EVENT_TYPES,
    ...AGREEMENT_EVENT_TYPES,
    ...MEETING_EVENT_TYPES,
    ...COMMITMENT_EVENT_TYPES,
  ];
  readonly tables = ['rm_timeline_parties', 'rm_timeline_people', 'rm_timeline_records', 'rm_timeline_entries'];
  readonly writeIndexes = ['rm_timeline_entries_record'];

  async apply(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const type = event.type;
    if (PARTY_TYPES.includes(type)) return this.party(event, tx);
    if (PERSON_TYPES.includes(type)) return this.person(event, tx);
    if ((FORUM_EVENT_TYPES as readonly string[]).includes(type)) return this.forum(event, tx);
    if ((AGREEMENT_EVENT_TYPES as readonly string[]).includes(type)) return this.agreement(event, tx);
    if ((MEETING_EVENT_TYPES as readonly string[]).includes(type)) return this.meeting(event, tx);
    if ((COMMITMENT_EVENT_TYPES as readonly string[]).includes(type)) return this.commitment(event, tx);
    if (type === 'PartnershipEstablished') {
      const d = (event as unknown as PartnershipEstablished).data;
      return this.entry(tx, event, {
        kind: 'partnership',
        recordId: d.partnershipId,
        on: worldDate(event),
        title: clip(d.basis ? `Partnership established: ${d.basis}` : 'Partnership established'),
        partyIds: d.partyIds,
      });
    }
    if (type === 'InitiativeLaunched') {
      const d = (event as unknown as InitiativeLaunched).data;
      return this.entry(tx, event, {
        kind: 'initiative',
        recordId: d.initiativeId,
        on: worldDate(event),
        title: clip(`${d.name} launched`),
        partyIds: initiativeParties(d),
      });
    }
  }

  /**
   * The same rows as `apply` event by event, with the folded records loaded in one statement
   * and the records and entries written in one statement each (see BatchTx).
   */
  async applyBatch(events: StoredEvent[], tx: ProjectionTx): Promise<void> {
    const batch = new BatchTx(tx);
    await batch.preload(RECORDS, events.map(recordIdOf).filter((id): id is string => !!id), loadRecords);
    for (const e of events) await this.apply(e, batch);
    await batch.flush();
  }

  private async party(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const e = event as unknown as PartyRegistered | PartyRenamed;
    await tx.query(
      `insert into rm_timeline_parties (party_id, name, short_name) values ($1, $2, $3)
       on conflict (party_id) do update set name = excluded.name, short_name = excluded.short_name`,
      [e.data.partyId, e.data.name, e.data.shortName],
    );
    const title = e.type === 'PartyRenamed' ? `${e.data.formerName} renamed ${e.data.name}` : `Party registered: ${e.data.name}`;
    await this.entry(tx, event, { kind: 'party', recordId: e.data.partyId, on: worldDate(event), title: clip(title), partyIds: [e.data.partyId] });
  }

  private async person(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const e = event as unknown as PersonRegistered | PersonAppointed | AppointmentEnded;
    if (e.type === 'PersonRegistered') {
      await tx.query(
        `insert into rm_timeline_people (person_id, full_name) values ($1, $2) on conflict (person_id) do update set full_name = excluded.full_name`,
        [e.data.personId, e.data.fullName],
      );
      return;
    }
    const [row] = await tx.query(`select full_name from rm_timeline_people where person_id = $1`, [e.data.personId]);
    const who = row?.full_name ?? '(unknown person)';
    // An ending names its office from v2 on; a v1 ending (upcast with nulls) finds it by its appointment.
    let office = { partyId: e.data.partyId, title: e.data.title };
    if (e.type === 'PersonAppointed') {
      await tx.query(
        `insert into rm_timeline_records (record_id, kind, state) values ($1, 'appointment', $2)
         on conflict (record_id) do update set state = excluded.state`,
        [e.data.appointmentId, JSON.stringify(office)],
      );
    } else if (!office.partyId || !office.title) {
      const [a] = await tx.query(`select state from rm_timeline_records where record_id = $1 and kind = 'appointment'`, [e.data.appointmentId]);
      office = { partyId: office.partyId ?? a?.state.partyId ?? null, title: office.title ?? a?.state.title ?? '(unknown office)' };
    }
    const title =
      e.type === 'PersonAppointed' ? `${who} appointed ${e.data.acting ? 'acting ' : ''}${office.title}` : `${who}'s appointment as ${office.title} ended`;
    await this.entry(tx, event, {
      kind: 'person',
      recordId: e.data.personId,
      on: worldDate(event),
      title: clip(title),
      partyIds: office.partyId ? [office.partyId] : [],
    });
  }

  private async forum(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const e = event as unknown as ForumEvent;
    const s = await this.fold<ForumState>(tx, 'forum', e.data.forumId, forumDecider, event);
    const label = forumLabel(s);
    let title: string;
    switch (e.type) {
      case 'ForumAnnounced':
        title = `${label} announced for ${e.data.plannedFor}`;
        break;
      case 'ForumProposed':
        title = `${label} proposed for ${e.data.plannedFor}`;
        break;
      case 'ForumConfirmed':
        title = `${label} confirmed for ${e.data.plannedFor}`;
        break;
      case 'ForumScheduled':
        title = `${label} scheduled for ${e.data.startsOn}${e.data.endsOn !== e.data.startsOn ? ` to ${e.data.endsOn}` : ''}`;
        break;
      case 'ForumPostponed':
        title = `${label} postponed${e.data.plannedFor ? ` to ${e.data.plannedFor}` : ''}: ${e.data.reason}`;
        break;
      case 'ForumConvened': {
        const place = e.data.venue ?? s.venue ?? s.hostCity;
        title = `${label} held${place ? ` in ${place}` : ''}`;
        break;
      }
      case 'ForumCancelled':
        title = `${label} cancelled: ${e.data.reason}`;
        break;
      case 'ForumPartnerAdded': {
        const [row] = await tx.query(`select name from rm_timeline_parties where party_id = $1`, [e.data.partyId]);
        title = `${row?.name ?? 'A new partner'} joins ${label} as a partner`;
        break;
      }
      default:
        return;
    }
    await this.entry(tx, event, { kind: 'forum', recordId: e.data.forumId, on: worldDate(event), title: clip(title), partyIds: forumParties(s) });
  }

  private async agreement(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const e = event as unknown as AgreementEvent;
    const s = await this.fold<AgreementState>(tx, 'agreement', e.data.agreementId, agreementDecider, event);
    let title: string;
    switch (e.type) {
      case 'MouSigned':
      case 'AgreementSigned':
        title = `${s.title} signed`;
        break;
      case 'AgreementAmended':
        title = `${s.title} amended: ${e.data.summary}`;
        break;
      case 'AgreementRenewed':
        title = `${s.title} renewed until ${e.data.expiresOn}`;
        break;
      case 'AgreementTerminated':
        title = `${s.title} terminated: ${e.data.reason}`;
        break;
      default:
        return;
    }
    await this.entry(tx, event, { kind: 'agreement', recordId: e.data.agreementId, on: worldDate(event), title: clip(title), partyIds: s.partyIds });
  }

  private async meeting(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const meetingId = event.data.meetingId as string;
    // Folded onto the copy it keeps, which has every field `evolve` and this entry read.
    const s = await this.fold<MeetingState>(tx, 'meeting', meetingId, meetingDecider, event, (m) => meetingEntryState(m) as MeetingState);
    switch (event.type) {
      case 'MeetingRecorded':
        await this.entry(tx, event, { kind: 'meeting', recordId: meetingId, on: s.occurredOn, title: meetingTitle(s), partyIds: s.partyIds });
        return;
      case 'MeetingRecordCorrected': {
        // One fact, corrected: its entry keeps its place in the log and takes the new date, title and parties.
        const r = parsePartialDate(s.occurredOn)!;
        await tx.query(
          `update rm_timeline_entries set on_date = $2, first_day = $3::date, last_day = $4::date, title = $5, party_ids = $6::uuid[]
            where record_id = $1 and type = 'MeetingRecorded'`,
          [meetingId, s.occurredOn, r.first, r.last, meetingTitle(s), [...new Set(s.partyIds)]],
        );
        // Commitments were made on the meeting's day: a corrected day moves them too.
        if (s.commitmentIds.length) {
          await tx.query(
            `update rm_timeline_entries set on_date = $2, first_day = $3::date, last_day = $4::date
              where record_id = any($1::uuid[]) and type = 'CommitmentMade'`,
            [s.commitmentIds, s.occurredOn, r.first, r.last],
          );
        }
        return;
      }
      case 'MeetingRecordRetracted':
        await tx.query(`delete from rm_timeline_entries where record_id = $1 and type = 'MeetingRecorded'`, [meetingId]);
        return;
    }
  }

  private async commitment(event: StoredEvent, tx: ProjectionTx): Promise<void> {
    const e = event as unknown as CommitmentEvent;
    const s = await this.fold<CommitmentState>(tx, 'commitment', e.data.commitmentId, commitmentFold, event);
    let title: string;
    switch (e.type) {
      case 'CommitmentMade':
        title = `Commitment made: ${s.description}`;
        break;
      case 'CommitmentFulfilled':
        title = `Commitment fulfilled: ${s.description}`;
        break;
      case 'CommitmentWithdrawn':
        title = `Commitment withdrawn: ${s.description} (${e.data.reason})`;
        break;
      default:
        return;
    }
    await this.entry(tx, event, { kind: 'commitment', recordId: e.data.commitmentId, on: worldDate(event), title: clip(title), partyIds: s.partyIds });
  }

  /** Folds one record with its own `evolve` and keeps the result. */
  private async fold<S>(
    tx: ProjectionTx,
    kind: TimelineKind,
    id: string,
    fold: { initialState: () => S; evolve: (s: S, e: Fact) => S },
    event: StoredEvent,
    keep: (s: S) => S = (s) => s,
  ): Promise<S> {
    if (tx instanceof BatchTx) {
      const prior = (await tx.state(RECORDS, id, loadRecords)) as S | undefined;
      const next = keep(fold.evolve(prior ?? fold.initialState(), event));
      tx.setState(RECORDS, id, next);
      tx.put(RECORDS, id, { id, kind, state: next }, writeRecords);
      return next;
    }
    const [row] = await tx.query(`select state from rm_timeline_records where record_id = $1`, [id]);
    const state = keep(fold.evolve(row ? (row.state as S) : fold.initialState(), event));
    await tx.query(
      `insert into rm_timeline_records (record_id, kind, state) values ($1, $2, $3)
       on conflict (record_id) do update set state = excluded.state`,
      [id, kind, JSON.stringify(state)],
    );
    return state;
  }

  private async entry(tx: ProjectionTx, event: StoredEvent, e: Entry): Promise<void> {
    const r = parsePartialDate(e.on) ?? parsePartialDate(worldDate(event))!;
    if (tx instanceof BatchTx) {
      tx.put(ENTRIES, event.position, { position: event.position, kind: e.kind, type: event.type, recordId: e.recordId, on: r.text, first: r.first, last: r.last, title: e.title, partyIds: [...new Set(e.partyIds)] }, writeEntries);
      return;
    }
    await tx.query(
      `insert into rm_timeline_entries (position, kind, type, record_id, on_date, first_day, last_day, title, party_ids)
       values ($1::bigint, $2, $3, $4, $5, $6::date, $7::date, $8, $9::uuid[])
       on conflict (position) do update set kind = excluded.kind, type = excluded.type, record_id = excluded.record_id, on_date = excluded.on_date,
         first_day = excluded.first_day, last_day = excluded.last_day, title = excluded.title, party_ids = excluded.party_ids`,
      [event.position, e.kind, event.type, e.recordId, r.text, r.first, r.last, e.title, [...new Set(e.partyIds)]],
    );
  }
}

const RECORDS = 'rm_timeline_records';
const ENTRIES = 'rm_timeline_entries';

/** The folded record an event belongs to (forums, agreements, meetings, commitments), if any. */
function recordIdOf(e: StoredEvent): string | undefined {
  const d = e.data as { forumId?: string; agreementId?: string; meetingId?: string; commitmentId?: string };
  if ((FORUM_EVENT_TYPES as readonly string[]).includes(e.type)) return d.forumId;
  if ((AGREEMENT_EVENT_TYPES as readonly string[]).includes(e.type)) return d.agreementId;
  if ((MEETING_EVENT_TYPES as readonly string[]).includes(e.type)) return d.meetingId;
  if ((COMMITMENT_EVENT_TYPES as readonly string[]).includes(e.type)) return d.commitmentId;
  return undefined;
}

async function loadRecords(ids: string[], tx: ProjectionTx): Promise<Map<string, unknown>> {
  const rows: { record_id: string; state: unknown }[] = await tx.query(`select record_id, state from rm_timeline_records where record_id = any($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.record_id, r.state]));
}

async function writeRecords(rows: { id: string; kind: string; state: unknown }[], tx: ProjectionTx): Promise<void> {
  await tx.query(
    `insert into rm_timeline_records (record_id, kind, state)
     select t.id, t.kind, t.state from jsonb_to_recordset($1::jsonb) as t(id uuid, kind text, state jsonb)
     on conflict (record_id) do update set state = excluded.state`,
    [JSON.stringify(rows)],
  );
}

interface EntryRow {
  position: string;
  kind: string;
  type: string;
  recordId: string;
  on: string;
  first: string;
  last: string;
  title: string;
  partyIds: string[];
}

async function writeEntries(rows: EntryRow[], tx: ProjectionTx): Promise<void> {
  await tx.query(
    `insert into rm_timeline_entries (position, kind, type, record_id, on_date, first_day, last_day, title, party_ids)
     select t.position, t.kind, t.type, t."recordId", t."on", t.first, t.last, t.title, t."partyIds"
       from jsonb_to_recordset($1::jsonb) as t(position bigint, kind text, type text, "recordId" uuid, "on" text, first date, last date, title text, "partyIds" uuid[])
     on conflict (position) do update set kind = excluded.kind, type = excluded.type, record_id = excluded.record_id, on_date = excluded.on_date,
       first_day = excluded.first_day, last_day = excluded.last_day, title = excluded.title, party_ids = excluded.party_ids`,
    [JSON.stringify(rows)],
  );
}
