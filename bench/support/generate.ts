import type { EventStore } from '../../src/event-store/event-store.js';
import type { StreamWrite } from '../../src/event-store/event.types.js';
import { agreementDecider } from '../../src/agreements/agreement.decider.js';
import { forumDecider } from '../../src/forums/forum.decider.js';
import { meetingDecider } from '../../src/meetings/meeting.decider.js';
import { partyDecider } from '../../src/parties/party.decider.js';
import type { DecideEnv } from '../../src/shared/decider.js';
import { uuidv7 } from '../../src/shared/ids.js';

/**
 * Appends a realistic log of about `total` events: parties, meetings with commitments,
 * agreements and forums with their lifecycle, each made by the real deciders, written
 * through the event store in transactions of about `perTransaction` events.
 */
export async function generateLog(store: EventStore, total: number, perTransaction = 200, onProgress?: (n: number) => void): Promise<number> {
  const env: DecideEnv = { now: new Date(), today: new Date().toISOString().slice(0, 10), newId: () => uuidv7() };
  const meta = { actor: 'bench', role: 'recorder', correlationId: 'bench', causationId: 'bench' };
  const parties: string[] = [];
  let written = 0;
  let queued = 0;
  let pending: StreamWrite[] = [];
  let pendingEvents = 0;
  // One append in flight while the next batch is decided: the database writes one batch while
  // this process builds the next (the appends stay one after another, in order).
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (!pending.length) return;
    const batch = pending;
    const n = pendingEvents;
    pending = [];
    pendingEvents = 0;
    queued += n;
    await inflight;
    inflight = store.append(batch, meta).then(() => {
      written += n;
      onProgress?.(written);
    });
  };
  const push = async (w: StreamWrite) => {
    pending.push(w);
    pendingEvents += w.events.length;
    if (pendingEvents >= perTransaction) await flush();
  };
  let seq = 0;
  const pick = () => parties[(seq * 7919 + parties.length * 31) % parties.length];
  for (let i = 0; i < Math.max(20, Math.floor(total / 200)); i++) {
    const partyId = uuidv7();
    parties.push(partyId);
    await push({ streamId: partyId, streamType: 'party', expectedVersion: 0, events: partyDecider.decide({ type: 'RegisterParty', partyId, name: `Party ${i}`, kind: i % 3 ? 'international_organization' : 'state' }, partyDecider.initialState(), env) });
  }
  while (queued + pendingEvents < total) {
    seq++;
    const a = pick();
    let b = parties[(seq * 104729) % parties.length];
    if (b === a) b = parties[(parties.indexOf(a) + 1) % parties.length];
    const year = 2000 + (seq % 27);
    if (seq % 50 === 0) {
      const agreementId = uuidv7();
      await push({
        streamId: agreementId,
        streamType: 'agreement',
        expectedVersion: 0,
        events: agreementDecider.decide({ type: 'SignAgreement', agreementId, title: `Agreement ${seq}`, partyIds: [a, b], signedOn: String(year), expiresOn: String(year + 5) }, agreementDecider.initialState(), env),
      });
    } else if (seq % 100 === 1) {
      const forumId = uuidv7();
      let state = forumDecider.initialState();
      const events = forumDecider.decide({ type: 'AnnounceForum', forumId, series: `Series ${seq % 7}`, edition: seq, plannedFor: String(year + 3), organizerPartyIds: [a], partnerPartyIds: [b] }, state, env);
      state = events.reduce(forumDecider.evolve, state);
      events.push(...forumDecider.decide({ type: 'PostponeForum', reason: 'bench', plannedFor: String(year + 4) }, state, env));
      await push({ streamId: forumId, streamType: 'forum', expectedVersion: 0, events });
    } else {
      const meetingId = uuidv7();
      const decided = meetingDecider.decide(
        {
          type: 'RecordMeeting',
          meetingId,
          occurredOn: `${year}-${String((seq % 12) + 1).padStart(2, '0')}`,
          format: 'in_person',
          title: `Meeting ${seq} on cultural cooperation`,
          partyIds: [a, b],
          topics: ['Intercultural dialogue', `Topic ${seq % 40}`],
          summary: 'The sides discussed cooperation in culture, heritage and education.',
          outcomes: ['Agreed to continue'],
          commitments: seq % 10 === 0 ? [{ description: `Commitment ${seq}`, dueBy: String(year + 1) }] : [],
        },
        meetingDecider.initialState(),
        env,
      );
      await push({ streamId: meetingId, streamType: 'meeting', expectedVersion: 0, events: decided.filter((e) => e.type !== 'CommitmentMade') });
      for (const c of decided.filter((e) => e.type === 'CommitmentMade')) {
        await push({ streamId: (c.data as { commitmentId: string }).commitmentId, streamType: 'commitment', expectedVersion: 0, events: [c] });
      }
    }
  }
  await flush();
  await inflight;
  return written;
}
