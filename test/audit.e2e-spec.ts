import pg from 'pg';
import { jest } from '@jest/globals';
import { AuditLogQuery, toView } from '../src/audit/audit-log.query.js';
import { EVENT_COLUMNS, EventStore } from '../src/event-store/event-store.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { type TestApp, startTestApp } from './support/app.js';
import { recordHistory } from './support/history.js';
import { send } from './support/fixtures.js';

describe('audit: the log, streams, export, requests, verification', () => {
  let t: TestApp;
  let ids: Map<string, string>;
  let last: string;
  const audit = (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', t.as('auditor').auth);
  const total = async () => (await t.ds.query(`select count(*)::int as n from events`))[0].n as number;
  /** `minPosition=` the newest event committed so far: a read with it waits until that event is visible. */
  const allCommitted = async () => `minPosition=${(await t.ds.query(`select max(global_position)::text as max from events`))[0].max}`;
  const follow = async (path: string, start?: string) => {
    const items: { position: string; type: string; streamId: string }[] = [];
    let next = start;
    for (;;) {
      const res = await audit(`${path}${path.includes('?') ? '&' : '?'}limit=7${next ? `&cursor=${next}` : ''}`);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      expect(res.body.next).toEqual(expect.any(String));
      next = res.body.next;
      if (res.body.items.length < 7) return { items, next: next! };
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    ({ ids, last } = await recordHistory(t));
  }, 60_000);
  afterAll(() => t.close());

  describe('GET /events', () => {
    it('gives every event once, in commit order, to a reader following next; next is given at the head', async () => {
      const { items } = await follow('/events');
      expect(items).toHaveLength(await total());
      expect(new Set(items.map((e) => e.position)).size).toBe(items.length);
      const order = await t.ds.query(`select global_position::text as p from events order by transaction_id, global_position`);
      expect(items.map((e) => e.position)).toEqual(order.map((r: { p: string }) => r.p));
      const first = (await audit('/events?limit=1')).body.items[0];
      expect(first).toMatchObject({
        position: expect.stringMatching(/^\d+$/),
        streamId: expect.any(String),
        streamType: 'party',
        version: 1,
        type: 'PartyRegistered',
        schemaVersion: 1,
        data: expect.objectContaining({ name: 'Republic of Azerbaijan' }),
        metadata: { actor: 'test-recorder', role: 'recorder', correlationId: expect.any(String), causationId: expect.any(String), idempotencyKey: expect.stringMatching(/^seed:/), requestId: expect.any(String), sourceRef: null },
        recordedAt: expect.stringMatching(/Z$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    });

    it('a reader polling from next never misses an event whose transaction commits late, and never sees one twice', async () => {
      const { next: head } = await follow('/events');
      const slow = new pg.Client({ connectionString: t.db.url });
      await slow.connect();
      await slow.query('begin');
      await slow.query(`insert into events (stream_id, stream_type, stream_version, type, data, metadata, hash) values (gen_random_uuid(), 'probe', 1, 'LateProbe', '{}', '{"actor":"probe"}', '\\x00')`);
      const quick = await send(t, '/parties', { name: 'Committed first', kind: 'other' });
      expect(quick.status).toBe(201);
      const before = await follow('/events', head);
      expect(before.items).toEqual([]); // both wait behind the open transaction
      await slow.query('commit');
      await slow.end();
      let seen: { type: string }[] = [];
      let cursor = before.next;
      for (const deadline = Date.now() + 10_000; seen.length < 2 && Date.now() < deadline; ) {
        const page = await follow('/events', cursor);
        seen = [...seen, ...page.items];
        cursor = page.next;
      }
      expect(seen.map((e) => e.type)).toEqual(['LateProbe', 'PartyRegistered']);
      expect((await follow('/events', cursor)).items).toEqual([]);
    });

    it('reads the next page ahead only for the same query, and never serves a page read ahead that has grown since', async () => {
      // Each read names the last write it must see (minPosition): a transaction elsewhere on the
      // server may hold the commit-order fence back for a moment, and a page read then is short.
      const { next: head } = await follow(`/events?${await allCommitted()}`);
      const names = ['Ahead one', 'Ahead two', 'Ahead three'];
      let last = '';
      for (const name of names.slice(0, 2)) {
        const res = await send(t, '/parties', { name, kind: 'other' });
        expect(res.status).toBe(201);
        last = res.body.position;
      }
      const page = (cursor: string, query = '') => audit(`/events?limit=2&cursor=${cursor}${query}&minPosition=${last}`);
      const full = await page(head);
      expect(full.body.items.map((e: { data: { name: string } }) => e.data.name)).toEqual(names.slice(0, 2));
      // The page after it was read ahead while it was empty; an event committed since must be in it.
      const third = await send(t, '/parties', { name: names[2], kind: 'other' });
      expect(third.status).toBe(201);
      last = third.body.position;
      const grown = await page(full.body.next);
      expect(grown.body.items.map((e: { data: { name: string } }) => e.data.name)).toEqual([names[2]]);

      // A full page read ahead for one filter is not another filter's page.
      const { next: start } = await follow(`/events?${await allCommitted()}`);
      await send(t, '/parties', { name: 'Filtered one', kind: 'other' });
      await send(t, '/people', { fullName: 'Filtered Person' });
      await send(t, '/parties', { name: 'Filtered two', kind: 'other' });
      last = (await send(t, '/people', { fullName: 'Filtered Person Two' })).body.position;
      const first = await audit(`/events?limit=1&cursor=${start}&minPosition=${last}`);
      expect(first.body.items.map((e: { type: string }) => e.type)).toEqual(['PartyRegistered']);
      // The page after `first` is being read ahead, unfiltered; asked for with a filter, it is read afresh.
      const filtered = await audit(`/events?limit=1&type=PartyRegistered&cursor=${first.body.next}&minPosition=${last}`);
      expect(filtered.body.items.map((e: { data: { name: string } }) => e.data.name)).toEqual(['Filtered two']);
      const unfiltered = await audit(`/events?limit=1&cursor=${first.body.next}&minPosition=${last}`);
      expect(unfiltered.body.items.map((e: { type: string }) => e.type)).toEqual(['PersonRegistered']);
    });

    it('does not read ahead a page filtered by actor or correlation id (no index serves them)', async () => {
      const query = t.app.get(AuditLogQuery);
      const reads = jest.spyOn(query as unknown as { readPage: (filter: { type?: string; actor?: string }) => Promise<unknown> }, 'readPage');
      const settle = () => new Promise((r) => setTimeout(r, 200));
      const readsOf = (f: (filter: { type?: string; actor?: string }) => boolean) => reads.mock.calls.filter(([filter]) => f(filter)).length;
      try {
        expect((await audit('/events?limit=2&type=PartyRegistered')).body.items).toHaveLength(2);
        await settle();
        expect(readsOf((f) => f.type === 'PartyRegistered')).toBeGreaterThanOrEqual(2); // the page, and the next ahead
        expect((await audit('/events?limit=2&actor=test-recorder')).body.items).toHaveLength(2);
        await settle();
        expect(readsOf((f) => f.actor === 'test-recorder')).toBe(1);
      } finally {
        reads.mockRestore();
      }
    });

    it('tags a page by what decides it: the same page the same ETag and a 304 to If-None-Match, any other page another tag', async () => {
      const etag = (res: { headers: Record<string, string> }) => res.headers.etag;
      const a = await audit('/events?limit=3');
      const again = await audit('/events?limit=3');
      expect(etag(a)).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(again.text).toBe(a.text);
      expect(etag(again)).toBe(etag(a));
      const unchanged = await t.http.get('/api/v1/events?limit=3').set('Authorization', t.as('auditor').auth).set('If-None-Match', etag(a));
      expect(unchanged.status).toBe(304);
      expect(unchanged.text).toBe('');
      const others = [
        await audit(`/events?limit=3&cursor=${a.body.next}`),
        await audit('/events?limit=4'),
        await audit('/events?limit=3&type=PersonRegistered'),
      ];
      for (const other of others) expect(other.text).not.toBe(a.text);
      expect(new Set([a, ...others].map(etag)).size).toBe(4);

      // At the head the page grows as events commit: a new tag, and If-None-Match then gets the page.
      const { next: head } = await follow('/events');
      const empty = await audit(`/events?cursor=${head}`);
      expect(empty.body.items).toEqual([]);
      expect((await send(t, '/parties', { name: 'Tagged', kind: 'other' })).status).toBe(201);
      const grown = await t.http.get(`/api/v1/events?cursor=${head}`).set('Authorization', t.as('auditor').auth).set('If-None-Match', etag(empty));
      expect(grown.status).toBe(200);
      expect(grown.body.items.map((e: { data: { name: string } }) => e.data.name)).toEqual(['Tagged']);
      expect(etag(grown)).not.toBe(etag(empty));

      const doc = (await t.http.get('/docs-json')).body;
      const op = doc.paths['/api/v1/events'].get;
      expect(op.responses['200'].headers.ETag).toBeDefined();
      expect(op.responses['304']).toBeDefined();
    });

    it('filters by stream, type, actor and recorded time', async () => {
      const meeting = ids.get('meeting:2020-12-02-unaoc')!;
      const byStream = await follow(`/events?streamId=${meeting}`);
      expect(byStream.items.map((e) => e.type)).toEqual(['MeetingRecorded', 'MeetingRecordCorrected']);
      const byType = await follow('/events?type=PartyRenamed');
      expect(byType.items).toHaveLength(1);
      expect((await follow('/events?actor=nobody')).items).toEqual([]);
      expect((await follow('/events?actor=test-recorder')).items.length).toBeGreaterThan(50);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect((await follow(`/events?recordedFrom=${encodeURIComponent(future)}`)).items).toEqual([]);
      expect((await follow(`/events?recordedTo=${encodeURIComponent(future)}&type=ForumPostponed`)).items).toHaveLength(1);
      expect((await audit('/events?recordedFrom=yesterday')).status).toBe(400);
      expect((await audit('/events?cursor=bm9wZQ')).status).toBe(400);
    });

    it('is for auditors and admins only', async () => {
      expect((await t.http.get('/api/v1/events').set('Authorization', t.as('viewer').auth)).status).toBe(403);
      expect((await t.http.get('/api/v1/events').set('Authorization', t.as('recorder').auth)).status).toBe(403);
      expect((await t.http.get('/api/v1/events').set('Authorization', t.as('admin').auth)).status).toBe(200);
      expect((await t.http.get('/api/v1/events')).status).toBe(401);
    });
  });

  it('GET /streams/{id}: one stream oldest first; 404 for none', async () => {
    const karimov = ids.get('person:karimov')!;
    const res = await audit(`/streams/${karimov}`);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { type: string; version: number }) => [e.version, e.type])).toEqual([
      [1, 'PersonRegistered'],
      [2, 'PersonAppointed'],
      [3, 'AppointmentEnded'],
      [4, 'PersonAppointed'],
      [5, 'AppointmentEnded'],
    ]);
    expect(res.body.events[2].schemaVersion).toBe(2);
    expect((await audit('/streams/01900000-0000-7000-8000-000000000000')).status).toBe(404);
  });

  it('GET /events/export streams the whole log as NDJSON, each line an event as in GET /events', async () => {
    const res = await audit('/events/export').buffer(true).parse((r, cb) => {
      let text = '';
      r.on('data', (c: Buffer) => (text += c.toString('utf8')));
      r.on('end', () => cb(null, text));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = (res.body as string).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(await total());
    const page = await audit('/events?limit=5');
    expect(lines.slice(0, 5)).toEqual(page.body.items);
  });

  it('GET /audit/requests/{correlationId}: everything one request caused', async () => {
    const az = ids.get('party:azerbaijan')!;
    const un = ids.get('party:unaoc')!;
    const res = await send(t, '/meetings', { occurredOn: '2026-01', format: 'virtual', partyIds: [az, un], topics: ['x'], commitments: [{ description: 'a' }, { description: 'b' }] }, { 'X-Correlation-Id': 'req-audit-42' });
    expect(res.status).toBe(201);
    const caused = await audit('/audit/requests/req-audit-42');
    expect(caused.status).toBe(200);
    expect(caused.body.events.map((e: { type: string }) => e.type)).toEqual(['MeetingRecorded', 'CommitmentMade', 'CommitmentMade']);
    for (const e of caused.body.events) expect(e.metadata).toMatchObject({ correlationId: 'req-audit-42', actor: 'test-recorder', role: 'recorder' });
    expect((await audit('/audit/requests/no-such-request')).status).toBe(404);
  });

  describe('GET /audit/verify', () => {
    let superuser: pg.Client;
    const verify = async () => {
      const runner = t.app.get(ProjectionRunner);
      const [{ p }] = await t.ds.query(`select max(global_position)::text as p from events where type in (select distinct type from events where stream_type <> 'probe')`);
      await runner.waitFor(['seals'], p, 10_000);
      return (await audit('/audit/verify')).body;
    };
    // Rows changed behind the service's back, as a superuser who switches the trigger off.
    const behindTheBack = async (sql: string, params: unknown[] = []) => {
      await superuser.query(`set session_replication_role = replica`);
      await superuser.query(sql, params);
      await superuser.query(`set session_replication_role = origin`);
    };
    const positionOf = async (key: string, version = 1) =>
      (await t.ds.query(`select global_position::text as p from events where stream_id = $1 and stream_version = $2`, [ids.get(key), version]))[0].p as string;

    beforeAll(async () => {
      superuser = new pg.Client({ connectionString: t.db.url });
      await superuser.connect();
      // The probe written behind the service by an earlier test was never sealed: verify
      // would rightly report it. Taking it out leaves the log as the service wrote it.
      expect((await verify()).firstBrokenPosition).toBe((await t.ds.query(`select global_position::text as p from events where stream_type = 'probe'`))[0].p);
      await behindTheBack(`delete from events where stream_type = 'probe'`);
    });
    afterAll(() => superuser.end());

    it('recomputes everything and finds the record whole', async () => {
      const r = await verify();
      expect(r).toMatchObject({ ok: true, eventsChecked: await total(), firstBrokenPosition: null });
      expect(r.eventsSealed).toBe(r.eventsChecked);
    });

    it('finds an edited event, at its position', async () => {
      const p = await positionOf('party:unesco');
      const [{ data }] = await t.ds.query(`select data from events where global_position = $1`, [p]);
      await behindTheBack(`update events set data = jsonb_set(data, '{name}', '"Edited"') where global_position = $1`, [p]);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenPosition: p });
      await behindTheBack(`update events set data = $2 where global_position = $1`, [p, JSON.stringify(data)]);
      expect((await verify()).ok).toBe(true);
    });

    it('finds an edited recorded_at, and a hash rewritten to match an edit', async () => {
      const p = await positionOf('party:coe');
      const [row] = await t.ds.query(`select recorded_at, hash from events where global_position = $1`, [p]);
      await behindTheBack(`update events set recorded_at = recorded_at - interval '1 day' where global_position = $1`, [p]);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenPosition: p });
      await behindTheBack(`update events set recorded_at = $2 where global_position = $1`, [p, row.recorded_at]);
      await behindTheBack(`update events set hash = sha256(hash) where global_position = $1`, [p]);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenPosition: p });
      await behindTheBack(`update events set hash = $2 where global_position = $1`, [p, row.hash]);
      expect((await verify()).ok).toBe(true);
    });

    it('finds a deleted event, at its position', async () => {
      const p = await positionOf('party:coventry');
      const [row] = await t.ds.query(`select * from events where global_position = $1`, [p]);
      await behindTheBack(`delete from events where global_position = $1`, [p]);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenPosition: p });
      await behindTheBack(
        `insert into events (global_position, transaction_id, stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash)
         overriding system value values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [row.global_position, row.transaction_id, row.stream_id, row.stream_type, row.stream_version, row.type, row.schema_version, row.data, row.metadata, row.occurred_on, row.recorded_at, row.hash],
      );
      expect((await verify()).ok).toBe(true);
    });

    it('finds reordered events of a stream, at the first one out of place', async () => {
      const first = await positionOf('forum:wfid-6', 1);
      const forum = ids.get('forum:wfid-6');
      await behindTheBack(`update events set stream_version = 99 where stream_id = $1 and stream_version = 1`, [forum]);
      await behindTheBack(`update events set stream_version = 1 where stream_id = $1 and stream_version = 2`, [forum]);
      await behindTheBack(`update events set stream_version = 2 where stream_id = $1 and stream_version = 99`, [forum]);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenPosition: first });
    });
  });

  describe('events as PostgreSQL renders them', () => {
    let own: TestApp;
    beforeAll(async () => {
      own = await startTestApp({ projections: false });
      await send(own, '/parties', { name: 'Azərbaycan "Respublikası"\nline two \u2028 😀 \\ back', kind: 'state', shortName: 'AZ' });
      await send(own, '/parties', { name: 'Ümumi «ikinci» \t tab', kind: 'ngo' });
      // Written by hand: an AppointmentEnded at schema version 1 (read upcast to 2), and an
      // event whose recorded_at has microseconds, which the API gives to the millisecond (one of
      // them before 1970, cut towards the past like a Date), metadata with an escaped quote and a number.
      await own.ds.query(
        `insert into events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, occurred_on, recorded_at, hash) values
           (gen_random_uuid(), 'person', 1, 'AppointmentEnded', 1, '{"appointmentId":"a1","on":"2020-05","n":1.50,"big":12345678901234567890}', '{"actor":"hand","correlationId":"c1"}', '2020-05', '2026-01-02 03:04:05.678901+00', '\\x0102'),
           (gen_random_uuid(), 'probe', 1, 'UnknownToTheCatalogue', 3, '{"nested":{"a":[1,null,true,"x"]}}', '{"actor":"hand","correlationId":"c2","role":null}', null, '1999-12-31 23:59:59.999999+00', '\\xff'),
           (gen_random_uuid(), 'probe', 1, 'BeforeTheEpoch', 1, '{}', '{"actor":"hand \\"quoted\\"","correlationId":"c3","sourceRef":7}', null, '1969-12-31 23:59:58.9995+00', '\\xfe')`,
      );
    }, 60_000);
    afterAll(() => own.close());

    it('GET /events and the export give each event exactly as the store reads it, upcast included', async () => {
      const store = own.app.get(EventStore);
      const rows = await own.ds.query(`select ${EVENT_COLUMNS} from events order by transaction_id, global_position`);
      const expected = rows.map((r: Record<string, unknown>) => JSON.parse(JSON.stringify(toView(store.read(r)))));
      // A transaction elsewhere on the server (another test file's) may hold the fence back for a
      // moment, and the page then ends short of the newest events: read again until they are there.
      const readAll = () => own.http.get('/api/v1/events?limit=1000').set('Authorization', own.as('auditor').auth);
      let page = await readAll();
      for (let reads = 1; page.status === 200 && page.body.items.length < expected.length && reads < 100; reads++) {
        await new Promise((r) => setTimeout(r, 20));
        page = await readAll();
      }
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^application\/json/);
      expect(page.body.items).toEqual(expected);
      const ended = page.body.items.find((e: { type: string }) => e.type === 'AppointmentEnded');
      expect(ended).toMatchObject({ schemaVersion: 2, data: { appointmentId: 'a1', partyId: null, title: null }, recordedAt: '2026-01-02T03:04:05.678Z', hash: '0102' });
      expect(page.body.items.find((e: { type: string }) => e.type === 'UnknownToTheCatalogue')).toMatchObject({ schemaVersion: 3, recordedAt: '1999-12-31T23:59:59.999Z' });
      expect(page.body.items.find((e: { type: string }) => e.type === 'BeforeTheEpoch')).toMatchObject({
        recordedAt: '1969-12-31T23:59:58.999Z',
        metadata: { actor: 'hand "quoted"', sourceRef: 7, role: null },
      });
      expect(page.body.items[0].data.name).toBe('Azərbaycan "Respublikası"\nline two \u2028 😀 \\ back');
      // Followed in pages of two (the upcast event on a page with another), the same events. A
      // short page is not the end: a transaction elsewhere on the server may hold the fence back
      // for a moment, so `next` is followed until every event has come (or 200 reads).
      const paged: unknown[] = [];
      for (let cursor = '', reads = 0; paged.length < expected.length && reads < 200; reads++) {
        const res = await own.http.get(`/api/v1/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`).set('Authorization', own.as('auditor').auth);
        paged.push(...res.body.items);
        cursor = res.body.next;
        if (res.body.items.length < 2) await new Promise((r) => setTimeout(r, 20));
      }
      expect(paged).toEqual(expected);

      const exported = await own.http
        .get('/api/v1/events/export')
        .set('Authorization', own.as('auditor').auth)
        .buffer(true)
        .parse((r, cb) => {
          let text = '';
          r.on('data', (d: Buffer) => (text += d.toString()));
          r.on('end', () => cb(null, text));
        });
      const lines = (exported.body as string).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.map((l) => JSON.parse(l))).toEqual(expected);
    });
  });
});
