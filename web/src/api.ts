/** The service's HTTP API, called with the session's bearer token. */

export interface Ref {
  id: string;
  name: string;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface UpcomingForum {
  id: string;
  series: string;
  edition: number | null;
  title: string | null;
  hostCity: string | null;
  status: 'proposed' | 'planned' | 'scheduled' | 'postponed';
  plannedFor: string | null;
  startsOn: string | null;
  endsOn: string | null;
  organizers: Ref[];
  partners: Ref[];
}

export interface Partnership {
  id: string;
  parties: Ref[];
  since: string | null;
  meetingsCount: number;
  lastMeetingOn: string | null;
  agreementsInForce: { id: string; title: string; kind: string; signedOn: string }[];
  upcomingForums: { id: string; title: string | null; series: string; edition: number | null; plannedFor: string | null; status: string }[];
  openCommitments: number;
  lastActivityOn: string | null;
}

export interface Commitment {
  id: string;
  description: string;
  parties: Ref[];
  dueBy: string | null;
  status: 'open' | 'fulfilled' | 'withdrawn';
  overdue: boolean;
  meetingId: string | null;
  forumId: string | null;
  madeOn?: string | null;
}

export interface Party {
  id: string;
  name: string;
  shortName: string | null;
  kind: string;
}

export interface TimelineEntry {
  id: string;
  on: string;
  kind: string;
  type: string;
  recordId: string;
  title: string;
  parties: Ref[];
}

export interface StoredEvent {
  position: string;
  streamId: string;
  streamType: string;
  version: number;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown> & { actor?: string };
  recordedAt: string;
  hash: string;
}

export interface Stream {
  streamId: string;
  streamType: string;
  version: number;
  events: StoredEvent[];
}

export interface Verification {
  ok: boolean;
  eventsChecked: number;
  firstBrokenPosition: string | null;
  problem?: string | null;
  eventsSealed?: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Params = Record<string, string | undefined>;

export class Api {
  /** called when the service refuses the token (revoked, or the service restarted with other tokens) */
  onUnauthorized: () => void = () => undefined;

  constructor(private readonly token: string) {}

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  async get<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
    const url = new URL(`/api/v1${path}`, location.origin);
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, { headers: { Authorization: this.authorization, Accept: 'application/json' }, cache: 'no-store', signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'The service could not be reached.');
    }
    if (!res.ok) {
      let detail = `${res.status} ${res.statusText}`;
      try {
        const problem = (await res.json()) as { detail?: string };
        if (problem.detail) detail = problem.detail;
      } catch {
        // not problem+json: keep the status line
      }
      if (res.status === 401) this.onUnauthorized();
      throw new ApiError(res.status, detail);
    }
    return (await res.json()) as T;
  }

  /** Every item of a list, page by page (500 at a time). */
  async all<T>(path: string, params: Params = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const answer = await this.get<Page<T>>(path, { ...params, limit: '500', cursor });
      items.push(...answer.items);
      if (!answer.next || answer.items.length === 0) break;
      cursor = answer.next;
    }
    return items;
  }
}
