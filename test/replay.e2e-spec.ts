import { replayAll, type ReplayOutput } from '../src/audit/replay.js';
import { ProjectionRebuilder } from '../src/projections/projection-rebuilder.js';
import { ProjectionRunner } from '../src/projections/projection-runner.js';
import { startTestApp, type TestApp } from './support/app.js';
import { recordHistory } from './support/history.js';

describe('replay: every projection rebuilt from the log and compared with the live tables', () => {
  let t: TestApp;
  let ids: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    let last: string;
    ({ ids, last } = await recordHistory(t));
    const runner = t.app.get(ProjectionRunner);
    await runner.waitFor(runner.names, last);
  });
  afterAll(() => t.close());

  const capture = () => {
    const lines: string[] = [];
    const bars: string[] = [];
    const out: ReplayOutput = { line: (s) => lines.push(s), progress: (s) => bars.push(s) };
    return { lines, bars, out };
  };

  it('finds every table equal to its rebuild, with a progress bar and a per-table summary', async () => {
    const runner = t.app.get(ProjectionRunner);
    const { lines, bars, out } = capture();
    const result = await replayAll(t.app.get(ProjectionRebuilder), runner.names, out);
    expect(result.identical).toBe(true);
    expect(result.reports.map((r) => r.name).sort()).toEqual([...runner.names].sort());
    for (const name of runner.names) expect(bars.some((b) => b.startsWith(name) && b.includes('100%'))).toBe(true);
    const tables = result.reports.flatMap((r) => r.tables.map((x) => x.table));
    expect(tables).toEqual(expect.arrayContaining(['rm_parties', 'rm_partnership_links', 'rm_forums', 'rm_meetings', 'audit_seals']));
    for (const table of tables) expect(lines.some((l) => l.includes(` ${table} `) || l.includes(`${table}  `))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/^OK: \d+ projections, \d+ events replayed/);
  });

  it('reports a row of a live read model changed behind the service’s back, naming the key and the column', async () => {
    const unaoc = ids.get('party:unaoc')!;
    await t.ds.query(`update rm_parties set name = 'Tampered' where party_id = $1`, [unaoc]);
    await t.ds.query(`delete from rm_forums where forum_id = $1`, [ids.get('forum:wfid-7')]);
    const { lines, out } = capture();
    const result = await replayAll(t.app.get(ProjectionRebuilder), ['parties', 'forums'], out);
    expect(result.identical).toBe(false);
    const parties = result.reports.find((r) => r.name === 'parties')!.tables.find((x) => x.table === 'rm_parties')!;
    expect(parties).toMatchObject({ differing: 1, missingInLive: 0, missingInRebuild: 0 });
    const forums = result.reports.find((r) => r.name === 'forums')!.tables.find((x) => x.table === 'rm_forums')!;
    expect(forums).toMatchObject({ differing: 0, missingInLive: 1 });
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`DIFFERENT parties\\.rm_parties .*${unaoc}.*: .*name`)));
    expect(lines[lines.length - 1]).toMatch(/^DIFFERENCES FOUND/);
  });
});
