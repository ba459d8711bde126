/**
 * The event types the log may hold and the schema version of each. An event stored in an
 * older shape is turned into the current one on read by its type's upcasters, one version
 * at a time, so that projections, time travel and the API only ever see current shapes.
 */
export type Upcaster = (data: any) => any;

export interface EventTypeSpec {
  type: string;
  /** the current schema version, written with every new event of this type */
  version: number;
  /** upcasters[n] turns version n into version n + 1 */
  upcasters?: Record<number, Upcaster>;
}

export class EventRegistry {
  private readonly specs = new Map<string, EventTypeSpec>();

  constructor(specs: EventTypeSpec[] = [], private readonly strict = specs.length > 0) {
    for (const s of specs) {
      if (this.specs.has(s.type)) throw new Error(`event type ${s.type} registered twice`);
      for (let v = 1; v < s.version; v++) {
        if (!s.upcasters?.[v]) throw new Error(`event type ${s.type} has no upcaster from version ${v} to ${v + 1}`);
      }
      this.specs.set(s.type, s);
    }
  }

  get types(): EventTypeSpec[] {
    return [...this.specs.values()];
  }

  /** The version a new event of this type is written with. */
  current(type: string): number {
    const spec = this.specs.get(type);
    if (!spec) {
      if (this.strict) throw new Error(`unknown event type ${type}: add it to the event catalogue`);
      return 1;
    }
    return spec.version;
  }

  /**
   * What decides the shape an event is read in: every type's current version and the source of
   * its upcasters. Equal fingerprints, equal readings of the same stored events.
   */
  fingerprint(): string {
    return JSON.stringify(
      [...this.specs.values()]
        .map((s) => [s.type, s.version, Object.entries(s.upcasters ?? {}).map(([v, f]) => [v, String(f)])])
        .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
  }

  /** Whether an event of `type` stored at `version` needs no upcasting (an unknown type: none). */
  isCurrent(type: string, version: number): boolean {
    const spec = this.specs.get(type);
    return !spec || version >= spec.version;
  }

  /** The event in its current shape. */
  upcast(type: string, version: number, data: unknown): { version: number; data: unknown } {
    if (this.isCurrent(type, version)) return { version, data };
    const spec = this.specs.get(type)!;
    let d = data;
    for (let v = version; v < spec.version; v++) d = spec.upcasters![v](d);
    return { version: spec.version, data: d };
  }
}

export const EVENT_REGISTRY = Symbol('EVENT_REGISTRY');
