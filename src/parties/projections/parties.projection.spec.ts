import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { PartiesQuery } from '../queries/parties.query.js';
import { PartiesProjection } from './parties.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const ICESCO = '01900000-0000-7000-8000-0000000000d1';
const AZ = '01900000-0000-7000-8000-0000000000d2';
const MINISTRY = '01900000-0000-7000-8000-0000000000d3';
const KARIMOV = '01900000-0000-7000-8000-0000000000e1';
const KARIMLI = '01900000-0000-7000-8000-0000000000e2';
const ACTING_ID = '01900000-0000-7000-8000-0000000000a1';
const MINISTER_ID = '01900000-0000-7000-8000-0000000000a2';
const KARIMLI_ID = '01900000-0000-7000-8000-0000000000a3';
const ACTING = 'First Deputy Minister and Acting Minister of Culture';

const next = eventSequence({ recordedAt: (n) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)) });
const event = (streamId: string, streamType: string, type: string, data: Record<string, unknown>, occurredOn: string | null = null): StoredEvent =>
  next({ streamId, streamType, type, data, occurredOn });

const party = (partyId: string, name: string, kind: string, extra: Record<string, unknown> = {}) =>
  event(partyId, 'party', 'PartyRegistered', { partyId, name, kind, shortName: null, countryCode: null, parentPartyId: null, ...extra });
const person = (personId: string, fullName: string) => event(personId, 'person', 'PersonRegistered', { personId, fullName });
const appointed = (personId: string, appointmentId: string, title: string, from: string, extra: Record<string, unknown> = {}) =>
  event(personId, 'person', 'PersonAppointed', { personId, appointmentId, partyId: MINISTRY, title, from, to: null, acting: false, ...extra }, from);
const ended = (personId: string, appointmentId: string, title: string, on: string) =>
  event(personId, 'person', 'AppointmentEnded', { personId, appointmentId, partyId: MINISTRY, title, on }, on);

