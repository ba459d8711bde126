import { jest } from '@jest/globals';
import { HISTORY, planStep } from '../seeds/seed-plan.js';
import { EventStore } from '../src/event-store/event-store.js';
import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { type TestApp, startTestApp } from './support/app.js';
import { holdCommitFence } from './support/fence.js';
import { registerParty, send } from './support/fixtures.js';

/** Operating the projections over HTTP: status, rebuild while reading, stalls. */
describe('projections, operated over HTTP', () => {
  let t: TestApp;
  let last = '0';
  const admin = (path: string) => t.http.get(`/api/v1/admin/projections${path}`).set('Authorization', t.as('admin').auth);
  const status = async (name: string) => (await admin(`/${name}`)).body;

  beforeAll(async () => {
    t = await startTestApp();
    const ids = new Map<string, string>();
    for (const [i, step] of HISTORY.entries()) {
      const planned = planStep(step, i, ids);
      const res = await t.http.post(`/api/v1${planned.path}`).set('Authorization', t.as('recorder').auth).send(planned.body);
      if (res.status >= 300) throw new Error(`${step.command}: ${res.status} ${JSON.stringify(res.body)}`);
      last = res.body.position;
      if (step.key) {
        ids.set(step.key, step.command === 'AppointPerson' ? (await t.ds.query(`select data->>'appointmentId' as a from events where global_position = $1`, [last]))[0].a : res.body.id);
      }
    }
    // More meetings, so that a rebuild takes a little while.
    const parties = [await registerParty(t, 'Party A'), await registerParty(t, 'Party B'), await registerParty(t, 'Party C')];
    for (let i = 0; i < 150; i++) {
      const res = await send(t, '/meetings', { occurredOn: `20${10 + (i % 15)}`, format: 'other', partyIds: [parties[i % 3], parties[(i + 1) % 3]], topics: [`Topic ${i}`] });
      last = res.body.position;
    }
    await t.app.get(ProjectionRunner).waitFor(t.app.get(ProjectionRunner).names, last, 20_000);
  }, 60_000);
  afterAll(() => t.close());

  it('rebuilds every projection at once from one read of the log, each identical to its live tables, claiming all or none', async () => {
    const rebuilder = t.app.get(ProjectionRebuilder);
    const names = t.app.get(ProjectionRunner).names;
    const reads = jest.spyOn(t.app.get(EventStore), 'readLog');
    try {
      const reports = await rebuilder.rebuildAll(names, 'compare', 'test');
      expect(reports.map((r) => r.name)).toEqual(names);
      for (const r of reports) expect({ name: r.name, identical: r.identical, differences: r.tables.filter((x) => x.differing || x.missingInLive || x.missingInRebuild) }).toEqual({ name: r.name, identical: true, differences: [] });
      expect(reports.find((r) => r.name === 'meetings')!.events).toBeGreaterThan(150);
      // The log (under 1,000 events) read once for all ten; by type only for each one's last stretch (shadow and live).
      expect(reads.mock.calls.filter(([o]) => !o?.types)).toHaveLength(1);
      expect(reads.mock.calls.filter(([o]) => o?.types)).toHaveLength(2 * names.length);
    } finally {
      reads.mockRestore();
    }
    await rebuilder.start('forums', 'test', 'compare'); // claimed once this answers
    const running = rebuilder.finished('forums');
    await expect(rebuilder.rebuildAll(['parties', 'forums'], 'compare', 'test')).rejects.toMatchObject({ code: 'PROJECTION.REBUILD_RUNNING' });
    expect((await t.ds.query(`select status from projection_rebuilds where name = 'parties'`))[0]?.status).not.toBe('running');
    expect((await running).identical).toBe(true);
  });

  it('rebuilds every projection at once in many batches, each applying its own in order while the log is read on', async () => {
    const rebuilder = t.app.get(ProjectionRebuilder);
    const names = t.app.get(ProjectionRunner).names;
    const reads = jest.spyOn(t.app.get(EventStore), 'readLog');
    rebuilder.batchSize = 10;
    try {
      const reports = await rebuilder.rebuildAll(names, 'compare', 'test');
      for (const r of reports) expect({ name: r.name, identical: r.identical, differences: r.tables.filter((x) => x.differing || x.missingInLive || x.missingInRebuild) }).toEqual({ name: r.name, identical: true, differences: [] });
      // Every batch of the log goes to the projections it holds events of: four see nearly all of
      // them, so each of those has had many batches waiting on its chain.
      expect(reads.mock.calls.filter(([o]) => !o?.types).length).toBeGreaterThan(15);
      expect(reports.find((r) => r.name === 'seals')!.events).toBeGreaterThan(15 * 10);
    } finally {
      rebuilder.batchSize = 1000;
      reads.mockRestore();
    }
  });

  it('a projection that fails fails a rebuild of all: nothing is swapped, no copy is left, and all can be rebuilt again', async () => {
    const rebuilder = t.app.get(ProjectionRebuilder);
    const runner = t.app.get(ProjectionRunner);
    const names = runner.names;
    const meetings = runner.projection('meetings')!;
    const bad = (e: { type: string; data: Record<string, unknown> }) => e.type === 'MeetingRecorded' && (e.data.topics as string[])[0] === 'Topic 120';
    const apply = meetings.apply.bind(meetings);
    const applyBatch = meetings.applyBatch!.bind(meetings);
    const one = jest.spyOn(meetings, 'apply').mockImplementation(async (e, tx) => {
      if (bad(e)) throw new Error('refused by the test');
      return apply(e, tx);
    });
    const many = jest.spyOn(meetings, 'applyBatch').mockImplementation(async (es, tx) => {
      if (es.some(bad)) throw new Error('refused by the test');
      return applyBatch(es, tx);
    });
    const before = await t.ds.query(`select count(*)::int as n, max(meeting_id::text) as last from rm_meetings`);
    rebuilder.batchSize = 20;
    try {
      await expect(rebuilder.rebuildAll(names, 'swap', 'test')).rejects.toThrow(/MeetingRecorded at position \d+: refused by the test/);
    } finally {
      rebuilder.batchSize = 1000;
      one.mockRestore();
      many.mockRestore();
    }
    const statuses = await t.ds.query(`select name, status, error from projection_rebuilds where name = any($1::text[]) order by name`, [names]);
    expect(statuses.map((s: { status: string }) => s.status)).toEqual(names.map(() => 'failed'));
    expect(statuses.every((s: { error: string }) => /refused by the test/.test(s.error))).toBe(true);
    expect(await t.ds.query(`select nspname from pg_namespace where nspname like 'rebuild\\_%'`)).toEqual([]);
    expect(await t.ds.query(`select count(*)::int as n, max(meeting_id::text) as last from rm_meetings`)).toEqual(before);
    const again = await rebuilder.rebuildAll(names, 'compare', 'test');
    expect(again.every((r) => r.identical)).toBe(true);
  });

  it('lists every projection with position, lag and status; admin only', async () => {
    const res = await admin('');
    expect(res.status).toBe(200);
    expect(res.body.map((p: { name: string }) => p.name).sort()).toEqual(
      ['agreements', 'commitments', 'forums', 'initiatives', 'meetings', 'parties', 'partnerships', 'people', 'seals', 'timeline'].sort(),
    );
    for (const p of res.body) {
      expect(p).toMatchObject({ position: expect.stringMatching(/^\d+$/), lag: 0, status: 'running', owner: expect.any(String) });
    }
    expect((await t.http.get('/api/v1/admin/projections').set('Authorization', t.as('recorder').auth)).status).toBe(403);
    expect((await t.http.get('/api/v1/admin/projections')).status).toBe(401);
    expect((await admin('/nope')).status).toBe(404);
  });

  it('rebuilds partnerships while reads go on, reports no difference, and keeps the rows and index names', async () => {
    const before = await t.http.get(`/api/v1/partnerships?limit=500&minPosition=${last}`).set('Authorization', t.as('viewer').auth);
    const indexesBefore = await t.ds.query(`select indexname, indexdef from pg_indexes where tablename like 'rm_partnership%' order by indexname`);

    const started = await t.http.post('/api/v1/admin/projections/partnerships/rebuild').set('Authorization', t.as('admin').auth).send({});
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe('/api/v1/admin/projections/partnerships');
    expect(started.body).toMatchObject({ name: 'partnerships', status: 'rebuilding', rebuild: { status: 'running', mode: 'swap' } });
    const again = await t.http.post('/api/v1/admin/projections/partnerships/rebuild').set('Authorization', t.as('admin').auth).send({});
    expect(again.status).toBe(409);

    let reads = 0;
    for (;;) {
      const read = await t.http.get('/api/v1/partnerships?limit=500').set('Authorization', t.as('viewer').auth);
      expect(read.status).toBe(200);
      expect(read.body.items.length).toBe(before.body.items.length);
      reads++;
      const s = await status('partnerships');
      if (s.rebuild.status !== 'running') break;
    }
    const done = await status('partnerships');
    expect(done.rebuild).toMatchObject({ status: 'done', eventsDone: expect.any(Number), eventsTotal: expect.any(Number) });
    expect(done.rebuild.eventsDone).toBeGreaterThanOrEqual(done.rebuild.eventsTotal);
    for (const table of done.rebuild.differences) expect(table).toMatchObject({ differing: 0, missingInLive: 0, missingInRebuild: 0 });
    expect(reads).toBeGreaterThan(0);

    const after = await t.http.get('/api/v1/partnerships?limit=500').set('Authorization', t.as('viewer').auth);
    expect(after.body).toEqual(before.body);
    expect(await t.ds.query(`select indexname, indexdef from pg_indexes where tablename like 'rm_partnership%' order by indexname`)).toEqual(indexesBefore);

    // and the projection goes on after the swap
    const az = before.body.items[0].parties[0].id;
    const other = before.body.items[0].parties[1].id;
    const res = await send(t, '/meetings', { occurredOn: '2026-01', format: 'phone', partyIds: [az, other], topics: ['after the rebuild'] });
    const read = await t.http.get(`/api/v1/partnerships/${before.body.items[0].id}?minPosition=${res.body.position}`).set('Authorization', t.as('viewer').auth);
    expect(read.body.meetingsCount).toBe(before.body.items[0].meetingsCount + 1);
  });

  it("fills a rebuild's copies with their keys and the indexes its writes find rows by (each an index of the projection's own tables), and no other", async () => {
    const runner = t.app.get(ProjectionRunner);
    const declared = runner.names.flatMap((name) => (runner.projection(name)!.writeIndexes ?? []).map((index) => ({ name, index })));
    expect(declared.map((d) => d.index)).toEqual(expect.arrayContaining(['rm_partnership_links_source', 'rm_timeline_entries_record', 'rm_commitments_meeting']));
    for (const { name, index } of declared) {
      const [row] = await t.ds.query(`select tablename from pg_indexes where schemaname = 'public' and indexname = $1`, [index]);
      expect(runner.projection(name)!.tables).toContain(row?.tablename);
    }
    // The copies the rebuild fills (createShadow), before their other indexes are built.
    const rebuilder = t.app.get(ProjectionRebuilder) as unknown as { createShadow(p: unknown, schema: string): Promise<string[]> };
    const later = await rebuilder.createShadow(runner.projection('partnerships'), 'rebuild_shadow_test');
    try {
      const shadow = await t.ds.query(`select tablename, indexdef from pg_indexes where schemaname = 'rebuild_shadow_test' order by indexdef`);
      const defs = shadow.map((r: { indexdef: string }) => r.indexdef.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+/, '').replace(/rebuild_shadow_test\./g, ''));
      expect(defs.sort()).toEqual(
        [
          ' USING btree (party_id)', // keys
          ' USING btree (source_id)',
          ' USING btree (partnership_id, source_id)',
          ' USING btree (source_id)', // rm_partnership_links_source
          " USING btree (((state ->> 'meetingId'::text))) WHERE (kind = 'commitment'::text)", // rm_partnership_sources_meeting
        ].sort(),
      );
      expect(later.map((d) => d.split(' ')[2]).sort()).toEqual(['rm_partnership_links_a', 'rm_partnership_links_b']);
    } finally {
      await t.ds.query('drop schema if exists rebuild_shadow_test cascade');
    }
  });

  it('a rebuild in compare mode finds a row changed behind the projection', async () => {
    await t.ds.query(`update rm_forums set series = 'Tampered' where forum_id = (select forum_id from rm_forums order by forum_id limit 1)`);
    const started = await t.http.post('/api/v1/admin/projections/forums/rebuild').set('Authorization', t.as('admin').auth).send({ mode: 'compare' });
    expect(started.status).toBe(202);
    for (const deadline = Date.now() + 20_000; (await status('forums')).rebuild.status === 'running'; ) {
      if (Date.now() > deadline) throw new Error('rebuild did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    const { rebuild } = await status('forums');
    const forums = rebuild.differences.find((d: { table: string }) => d.table === 'rm_forums');
    expect(forums).toMatchObject({ differing: 1, missingInLive: 0, missingInRebuild: 0 });
    // compare mode leaves the live tables as they were
    const [{ n }] = await t.ds.query(`select count(*)::int as n from rm_forums where series = 'Tampered'`);
    expect(n).toBe(1);
  });

  it('names the transaction that holds the commit-order fence back', async () => {
    const holder = await holdCommitFence(t.db.url);
    try {
      const party = await send(t, '/parties', { name: 'Waiting behind the fence', kind: 'other' });
      expect(party.status).toBe(201);
      await new Promise((r) => setTimeout(r, 2300));
      const parties = await status('parties');
      expect(parties).toMatchObject({ status: 'stalled', lag: 1, blockedBy: { pid: holder.pid, xid: holder.xid } });
      expect(parties.blockedBy.ageSeconds).toBeGreaterThanOrEqual(2);
      const read = await t.http.get(`/api/v1/partnerships?minPosition=${party.body.position}`).set('Authorization', t.as('viewer').auth);
      // the read cannot be served within its wait: 503 with Retry-After
      expect(read.status).toBe(503);
      expect(read.headers['retry-after']).toBe('1');
    } finally {
      await holder.release();
    }
    for (const deadline = Date.now() + 10_000; (await status('parties')).status !== 'running'; ) {
      if (Date.now() > deadline) throw new Error('parties did not resume');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 30_000);
  it('POST /admin/projections/rebuild rebuilds every projection at once and swaps each (202); a second while it runs: 409', async () => {
    const before = await t.http.get(`/api/v1/partnerships?limit=500&minPosition=${last}`).set('Authorization', t.as('viewer').auth);
    const post = () => t.http.post('/api/v1/admin/projections/rebuild').set('Authorization', t.as('admin').auth).send({});
    const started = await post();
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe('/api/v1/admin/projections');
    expect(started.body.map((p: { name: string }) => p.name).sort()).toEqual([...t.app.get(ProjectionRunner).names].sort());
    expect((await post()).status).toBe(409);
    expect((await t.http.post('/api/v1/admin/projections/rebuild').set('Authorization', t.as('recorder').auth).send({})).status).toBe(403);
    const reports = await Promise.all(t.app.get(ProjectionRunner).names.map((n) => t.app.get(ProjectionRebuilder).finished(n)));
    // Identical but for the forum row the compare test above changed behind the projection, which the swap puts right.
    for (const r of reports) expect({ name: r.name, mode: r.mode, identical: r.identical }).toEqual({ name: r.name, mode: 'swap', identical: r.name !== 'forums' });
    expect(reports.find((r) => r.name === 'forums')!.tables.find((x) => x.table === 'rm_forums')).toMatchObject({ differing: 1, missingInLive: 0, missingInRebuild: 0 });
    expect((await t.ds.query(`select count(*)::int as n from rm_forums where series = 'Tampered'`))[0].n).toBe(0);
    const done = (await admin('')).body as { name: string; rebuild: { status: string; mode: string } | null }[];
    for (const p of done) expect(p.rebuild).toMatchObject({ status: 'done', mode: 'swap' });
    const after = await t.http.get(`/api/v1/partnerships?limit=500&minPosition=${last}`).set('Authorization', t.as('viewer').auth);
    expect(after.body).toEqual(before.body);
  });
});
