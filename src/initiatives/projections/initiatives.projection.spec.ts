import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { InitiativesQuery } from '../queries/initiatives.query.js';
import { InitiativesProjection } from './initiatives.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const AZ = '01900000-0000-7000-8000-0000000000b1';
const UN = '01900000-0000-7000-8000-0000000000b2';
const UNESCO = '01900000-0000-7000-8000-0000000000b3';
const MINISTRY = '01900000-0000-7000-8000-0000000000b4';
const BAKU = '01900000-0000-7000-8000-0000000000a1';
const P4C = '01900000-0000-7000-8000-0000000000a2';
const ONE = '01900000-0000-7000-8000-0000000000a3';

const next = eventSequence();
const event = (streamId: string, type: string, data: Record<string, unknown>, occurredOn: string | null = null): StoredEvent =>
  next({ streamId, type, data, occurredOn });

const party = (partyId: string, name: string) =>
  event(partyId, 'PartyRegistered', { partyId, name, kind: 'state', shortName: null, countryCode: null, parentPartyId: null });
const launched = (initiativeId: string, name: string, kind: string, launchedOn: string, leadPartyId: string, partnerPartyIds: string[]) =>
  event(initiativeId, 'InitiativeLaunched', { initiativeId, name, kind, launchedOn, leadPartyId, partnerPartyIds }, launchedOn);

describe('InitiativesProjection', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new InitiativesProjection();
  let query: InitiativesQuery;
  const given = (...events: StoredEvent[]) =>
    ds.transaction(async (m) => {
      for (const e of events) await projection.apply(e, m);
    });

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    query = new InitiativesQuery(ds);
    await given(party(AZ, 'Republic of Azerbaijan'), party(UN, 'UNAOC'), party(UNESCO, 'UNESCO'), party(MINISTRY, 'Ministry of Culture'));
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('handles exactly the party events and InitiativeLaunched, and writes only its own tables', () => {
    expect([...projection.handles].sort()).toEqual(['InitiativeLaunched', 'PartyRegistered', 'PartyRenamed']);
    expect(projection.tables.every((t) => t.startsWith('rm_initiative'))).toBe(true);
  });

  it('keeps one row per initiative with its dates, parties and place in partial-date order', async () => {
    await given(
      launched(P4C, 'Peace4Culture', 'campaign', '2021', MINISTRY, [UNESCO]),
      launched(BAKU, 'Baku Process', 'process', '2008', AZ, [UNESCO, UN]),
      launched(ONE, 'One Humanity', 'programme', '2021-03', UN, [AZ]),
    );
    const rows = await ds.query(
      `select initiative_id, kind, launched_on, first_day::text as first_day, last_day::text as last_day, sort_key, party_ids from rm_initiatives order by sort_key`,
    );
    expect(rows).toEqual([
      { initiative_id: BAKU, kind: 'process', launched_on: '2008', first_day: '2008-01-01', last_day: '2008-12-31', sort_key: `2008-01-01|2008-12-31|${BAKU}`, party_ids: [AZ, UNESCO, UN] },
      { initiative_id: P4C, kind: 'campaign', launched_on: '2021', first_day: '2021-01-01', last_day: '2021-12-31', sort_key: `2021-01-01|2021-12-31|${P4C}`, party_ids: [MINISTRY, UNESCO] },
      { initiative_id: ONE, kind: 'programme', launched_on: '2021-03', first_day: '2021-03-01', last_day: '2021-03-31', sort_key: `2021-03-01|2021-03-31|${ONE}`, party_ids: [UN, AZ] },
    ]);
  });

  it('answers initiatives with their lead and partners under current names, filtered and paged', async () => {
    await given(
      event(UNESCO, 'PartyRenamed', { partyId: UNESCO, name: 'UNESCO (renamed)', shortName: null, effectiveOn: '2024', formerName: 'UNESCO', formerShortName: null }, '2024'),
    );
    expect(await query.get(BAKU)).toEqual({
      id: BAKU,
      name: 'Baku Process',
      kind: 'process',
      launchedOn: '2008',
      lead: { id: AZ, name: 'Republic of Azerbaijan' },
      partners: [
        { id: UNESCO, name: 'UNESCO (renamed)' },
        { id: UN, name: 'UNAOC' },
      ],
    });
    expect((await query.list({ partyId: UNESCO, limit: 50 })).items.map((i) => i.name)).toEqual(['Baku Process', 'Peace4Culture']);
    expect((await query.list({ kind: 'programme', limit: 50 })).items.map((i) => i.name)).toEqual(['One Humanity']);
    const first = await query.list({ limit: 2 });
    const second = await query.list({ limit: 2, cursor: first.next! });
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(['Baku Process', 'Peace4Culture', 'One Humanity']);
    expect(second.next).toBeNull();
    await expect(query.get('01900000-0000-7000-8000-000000000000')).rejects.toMatchObject({ status: 404 });
  });
});