describe('PartiesProjection', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new PartiesProjection();
  const given = (...events: StoredEvent[]) =>
    ds.transaction(async (m) => {
      for (const e of events) await projection.apply(e, m);
    });

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('handles exactly the party and person events it needs, and writes only its own tables', () => {
    expect([...projection.handles].sort()).toEqual(['AppointmentEnded', 'PartyRegistered', 'PartyRenamed', 'PersonAppointed', 'PersonRegistered']);
    expect(projection.tables.every((t) => t.startsWith('rm_parties'))).toBe(true);
  });

  it('keeps a renamed party under its new name, with the former one and its date, and the time it was registered', async () => {
    const registered = party(ICESCO, 'Islamic Educational, Scientific and Cultural Organization', 'international_organization', { shortName: 'ISESCO' });
    const renamed = event(
      ICESCO,
      'party',
      'PartyRenamed',
      {
        partyId: ICESCO,
        name: 'Islamic World Educational, Scientific and Cultural Organization',
        shortName: 'ICESCO',
        effectiveOn: '2020',
        formerName: 'Islamic Educational, Scientific and Cultural Organization',
        formerShortName: 'ISESCO',
      },
      '2020',
    );
    await given(registered, renamed);
    const [row] = await ds.query(`select name, sort_name, kind, search_text, registered_at, state from rm_parties where party_id = $1`, [ICESCO]);
    expect(row).toMatchObject({
      name: 'Islamic World Educational, Scientific and Cultural Organization',
      sort_name: 'islamic world educational, scientific and cultural organization',
      kind: 'international_organization',
    });
    expect(row.search_text.split('\n')).toEqual([
      'Islamic World Educational, Scientific and Cultural Organization',
      'ICESCO',
      'Islamic Educational, Scientific and Cultural Organization',
      'ISESCO',
    ]);
    expect(row.registered_at.toISOString()).toBe(registered.recordedAt.toISOString());
    expect(row.state.formerNames).toEqual([{ name: 'Islamic Educational, Scientific and Cultural Organization', shortName: 'ISESCO', until: '2020' }]);
  });

  it('keeps appointments at each party, with the holder’s name, and marks the ended ones', async () => {
    await given(
      party(AZ, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ' }),
      party(MINISTRY, 'Ministry of Culture of the Republic of Azerbaijan', 'ministry', { countryCode: 'AZ', parentPartyId: AZ }),
      person(KARIMOV, 'Anar Karimov'),
      person(KARIMLI, 'Adil Karimli'),
      appointed(KARIMOV, ACTING_ID, ACTING, '2020-12', { acting: true }),
      ended(KARIMOV, ACTING_ID, ACTING, '2021'),
      appointed(KARIMOV, MINISTER_ID, 'Minister of Culture', '2021'),
      ended(KARIMOV, MINISTER_ID, 'Minister of Culture', '2025-12'),
      appointed(KARIMLI, KARIMLI_ID, 'Minister of Culture', '2025-12'),
    );
    const rows = await ds.query(
      `select appointment_id, person_id, title, from_date, to_date, ended_on, acting, first_day::text, last_day::text
         from rm_parties_offices where party_id = $1 order by position`,
      [MINISTRY],
    );
    expect(rows).toEqual([
      { appointment_id: ACTING_ID, person_id: KARIMOV, title: ACTING, from_date: '2020-12', to_date: null, ended_on: '2021', acting: true, first_day: '2020-12-01', last_day: '2020-12-31' },
      { appointment_id: MINISTER_ID, person_id: KARIMOV, title: 'Minister of Culture', from_date: '2021', to_date: null, ended_on: '2025-12', acting: false, first_day: '2021-01-01', last_day: '2021-12-31' },
      { appointment_id: KARIMLI_ID, person_id: KARIMLI, title: 'Minister of Culture', from_date: '2025-12', to_date: null, ended_on: null, acting: false, first_day: '2025-12-01', last_day: '2025-12-31' },
    ]);
    expect(await ds.query(`select person_id, full_name from rm_parties_people order by full_name`)).toEqual([
      { person_id: KARIMLI, full_name: 'Adil Karimli' },
      { person_id: KARIMOV, full_name: 'Anar Karimov' },
    ]);
  });

  describe('read through PartiesQuery', () => {
    const query = () => new PartiesQuery(ds);

    it('answers the ministry with its parent and only the office holder of the day', async () => {
      const view = await query().get(MINISTRY, { day: '2026-11-23' });
      expect(view).toMatchObject({ name: 'Ministry of Culture of the Republic of Azerbaijan', kind: 'ministry', countryCode: 'AZ', parent: { id: AZ, name: 'Republic of Azerbaijan' } });
      expect(view.officeHolders).toEqual([
        { person: { id: KARIMLI, fullName: 'Adil Karimli' }, appointmentId: KARIMLI_ID, title: 'Minister of Culture', from: '2025-12', to: null, acting: false },
      ]);
      // before Karimli's start, nobody not ended holds it: ended appointments never count
      expect((await query().get(MINISTRY, { day: '2025-11-30' })).officeHolders).toEqual([]);
    });

    it('leaves out an appointment whose known end is wholly before the day', async () => {
      const until = '01900000-0000-7000-8000-0000000000a4';
      await given(appointed(KARIMOV, until, 'Adviser', '2026', { to: '2026-06' }));
      const titles = async (day: string) => (await query().get(MINISTRY, { day })).officeHolders.map((o) => o.title);
      expect(await titles('2026-06-30')).toEqual(['Minister of Culture', 'Adviser']);
      expect(await titles('2026-07-01')).toEqual(['Minister of Culture']);
    });

    it('finds a party by a former short name, case-insensitively, and filters by kind', async () => {
      const found = await query().list({ q: 'isesco', limit: 50 });
      expect(found.items.map((p) => p.id)).toEqual([ICESCO]);
      expect((await query().list({ kind: 'state', limit: 50 })).items.map((p) => p.id)).toEqual([AZ]);
      expect((await query().list({ q: '%', limit: 50 })).items).toEqual([]);
    });

    it('pages by name then id', async () => {
      const first = await query().list({ limit: 2 });
      expect(first.items.map((p) => p.name)).toEqual(['Islamic World Educational, Scientific and Cultural Organization', 'Ministry of Culture of the Republic of Azerbaijan']);
      const second = await query().list({ limit: 2, cursor: first.next! });
      expect(second).toEqual({ items: [expect.objectContaining({ id: AZ })], next: null });
    });
  });
});
