import { type TestApp, startTestApp } from './support/app.js';
import { eventCount, registerParty, send } from './support/fixtures.js';

const UNKNOWN = '01900000-0000-7000-8000-000000000000';

describe('commands over HTTP', () => {
  let t: TestApp;
  let az: string;
  let un: string;

  beforeAll(async () => {
    t = await startTestApp();
    az = await registerParty(t, 'Republic of Azerbaijan', 'state', { countryCode: 'AZ', shortName: 'Azerbaijan' });
    un = await registerParty(t, 'United Nations Alliance of Civilizations', 'international_organization', { shortName: 'UNAOC' });
  });
  afterAll(() => t.close());

  describe('RegisterParty', () => {
    it('answers 201 with id, version, position, Location and ETag, and writes PartyRegistered with who sent it', async () => {
      const res = await send(t, '/parties', { name: 'UNESCO', kind: 'international_organization' }, { 'X-Correlation-Id': 'corr-42' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 1, position: expect.stringMatching(/^\d+$/) });
      expect(res.headers.etag).toBe('"1"');
      expect(res.headers.location).toBe(`/api/v1/parties/${res.body.id}`);
      expect(res.body.id[14]).toBe('7'); // UUID v7
      const [e] = await t.ds.query(`select type, stream_type, data, metadata, global_position::text as p from events where stream_id = $1`, [res.body.id]);
      expect(e).toMatchObject({ type: 'PartyRegistered', stream_type: 'party', p: res.body.position });
      expect(e.data).toMatchObject({ name: 'UNESCO', kind: 'international_organization', shortName: null });
      expect(e.metadata).toMatchObject({ actor: 'test-recorder', role: 'recorder', correlationId: 'corr-42', causationId: expect.any(String) });
    });

    it('422 for a parent party that is not registered, naming the field', async () => {
      const before = await eventCount(t);
      const res = await send(t, '/parties', { name: 'Ministry of Culture', kind: 'ministry', parentPartyId: UNKNOWN });
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([{ field: 'parentPartyId', message: expect.stringContaining('no registered party') }]);
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('RecordMeeting', () => {
    it('writes MeetingRecorded and a CommitmentMade per commitment in one transaction; position is the last', async () => {
      const res = await send(t, '/meetings', {
        occurredOn: '2020-12-02',
        format: 'virtual',
        partyIds: [az, un],
        topics: ['Baku Process', '6th World Forum on Intercultural Dialogue'],
        outcomes: ['Agreed to implement joint projects'],
        commitments: [{ description: 'Present the projects at the World Forum 2021', dueBy: '2021' }],
        sourceRef: 'azernews 2020-12-02',
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/meetings/${res.body.id}`);
      const rows = await t.ds.query(
        `select type, stream_type, stream_id, occurred_on, transaction_id::text as tx, global_position::text as p from events
          where transaction_id = (select transaction_id from events where stream_id = $1) order by global_position`,
        [res.body.id],
      );
      expect(rows.map((r: { type: string }) => r.type)).toEqual(['MeetingRecorded', 'CommitmentMade']);
      expect(rows[0].occurred_on).toBe('2020-12-02');
      expect(rows[1].stream_type).toBe('commitment');
      expect(rows[1].p).toBe(res.body.position);
    });

    it.each([
      ['a missing body', {}, ['occurredOn', 'format', 'partyIds', 'topics']],
      ['an impossible day', { occurredOn: '2023-02-29' }, ['occurredOn']],
      ['an unknown field', { colour: 'blue' }, ['colour']],
      ['a wrong type', { partyIds: 'two' }, ['partyIds']],
      ['one party only', { partyIds: ['P1'] }, ['partyIds']],
      ['the same party twice', { partyIds: ['P1', 'P1'] }, ['partyIds']],
      ['no topics', { topics: [] }, ['topics']],
      ['a topic over its limit', { topics: ['x'.repeat(501)] }, ['topics']],
      ['a bad format', { format: 'telepathy' }, ['format']],
      ['a participant without person', { participants: [{ partyId: 'P1' }] }, ['participants[0].personId']],
      ['a commitment with a bad due date', { commitments: [{ description: 'x', dueBy: '2021-13' }] }, ['commitments[0].dueBy']],
      ['a NUL in a text', { summary: 'a\u0000b' }, ['summary']],
    ])('400 for %s, one entry per problem, nothing written', async (_, patch, fields) => {
      const valid = { occurredOn: '2021', format: 'other', partyIds: [az, un], topics: ['Peace4Culture'] };
      const body = Object.keys(patch).length ? { ...valid, ...patch } : {};
      const withIds = JSON.parse(JSON.stringify(body).replace(/"P1"/g, JSON.stringify(az)));
      const before = await eventCount(t);
      const res = await send(t, '/meetings', withIds);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ type: expect.any(String), title: 'Bad Request', status: 400, detail: expect.any(String) });
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual([...fields].sort());
      expect(await eventCount(t)).toBe(before);
    });

    it('400 for a participant of a party not in the meeting (the body contradicts itself)', async () => {
      const person = '01900000-0000-7000-8000-0000000000aa';
      await t.ds.query(
        `insert into events (stream_id, stream_type, stream_version, type, data, metadata, hash) values ($1, 'person', 1, 'PersonRegistered', '{}', '{}', '\\x00')`,
        [person],
      );
      const other = await registerParty(t, 'United Mexican States', 'state');
      const before = await eventCount(t);
      const res = await send(t, '/meetings', { occurredOn: '2021', format: 'other', partyIds: [az, un], topics: ['x'], participants: [{ personId: person, partyId: other }] });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'participants[0].partyId', message: expect.any(String) }]);
      expect(await eventCount(t)).toBe(before);
    });

    it('422 for an unregistered party, person or forum, naming each field', async () => {
      const before = await eventCount(t);
      const res = await send(t, '/meetings', {
        occurredOn: '2021',
        format: 'other',
        partyIds: [az, UNKNOWN],
        topics: ['x'],
        participants: [{ personId: UNKNOWN, partyId: az }],
        commitments: [{ description: 'x', forumId: UNKNOWN }],
      });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['commitments[0].forumId', 'participants[0].personId', 'partyIds[1]']);
      expect(await eventCount(t)).toBe(before);
    });

    it('400 for malformed JSON', async () => {
      const res = await t.http.post('/api/v1/meetings').set('Authorization', t.as('recorder').auth).set('Content-Type', 'application/json').send('{"occurredOn": ');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'body', message: expect.any(String) }]);
    });
  });

  describe('AnnounceForum', () => {
    it('announces a planned forum (ForumAnnounced) or a proposed one (ForumProposed)', async () => {
      const planned = await send(t, '/forums', { series: 'World Forum on Intercultural Dialogue', edition: 7, hostCity: 'Baku', plannedFor: '2026', organizerPartyIds: [az], partnerPartyIds: [un] });
      expect(planned.status).toBe(201);
      const proposed = await send(t, '/forums', { series: 'UNAOC Global Forum', edition: 12, plannedFor: '2027', organizerPartyIds: [un], hostPartyId: az, proposed: true });
      expect(proposed.status).toBe(201);
      const types = await t.ds.query(`select type from events where stream_id = any($1::uuid[]) order by global_position`, [[planned.body.id, proposed.body.id]]);
      expect(types.map((r: { type: string }) => r.type)).toEqual(['ForumAnnounced', 'ForumProposed']);
    });

    it('400 for a partner who also organises, an edition that is not a whole number, a date that is no date', async () => {
      const res = await send(t, '/forums', { series: 'S', edition: 1.5, plannedFor: 'next year', organizerPartyIds: [az] });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['edition', 'plannedFor']);
      const overlap = await send(t, '/forums', { series: 'S', plannedFor: '2026', organizerPartyIds: [az], partnerPartyIds: [az] });
      expect(overlap.status).toBe(400);
      expect(overlap.body.errors[0].field).toBe('partnerPartyIds[0]');
    });

    it('422 for an unregistered organiser', async () => {
      const res = await send(t, '/forums', { series: 'S', plannedFor: '2026', organizerPartyIds: [UNKNOWN] });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('organizerPartyIds[0]');
    });
  });

  describe('SignMoU', () => {
    it('signs an MoU by default and any other kind as AgreementSigned', async () => {
      const mou = await send(t, '/agreements', { title: 'MoU between UNAOC and Azerbaijan', partyIds: [az, un], signedOn: '2022' });
      const other = await send(t, '/agreements', { title: 'Cooperation agreement', kind: 'agreement', partyIds: [az, un], signedOn: '2019', areas: ['culture'] });
      expect([mou.status, other.status]).toEqual([201, 201]);
      const rows = await t.ds.query(`select type, occurred_on from events where stream_id = any($1::uuid[]) order by global_position`, [[mou.body.id, other.body.id]]);
      expect(rows).toEqual([
        { type: 'MouSigned', occurred_on: '2022' },
        { type: 'AgreementSigned', occurred_on: '2019' },
      ]);
    });

    it('400 when it expires before it takes effect', async () => {
      const res = await send(t, '/agreements', { title: 'x', partyIds: [az, un], signedOn: '2022', effectiveFrom: '2023', expiresOn: '2022-12' });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'expiresOn', message: expect.any(String) }]);
    });
  });

  describe('optimistic concurrency', () => {
    it('If-Match with the current version succeeds; a stale one gets 412 and writes nothing', async () => {
      const isesco = await registerParty(t, 'Islamic Educational, Scientific and Cultural Organization', 'international_organization', { shortName: 'ISESCO' });
      const first = await send(t, `/parties/${isesco}/renaming`, { name: 'Islamic World Educational, Scientific and Cultural Organization', shortName: 'ICESCO', effectiveOn: '2020' }, { 'If-Match': '"1"' });
      expect(first.status).toBe(200);
      expect(first.body.version).toBe(2);
      expect(first.headers.etag).toBe('"2"');
      expect(first.headers.location).toBeUndefined();
      const before = await eventCount(t);
      const stale = await send(t, `/parties/${isesco}/renaming`, { name: 'Another name', effectiveOn: '2021' }, { 'If-Match': '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('CONCURRENCY.STALE_VERSION');
      expect(await eventCount(t)).toBe(before);
    });

    it('400 for an If-Match that is no version; 404 for a party that does not exist', async () => {
      expect((await send(t, `/parties/${az}/renaming`, { name: 'x', effectiveOn: '2020' }, { 'If-Match': 'yesterday' })).status).toBe(400);
      expect((await send(t, `/parties/${UNKNOWN}/renaming`, { name: 'x', effectiveOn: '2020' })).status).toBe(404);
      expect((await send(t, `/parties/not-a-uuid/renaming`, { name: 'x', effectiveOn: '2020' })).status).toBe(400);
    });
  });

  describe('idempotency', () => {
    it('a retry with the same key and body gets the first answer and writes nothing; another body gets 422', async () => {
      const body = { name: 'Council of Europe', kind: 'international_organization' };
      const first = await send(t, '/parties', body, { 'Idempotency-Key': 'coe-1' });
      const before = await eventCount(t);
      const retry = await send(t, '/parties', body, { 'Idempotency-Key': 'coe-1' });
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.etag).toBe('"1"');
      expect(await eventCount(t)).toBe(before);
      const reuse = await send(t, '/parties', { ...body, name: 'Something else' }, { 'Idempotency-Key': 'coe-1' });
      expect(reuse.status).toBe(422);
      expect(await eventCount(t)).toBe(before);
    });
  });

  describe('access', () => {
    it('401 without a token or with an unknown one; 403 for a viewer; nothing written', async () => {
      const before = await eventCount(t);
      const body = { name: 'x', kind: 'other' };
      const none = await t.http.post('/api/v1/parties').send(body);
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toMatch(/Bearer/);
      expect((await t.http.post('/api/v1/parties').set('Authorization', 'Bearer nope').send(body)).status).toBe(401);
      expect((await t.http.post('/api/v1/parties').set('Authorization', t.as('viewer').auth).send(body)).status).toBe(403);
      expect((await t.http.post('/api/v1/parties').set('Authorization', t.as('auditor').auth).send(body)).status).toBe(403);
      expect((await t.http.post('/api/v1/parties').set('Authorization', t.as('admin').auth).send(body)).status).toBe(201);
      expect(await eventCount(t)).toBe(before + 1);
    });
  });
});
