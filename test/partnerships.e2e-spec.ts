import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, registerParty, send } from './support/fixtures.js';

describe('partnerships and initiatives over HTTP', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let unesco: string;
  let coe: string;

  const read = (path: string, position: string) =>
    t.http.get(`/api/v1${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`).set('Authorization', t.as('viewer').auth);

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state');
    un = await registerParty(t, 'UNAOC');
    unesco = await registerParty(t, 'UNESCO');
    coe = await registerParty(t, 'Council of Europe');
  });
  afterAll(() => t.close());

  describe('EstablishPartnership', () => {
    it('establishes a pair since a date; the answer names the partnership the read model shows', async () => {
      const res = await send(t, '/partnerships', { partyIds: [un, az], since: '2010', basis: 'Partner of the Baku Process and the World Forum' });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/partnerships/${res.body.id}`);
      const view = await read(`/partnerships/${res.body.id}`, res.body.position);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ id: res.body.id, since: '2010', meetingsCount: 0, lastMeetingOn: null });
      expect(view.body.parties.map((p: { id: string }) => p.id).sort()).toEqual([az, un].sort());
    });

    it('refuses the same pair again, in either order (409), and writes nothing', async () => {
      const before = await eventCount(t);
      const again = await send(t, '/partnerships', { partyIds: [az, un], since: '2008' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PARTNERSHIP.ALREADY_ESTABLISHED');
      expect(await eventCount(t)).toBe(before);
    });

    it('400 for one or three parties or the same party twice; 422 for an unregistered party', async () => {
      const before = await eventCount(t);
      for (const partyIds of [[az], [az, un, unesco], [az, az]]) {
        const res = await send(t, '/partnerships', { partyIds, since: '2010' });
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('partyIds');
      }
      const unknown = await send(t, '/partnerships', { partyIds: [az, '01900000-0000-7000-8000-000000000000'], since: '2010' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].field).toBe('partyIds[1]');
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('LaunchInitiative', () => {
    it('joins every pair among its lead and partners, and an earlier launch moves since back', async () => {
      const res = await send(t, '/initiatives', { name: 'Baku Process', kind: 'process', launchedOn: '2008', leadPartyId: az, partnerPartyIds: [un, unesco, coe] });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/initiatives/${res.body.id}`);
      const list = await read(`/partnerships?partyId=${az}`, res.body.position);
      expect(list.body.items).toHaveLength(3);
      const withUn = list.body.items.find((p: { parties: { id: string }[] }) => p.parties.some((x) => x.id === un));
      expect(withUn.since).toBe('2008');
      const all = await read('/partnerships', res.body.position);
      expect(all.body.items).toHaveLength(6); // 4 parties, every pair
      const [event] = await t.ds.query(`select type, occurred_on, data from events where stream_id = $1`, [res.body.id]);
      expect(event).toMatchObject({ type: 'InitiativeLaunched', occurred_on: '2008', data: { kind: 'process', leadPartyId: az } });
    });

    it('400 for a lead that is also a partner or an unknown kind; 422 for an unregistered lead', async () => {
      const before = await eventCount(t);
      const both = await send(t, '/initiatives', { name: 'x', kind: 'process', launchedOn: '2021', leadPartyId: az, partnerPartyIds: [az] });
      expect(both.status).toBe(400);
      expect(both.body.errors[0].field).toBe('partnerPartyIds[0]');
      const kind = await send(t, '/initiatives', { name: 'x', kind: 'festival', launchedOn: '2021', leadPartyId: az });
      expect(kind.status).toBe(400);
      expect(kind.body.errors[0].field).toBe('kind');
      const lead = await send(t, '/initiatives', { name: 'x', kind: 'campaign', launchedOn: '2021', leadPartyId: '01900000-0000-7000-8000-000000000000' });
      expect(lead.status).toBe(422);
      expect(lead.body.errors[0].field).toBe('leadPartyId');
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('open commitments', () => {
    it('a commitment fulfilled or withdrawn is no longer counted open for its pair', async () => {
      const fr = await registerParty(t, 'French Republic', 'state');
      const rec = await send(t, '/meetings', {
        occurredOn: '2022-03',
        format: 'in_person',
        partyIds: [fr, unesco],
        topics: ['Heritage'],
        commitments: [{ description: 'Joint exhibition' }, { description: 'Exchange of experts' }, { description: 'Common report' }],
      });
      expect(rec.status).toBe(201);
      const [recorded] = await t.ds.query(`select data from events where stream_id = $1 and type = 'MeetingRecorded'`, [rec.body.id]);
      const [exhibition, experts] = recorded.data.commitmentIds as string[];
      const pair = async (position: string) => (await read(`/partnerships?partyId=${fr}`, position)).body.items[0];
      expect(await pair(rec.body.position)).toMatchObject({ meetingsCount: 1, openCommitments: 3 });
      const fulfilled = await send(t, `/commitments/${exhibition}/fulfilment`, { on: '2022-09' });
      expect(fulfilled.status).toBe(200);
      expect(await pair(fulfilled.body.position)).toMatchObject({ openCommitments: 2 });
      const withdrawn = await send(t, `/commitments/${experts}/withdrawal`, { reason: 'No budget' });
      expect(withdrawn.status).toBe(200);
      const view = await read(`/partnerships/${(await pair(withdrawn.body.position)).id}`, withdrawn.body.position);
      expect(view.body).toMatchObject({ meetingsCount: 1, openCommitments: 1 });
    });
  });

  describe('retraction', () => {
    it('a retracted meeting counts for none of its pairs, and its commitments are no longer open', async () => {
      const mx = await registerParty(t, 'United Mexican States', 'state');
      const rec = await send(t, '/meetings', {
        occurredOn: '2020-12-02',
        format: 'in_person',
        partyIds: [az, mx],
        topics: ['Cooperation agreement'],
        commitments: [{ description: 'Joint projects' }],
      });
      expect(rec.status).toBe(201);
      const pairOf = async (position: string) => {
        const list = await read(`/partnerships?partyId=${mx}`, position);
        return list.body.items.find((p: { parties: { id: string }[] }) => p.parties.some((x) => x.id === az));
      };
      expect(await pairOf(rec.body.position)).toMatchObject({ meetingsCount: 1, openCommitments: 1 });
      const other = await send(t, '/meetings', { occurredOn: '2021', format: 'virtual', partyIds: [az, mx], topics: ['Follow-up'] });
      expect(await pairOf(other.body.position)).toMatchObject({ meetingsCount: 2, openCommitments: 1 });
      const retracted = await send(t, `/meetings/${rec.body.id}/retraction`, { reason: 'Recorded twice' });
      expect(retracted.status).toBe(200);
      expect(await pairOf(retracted.body.position)).toMatchObject({ meetingsCount: 1, lastMeetingOn: '2021', openCommitments: 0, since: '2021' });
      const again = await send(t, `/meetings/${other.body.id}/retraction`, { reason: 'Recorded in error' });
      // The pair shares nothing any more: it is no partnership.
      expect(await pairOf(again.body.position)).toBeUndefined();
    });
  });
});
