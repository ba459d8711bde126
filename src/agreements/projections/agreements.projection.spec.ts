import type { DataSource } from 'typeorm';
import { createMigratedDataSource, type TestDatabase } from '../../../test/support/database.js';
import type { StoredEvent } from '../../event-store/event.types.js';
import { AgreementsQuery } from '../queries/agreements.query.js';
import { AgreementsProjection } from './agreements.projection.js';
import { eventSequence } from '../../../test/support/stored-events.js';

const AZ = '01900000-0000-7000-8000-0000000000a1';
const MX = '01900000-0000-7000-8000-0000000000a2';
const KARIMOV = '01900000-0000-7000-8000-0000000000b1';
const A1 = '01900000-0000-7000-8000-0000000000c1';
const A2 = '01900000-0000-7000-8000-0000000000c2';
const A3 = '01900000-0000-7000-8000-0000000000c3';
const A4 = '01900000-0000-7000-8000-0000000000c4';

const next = eventSequence({ recordedAt: () => new Date('2026-01-05T10:00:00Z') });
const event = (type: string, data: Record<string, unknown>): StoredEvent =>
  next({ streamId: (data.agreementId ?? data.partyId ?? data.personId) as string, type, data });

const terms = (agreementId: string, extra: object = {}) => ({
  agreementId,
  title: 'Agreement on cooperation in education, science, youth, culture and sports',
  kind: 'agreement',
  partyIds: [AZ, MX],
  signedOn: '2019',
  signatories: [{ personId: KARIMOV, partyId: AZ }],
  effectiveFrom: null,
  expiresOn: null,
  areas: ['culture', 'sports'],
  ...extra,
});

describe('AgreementsProjection', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const projection = new AgreementsProjection();
  const apply = (...events: StoredEvent[]) => ds.transaction(async (m) => {
    for (const e of events) await projection.apply(e, m);
  });
  const row = async (id: string) =>
    (
      await ds.query(
        `select kind, sort_key, party_ids, terminated_first_day::text as terminated_first_day, terminated_last_day::text as terminated_last_day,
                expires_last_day::text as expires_last_day, state
           from rm_agreements where agreement_id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    ({ db, ds } = await createMigratedDataSource());
    await apply(
      event('PartyRegistered', { partyId: AZ, name: 'Republic of Azerbaijan', kind: 'state', shortName: null, countryCode: 'AZ', parentPartyId: null }),
      event('PartyRegistered', { partyId: MX, name: 'United Mexican States', kind: 'state', shortName: null, countryCode: 'MX', parentPartyId: null }),
      event('PersonRegistered', { personId: KARIMOV, fullName: 'Anar Karimov' }),
    );
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('given AgreementSigned: one row with kind, sort key, parties and no status days', async () => {
    await apply(event('AgreementSigned', terms(A1)));
    expect(await row(A1)).toMatchObject({
      kind: 'agreement',
      sort_key: `2019-01-01|2019-12-31|${A1}`,
      party_ids: [AZ, MX],
      terminated_first_day: null,
      terminated_last_day: null,
      expires_last_day: null,
    });
    expect((await row(A1)).state).toMatchObject({ ...terms(A1), exists: true, amendments: [], renewals: [], terminated: null });
  });

  it('given MouSigned with an expiry, amended and renewed: the expiry moves to the renewal last day', async () => {
    await apply(
      event('MouSigned', terms(A2, { kind: 'mou', title: 'MoU', signedOn: '2022-03', expiresOn: '2025' })),
      event('AgreementAmended', { agreementId: A2, summary: 'Adds heritage', on: '2023-05' }),
      event('AgreementRenewed', { agreementId: A2, expiresOn: '2028-06', previousExpiresOn: '2025' }),
    );
    const r = await row(A2);
    expect(r).toMatchObject({ kind: 'mou', expires_last_day: '2028-06-30', terminated_first_day: null });
    expect(r.state.amendments).toEqual([{ summary: 'Adds heritage', on: '2023-05' }]);
    expect(r.state.renewals).toEqual([{ expiresOn: '2028-06', previousExpiresOn: '2025' }]);
  });

  it('given AgreementTerminated: the termination first and last day', async () => {
    await apply(
      event('AgreementSigned', terms(A3, { signedOn: '2010-05-01', expiresOn: '2040' })),
      event('AgreementTerminated', { agreementId: A3, on: '2024-07', reason: 'Replaced' }),
    );
    expect(await row(A3)).toMatchObject({ terminated_first_day: '2024-07-01', terminated_last_day: '2024-07-31', expires_last_day: '2040-12-31' });
    expect((await row(A3)).state.terminated).toEqual({ on: '2024-07', reason: 'Replaced' });
  });

  it('status filters in SQL agree with agreementStatus for any day', async () => {
    await apply(event('AgreementSigned', terms(A4, { signedOn: '2001', expiresOn: '2005' })));
    const query = new AgreementsQuery(ds);
    const ids = async (status: 'in_force' | 'expired' | 'terminated', day: string) =>
      (await query.list({ status, limit: 50 }, day)).items.map((a) => a.id).sort();
    // A1 no expiry; A2 until 2028-06; A3 terminated from 2024-07-01; A4 expired after 2005.
    expect(await ids('in_force', '2024-06-30')).toEqual([A1, A2, A3]);
    expect(await ids('terminated', '2024-06-30')).toEqual([]);
    expect(await ids('terminated', '2024-07-01')).toEqual([A3]);
    expect(await ids('in_force', '2028-06-30')).toEqual([A1, A2]);
    expect(await ids('expired', '2028-07-01')).toEqual([A2, A4]);
    for (const day of ['2024-06-30', '2024-07-01', '2028-06-30', '2028-07-01']) {
      const all = (await query.list({ limit: 50 }, day)).items;
      for (const a of all) expect((await ids(a.status as 'in_force', day))).toContain(a.id);
    }
  });

  it('the query answers names, newest signed first, and the kind filter', async () => {
    const query = new AgreementsQuery(ds);
    const all = await query.list({ limit: 50 }, '2026-01-01');
    expect(all.items.map((a) => a.signedOn)).toEqual(['2022-03', '2019', '2010-05-01', '2001']);
    expect(all.items[1]).toEqual({
      id: A1,
      title: terms(A1).title,
      kind: 'agreement',
      status: 'in_force',
      parties: [
        { id: AZ, name: 'Republic of Azerbaijan' },
        { id: MX, name: 'United Mexican States' },
      ],
      signedOn: '2019',
      signatories: [{ person: { id: KARIMOV, fullName: 'Anar Karimov' }, party: { id: AZ, name: 'Republic of Azerbaijan' } }],
      effectiveFrom: null,
      expiresOn: null,
      areas: ['culture', 'sports'],
      amendments: [],
      renewals: [],
      terminated: null,
    });
    expect((await query.list({ kind: 'mou', limit: 50 })).items.map((a) => a.id)).toEqual([A2]);
  });
});
