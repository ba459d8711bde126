import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_CATALOGUE, eventRegistry } from '../src/event-catalogue.js';
import { EventStore } from '../src/event-store/event-store.js';
import type { StoredEvent } from '../src/event-store/event.types.js';
import { PROJECTIONS, type Projection } from '../src/projections/projection.js';
import { startTestApp, type TestApp } from './support/app.js';

interface Sample {
  order: number;
  type: string;
  schemaVersion: number;
  streamType: string;
  streamId: string;
  version: number;
  occurredOn: string | null;
  data: Record<string, unknown>;
}

const DIR = join(process.cwd(), 'test', 'event-samples');
const FILE = /^([A-Za-z]+)\.v(\d+)\.json$/;
const samples = new Map<string, Sample[]>(
  readdirSync(DIR)
    .filter((f) => FILE.test(f))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Sample[]]),
);
const current = new Map(EVENT_CATALOGUE.map((s) => [s.type, s.version]));

describe('stored event samples: every version of every event type upcasts and applies', () => {
  let t: TestApp;
  let store: EventStore;
  let projections: Projection[];

  beforeAll(async () => {
    t = await startTestApp({ projections: false });
    store = new EventStore(t.ds, eventRegistry());
    projections = t.app.get<Projection[]>(PROJECTIONS);
  });
  afterAll(() => t.close());

  it('has a sample of every version, 1 to current, of every type in the catalogue, and none of anything else', () => {
    const expected = EVENT_CATALOGUE.flatMap((s) => Array.from({ length: s.version }, (_, i) => `${s.type}.v${i + 1}`)).sort();
    expect([...samples.keys()].sort()).toEqual(expected);
  });

  it.each([...samples.keys()].filter((k) => Number(k.split('.v')[1]) < current.get(k.split('.v')[0])!))(
    '%s upcasts to the current shape',
    (key) => {
      const [type] = key.split('.v');
      const latest = samples.get(`${type}.v${current.get(type)}`)!;
      for (const old of samples.get(key)!) {
        const up = store.read(row(old));
        expect(up.schemaVersion).toBe(current.get(type));
        const now = latest.find((e) => e.order === old.order)!;
        expect(Object.keys(up.data).sort()).toEqual(Object.keys(now.data).sort());
      }
    },
  );

  /** The whole recording, with the given old-version samples in place of the current ones. */
  const recording = (replace: Sample[] = []): Sample[] => {
    const byOrder = new Map<number, Sample>();
    for (const [key, events] of samples) {
      const [type, v] = key.split('.v');
      if (Number(v) === current.get(type)) for (const e of events) byOrder.set(e.order, e);
    }
    for (const e of replace) byOrder.set(e.order, e);
    return [...byOrder.values()].sort((a, b) => a.order - b.order);
  };

  const row = (s: Sample) => ({
    position: String(s.order),
    transaction_id: String(1000 + s.order),
    stream_id: s.streamId,
    stream_type: s.streamType,
    stream_version: s.version,
    type: s.type,
    schema_version: s.schemaVersion,
    data: s.data,
    metadata: { actor: 'sample', correlationId: `sample-${s.order}`, causationId: null },
    occurred_on: s.occurredOn,
    recorded_at: new Date('2026-11-23T09:00:00Z'),
    hash: Buffer.alloc(32),
  });

  /** Applies events through every projection that handles them, into temporary tables; answers every table's rows. */
  const applyAll = async (events: Sample[]): Promise<Record<string, unknown[]>> => {
    const q = t.ds.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      const tables = projections.flatMap((p) => p.tables);
      for (const table of tables) await q.query(`create temp table ${table} (like public.${table} including all) on commit drop`);
      for (const s of events) {
        const e: StoredEvent = store.read(row(s));
        for (const p of projections) if (p.handles.includes(e.type)) await p.apply(e, q);
      }
      const out: Record<string, unknown[]> = {};
      for (const table of tables) out[table] = await q.query(`select to_jsonb(x) as r from ${table} x order by 1`);
      return out;
    } finally {
      await q.rollbackTransaction().catch(() => undefined);
      await q.release();
    }
  };

  it('the recording at current versions applies through every projection', async () => {
    const rows = await applyAll(recording());
    expect(Object.values(rows).some((r) => r.length > 0)).toBe(true);
    expect(rows.rm_parties.length).toBeGreaterThan(5);
  });

  it.each([...samples.keys()].filter((k) => Number(k.split('.v')[1]) < current.get(k.split('.v')[0])!))(
    'with %s in place of the current version, every read model comes out the same',
    async (key) => {
      const expected = await applyAll(recording());
      expect(await applyAll(recording(samples.get(key)!))).toEqual(expected);
    },
  );
});
