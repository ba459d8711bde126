import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { ForumsQuery } from '../queries/forums.query.js';
import { ForumsProjection } from './forums.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const AZ = '01900000-0000-7000-8000-0000000000b1';
const UN = '01900000-0000-7000-8000-0000000000b2';
const WF6 = '01900000-0000-7000-8000-0000000000f6';
const WF7 = '01900000-0000-7000-8000-0000000000f7';

const next = eventSequence({ streamType: 'forum' });
const event = (streamId: string, type: string, data: Record<string, unknown>, occurredOn: string | null = null): StoredEvent =>
  next({ streamId, type, data, occurredOn });

const party = (partyId: string, name: string) =>
  event(partyId, 'PartyRegistered', { partyId, name, kind: 'state', shortName: null, countryCode: null, parentPartyId: null });
const announced = (forumId: string, edition: number, plannedFor: string) =>
  event(forumId, 'ForumAnnounced', {
    forumId,
    series: 'World Forum on Intercultural Dialogue',
    edition,
    title: null,
    hostCity: 'Baku',
    hostPartyId: AZ,
    plannedFor,
    organizerPartyIds: [AZ],
    partnerPartyIds: [UN],
  });

describe('ForumsProjection: the list and the detail with its history', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new ForumsProjection();
  let query: ForumsQuery;
  const given = (...events: StoredEvent[]) =>
    ds.transaction(async (m) => {
      for (const e of events) await projection.apply(e, m);
    });

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    query = new ForumsQuery(ds);
    await given(party(AZ, 'Republic of Azerbaijan'), party(UN, 'UNAOC'));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('keeps a postponed forum undated (sorted last) until it is confirmed, with a history entry per change', async () => {
    await given(announced(WF6, 6, '2021'), announced(WF7, 7, '2026'));
    await given(event(WF6, 'ForumPostponed', { forumId: WF6, reason: 'COVID-19', plannedFor: null }));
    const undated = await ds.query(`select status, first_day, sort_key from rm_forums where forum_id = $1`, [WF6]);
    expect(undated).toEqual([{ status: 'postponed', first_day: null, sort_key: `~|~|${WF6}` }]);
    expect((await query.list({ limit: 50 })).items.map((f) => f.id)).toEqual([WF7, WF6]);

    await given(event(WF6, 'ForumConfirmed', { forumId: WF6, plannedFor: '2024' }));
    expect((await query.list({ limit: 50 })).items.map((f) => [f.id, f.status, f.plannedFor])).toEqual([
      [WF6, 'planned', '2024'],
      [WF7, 'planned', '2026'],
    ]);
    const detail = await query.get(WF6);
    expect(detail).toMatchObject({
      id: WF6,
      edition: 6,
      host: { id: AZ, name: 'Republic of Azerbaijan' },
      organizers: [{ id: AZ, name: 'Republic of Azerbaijan' }],
      partners: [{ id: UN, name: 'UNAOC' }],
      venue: null,
    });
    expect(detail.history).toEqual([
      { status: 'planned', event: 'ForumAnnounced', plannedFor: '2021', startsOn: null, endsOn: null, reason: null, recordedAt: expect.any(String) },
      { status: 'postponed', event: 'ForumPostponed', plannedFor: null, startsOn: null, endsOn: null, reason: 'COVID-19', recordedAt: expect.any(String) },
      { status: 'planned', event: 'ForumConfirmed', plannedFor: '2024', startsOn: null, endsOn: null, reason: null, recordedAt: expect.any(String) },
    ]);
    expect((await query.list({ status: 'postponed', limit: 50 })).items).toEqual([]);
    await expect(query.get('01900000-0000-7000-8000-000000000000')).rejects.toMatchObject({ status: 404 });
  });
});
