import { type TestApp, startTestApp } from './support/app.js';
import { registerParty, send } from './support/fixtures.js';

describe('read models: partnerships and upcoming forums', () => {
  let t: TestApp;
  let az: string;
  let un: string;
  let mx: string;
  let last = '0';

  const view = (path: string) => t.http.get(`/api/v1${path}${path.includes('?') ? '&' : '?'}minPosition=${last}`).set('Authorization', t.as('viewer').auth);
  const cmd = async (path: string, body: object) => {
    const res = await send(t, path, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body.position;
    return res.body.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state');
    un = await registerParty(t, 'UNAOC');
    mx = await registerParty(t, 'United Mexican States', 'state');
  });
  afterAll(() => t.close());

  describe('partnerships', () => {
    it('a meeting of three parties counts for each of its three pairs', async () => {
      await cmd('/meetings', { occurredOn: '2021', format: 'other', partyIds: [az, un, mx], topics: ['Peace4Culture'] });
      const res = await view('/partnerships');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(3);
      for (const p of res.body.items) {
        expect(p.parties).toHaveLength(2);
        expect(p.meetingsCount).toBe(1);
        expect(p.lastMeetingOn).toBe('2021');
        expect(p.since).toBe('2021');
      }
      const names = res.body.items.map((p: { parties: { name: string }[] }) => p.parties.map((x) => x.name).sort().join(' + ')).sort();
      expect(names).toEqual(['Republic of Azerbaijan + UNAOC', 'Republic of Azerbaijan + United Mexican States', 'UNAOC + United Mexican States']);
    });

    it('shows meetings, agreements in force, upcoming forums, open commitments and the earliest shared fact', async () => {
      await cmd('/meetings', {
        occurredOn: '2020-12-02',
        format: 'virtual',
        partyIds: [az, un],
        topics: ['Baku Process'],
        commitments: [{ description: 'Present joint projects', dueBy: '2021' }],
      });
      await cmd('/meetings', { occurredOn: '2025-12-17', format: 'in_person', partyIds: [az, un], topics: ['7th World Forum'] });
      const mou = await cmd('/agreements', { title: 'MoU', partyIds: [az, un], signedOn: '2022' });
      await cmd('/agreements', { title: 'Expired plan', kind: 'action_plan', partyIds: [az, un], signedOn: '2012', expiresOn: '2015' });
      const wf7 = await cmd('/forums', { series: 'World Forum on Intercultural Dialogue', edition: 7, plannedFor: '2099', organizerPartyIds: [az], partnerPartyIds: [un] });
      await cmd('/forums', { series: 'World Forum on Intercultural Dialogue', edition: 2, plannedFor: '2013', organizerPartyIds: [az], partnerPartyIds: [un] });

      const list = await view(`/partnerships?partyId=${un}`);
      const pair = list.body.items.find((p: { parties: { id: string }[] }) => p.parties.some((x) => x.id === az));
      expect(pair).toMatchObject({
        since: '2012',
        meetingsCount: 3,
        lastMeetingOn: '2025-12-17',
        agreementsInForce: [{ id: mou, title: 'MoU', kind: 'mou', signedOn: '2022' }],
        upcomingForums: [{ id: wf7, series: 'World Forum on Intercultural Dialogue', edition: 7, plannedFor: '2099', status: 'planned', title: null }],
        openCommitments: 1,
        lastActivityOn: '2025-12-17',
      });
      const one = await view(`/partnerships/${pair.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(pair);
    });

    it('filters by party, pages with a cursor, and answers 404 for a pair that shares nothing', async () => {
      const onlyMx = await view(`/partnerships?partyId=${mx}`);
      expect(onlyMx.body.items).toHaveLength(2);
      const first = await view('/partnerships?limit=2');
      expect(first.body.items).toHaveLength(2);
      expect(first.body.next).toEqual(expect.any(String));
      const second = await view(`/partnerships?limit=2&cursor=${first.body.next}`);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.next).toBeNull();
      const ids = [...first.body.items, ...second.body.items].map((p: { id: string }) => p.id);
      expect(new Set(ids).size).toBe(3);
      expect((await view('/partnerships/01900000-0000-7000-8000-000000000000')).status).toBe(404);
      expect((await view('/partnerships?cursor=!!')).status).toBe(400);
      expect((await view('/partnerships?limit=501')).status).toBe(400);
    });

    it('shows a party under its new name after a rename', async () => {
      await cmd(`/parties/${mx}/renaming`, { name: 'Mexico', effectiveOn: '2024' });
      const res = await view(`/partnerships?partyId=${mx}`);
      const names = res.body.items.flatMap((p: { parties: { id: string; name: string }[] }) => p.parties.filter((x) => x.id === mx).map((x) => x.name));
      expect(names).toEqual(['Mexico', 'Mexico']);
    });
  });

  describe('upcoming forums', () => {
    let seriesCount = 0;
    const series = () => `Test series ${++seriesCount}`;

    it('orders by partial date, first day then last day, and honours from', async () => {
      const s = series();
      const dates = ['2031-06', '2031-05', '2031', '2031-05-01', '2032-01', '2030-12-17'];
      for (const plannedFor of dates) await cmd('/forums', { series: s, title: plannedFor, plannedFor, organizerPartyIds: [az] });
      const all = await view(`/forums/upcoming?series=${encodeURIComponent(s)}&from=2030`);
      expect(all.body.items.map((f: { plannedFor: string }) => f.plannedFor)).toEqual(['2030-12-17', '2031', '2031-05-01', '2031-05', '2031-06', '2032-01']);
      // 2031 is not wholly before 2031-06-15, but 2031-05 is.
      const later = await view(`/forums/upcoming?series=${encodeURIComponent(s)}&from=2031-06-15`);
      expect(later.body.items.map((f: { plannedFor: string }) => f.plannedFor)).toEqual(['2031', '2031-06', '2032-01']);
      expect(later.body.items[0]).toMatchObject({ status: 'planned', organizers: [{ id: az, name: 'Republic of Azerbaijan' }], partners: [], startsOn: null, endsOn: null });
    });

    it('defaults from to today: past forums are gone, proposed ones are listed', async () => {
      const s = series();
      await cmd('/forums', { series: s, plannedFor: '2013', organizerPartyIds: [az] });
      await cmd('/forums', { series: s, plannedFor: '2099', organizerPartyIds: [un], hostPartyId: az, proposed: true });
      const res = await view(`/forums/upcoming?series=${encodeURIComponent(s)}`);
      expect(res.body.items.map((f: { plannedFor: string; status: string }) => [f.plannedFor, f.status])).toEqual([['2099', 'proposed']]);
    });

    it('filters by party and pages with a cursor', async () => {
      const s = series();
      for (const d of ['2040', '2041', '2042']) await cmd('/forums', { series: s, plannedFor: d, organizerPartyIds: [mx] });
      const byParty = await view(`/forums/upcoming?partyId=${mx}&from=2040`);
      expect(byParty.body.items.map((f: { plannedFor: string }) => f.plannedFor)).toEqual(['2040', '2041', '2042']);
      const p1 = await view(`/forums/upcoming?series=${encodeURIComponent(s)}&limit=2&from=2000`);
      const p2 = await view(`/forums/upcoming?series=${encodeURIComponent(s)}&limit=2&from=2000&cursor=${p1.body.next}`);
      expect([...p1.body.items, ...p2.body.items].map((f: { plannedFor: string }) => f.plannedFor)).toEqual(['2040', '2041', '2042']);
      expect(p2.body.next).toBeNull();
      expect((await view('/forums/upcoming?from=2026-02-30')).status).toBe(400);
    });
  });

  describe('read-your-writes', () => {
    it('a read with minPosition sees the command that answered it', async () => {
      const s = 'Read your writes';
      const res = await send(t, '/forums', { series: s, plannedFor: '2050', organizerPartyIds: [az] });
      const read = await t.http
        .get(`/api/v1/forums/upcoming?series=${encodeURIComponent(s)}&minPosition=${res.body.position}`)
        .set('Authorization', t.as('viewer').auth);
      expect(read.body.items).toHaveLength(1);
    });

    it('400 for a minPosition that is not a position', async () => {
      expect((await t.http.get('/api/v1/partnerships?minPosition=abc').set('Authorization', t.as('viewer').auth)).status).toBe(400);
    });

    it('reads need a token', async () => {
      expect((await t.http.get('/api/v1/partnerships')).status).toBe(401);
    });
  });
});
