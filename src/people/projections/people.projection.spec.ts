import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { heldOn } from '../appointment-held.js';
import { PeopleQuery } from '../queries/people.query.js';
import { PeopleProjection } from './people.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const MINISTRY = '01900000-0000-7000-8000-0000000000d3';
const UNAOC = '01900000-0000-7000-8000-0000000000d4';
const KARIMOV = '01900000-0000-7000-8000-0000000000e1';
const MORATINOS = '01900000-0000-7000-8000-0000000000e2';
const ACTING_ID = '01900000-0000-7000-8000-0000000000a1';
const MINISTER_ID = '01900000-0000-7000-8000-0000000000a2';
const ACTING = 'First Deputy Minister and Acting Minister of Culture';

const next = eventSequence({ recordedAt: (n) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)) });
const event = (streamId: string, streamType: string, type: string, data: Record<string, unknown>, occurredOn: string | null = null): StoredEvent =>
  next({ streamId, streamType, type, data, occurredOn });

const party = (partyId: string, name: string, shortName: string | null = null) =>
  event(partyId, 'party', 'PartyRegistered', { partyId, name, kind: 'ministry', shortName, countryCode: null, parentPartyId: null });
const person = (personId: string, fullName: string) => event(personId, 'person', 'PersonRegistered', { personId, fullName });
const appointed = (personId: string, appointmentId: string, partyId: string, title: string, from: string, extra: Record<string, unknown> = {}) =>
  event(personId, 'person', 'PersonAppointed', { personId, appointmentId, partyId, title, from, to: null, acting: false, ...extra }, from);
const ended = (personId: string, appointmentId: string, partyId: string, title: string, on: string) =>
  event(personId, 'person', 'AppointmentEnded', { personId, appointmentId, partyId, title, on }, on);

describe('PeopleProjection', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new PeopleProjection();
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

  it('handles exactly the person and party events it needs, and writes only its own tables', () => {
    expect([...projection.handles].sort()).toEqual(['AppointmentEnded', 'PartyRegistered', 'PartyRenamed', 'PersonAppointed', 'PersonRegistered']);
    expect(projection.tables.every((t) => t.startsWith('rm_people'))).toBe(true);
  });

  it('folds a person’s appointments, ended ones kept, in the order recorded', async () => {
    await given(
      party(MINISTRY, 'Ministry of Culture of the Republic of Azerbaijan'),
      person(KARIMOV, 'Anar Karimov'),
      // recorded out of date order on purpose: the view sorts by `from`
      appointed(KARIMOV, MINISTER_ID, MINISTRY, 'Minister of Culture', '2021'),
      appointed(KARIMOV, ACTING_ID, MINISTRY, ACTING, '2020-12', { acting: true }),
      ended(KARIMOV, ACTING_ID, MINISTRY, ACTING, '2021'),
      ended(KARIMOV, MINISTER_ID, MINISTRY, 'Minister of Culture', '2025-12'),
    );
    const [row] = await ds.query(`select full_name, sort_name, state from rm_people where person_id = $1`, [KARIMOV]);
    expect(row).toMatchObject({ full_name: 'Anar Karimov', sort_name: 'anar karimov' });
    expect(row.state.appointments).toEqual([
      { appointmentId: MINISTER_ID, partyId: MINISTRY, title: 'Minister of Culture', from: '2021', to: null, acting: false, endedOn: '2025-12' },
      { appointmentId: ACTING_ID, partyId: MINISTRY, title: ACTING, from: '2020-12', to: null, acting: true, endedOn: '2021' },
    ]);
  });

  it('keeps the current name of every party, renames included', async () => {
    await given(
      party(UNAOC, 'Alliance of Civilizations', 'AoC'),
      event(UNAOC, 'party', 'PartyRenamed', {
        partyId: UNAOC,
        name: 'United Nations Alliance of Civilizations',
        shortName: 'UNAOC',
        effectiveOn: '2005',
        formerName: 'Alliance of Civilizations',
        formerShortName: 'AoC',
      }),
    );
    expect(await ds.query(`select party_id, name, short_name from rm_people_parties order by name`)).toEqual([
      { party_id: MINISTRY, name: 'Ministry of Culture of the Republic of Azerbaijan', short_name: null },
      { party_id: UNAOC, name: 'United Nations Alliance of Civilizations', short_name: 'UNAOC' },
    ]);
  });

  describe('read through PeopleQuery', () => {
    const query = () => new PeopleQuery(ds);

    it('lists appointments by start date, with party names, ended ones not current', async () => {
      await given(person(MORATINOS, 'Miguel Ángel Moratinos'), appointed(MORATINOS, '01900000-0000-7000-8000-0000000000a3', UNAOC, 'High Representative', '2019'));
      const view = await query().get(KARIMOV, { day: '2026-11-23' });
      expect(view).toEqual({
        id: KARIMOV,
        fullName: 'Anar Karimov',
        appointments: [
          { appointmentId: ACTING_ID, party: { id: MINISTRY, name: 'Ministry of Culture of the Republic of Azerbaijan' }, title: ACTING, from: '2020-12', to: null, endedOn: '2021', acting: true, current: false },
          { appointmentId: MINISTER_ID, party: { id: MINISTRY, name: 'Ministry of Culture of the Republic of Azerbaijan' }, title: 'Minister of Culture', from: '2021', to: null, endedOn: '2025-12', acting: false, current: false },
        ],
      });
      const moratinos = await query().get(MORATINOS, { day: '2026-11-23' });
      expect(moratinos.appointments).toEqual([expect.objectContaining({ party: { id: UNAOC, name: 'United Nations Alliance of Civilizations' }, current: true })]);
    });

    it('searches full names case-insensitively and pages by name then id', async () => {
      expect((await query().list({ q: 'KARIM', limit: 50 })).items).toEqual([{ id: KARIMOV, fullName: 'Anar Karimov' }]);
      const first = await query().list({ limit: 1 });
      expect(first.items).toEqual([{ id: KARIMOV, fullName: 'Anar Karimov' }]);
      const second = await query().list({ limit: 1, cursor: first.next! });
      expect(second).toEqual({ items: [{ id: MORATINOS, fullName: 'Miguel Ángel Moratinos' }], next: null });
    });

    it('404 for an unknown person', async () => {
      await expect(query().get('01900000-0000-7000-8000-0000000000ff')).rejects.toMatchObject({ kind: 'not_found' });
    });
  });
});

describe('heldOn', () => {
  const a = (from: string, to: string | null = null, endedOn: string | null = null) => ({ from, to, endedOn });
  it.each([
    ['an open appointment begun before the day', a('2021'), '2026-11-23', true],
    ['an ended appointment, whatever its end date', a('2021', null, '2030'), '2026-11-23', false],
    ['a known end in the day’s month', a('2021', '2026-11'), '2026-11-23', true],
    ['a known end wholly before the day', a('2021', '2026-10'), '2026-11-23', false],
    ['a start in the day’s year', a('2026'), '2026-01-01', true],
    ['a start wholly after the day', a('2027'), '2026-11-23', false],
  ])('%s', (_, appointment, day, held) => {
    expect(heldOn(appointment, day)).toBe(held);
  });
});
