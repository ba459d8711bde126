import { SseParser } from './sse.js';

/** A `change` message of GET /api/v1/live. */
export interface LiveChange {
  position: string;
  projections: string[];
  types: string[];
  streams: { id: string; type: string }[];
}

export type LiveState = { kind: 'connecting' } | { kind: 'open' } | { kind: 'waiting'; seconds: number } | { kind: 'refused' } | { kind: 'off' };

export interface LiveHandlers {
  /** the stream is open; `resumed` when it replaces one that dropped (changes may have been missed) */
  ready(resumed: boolean): void;
  change(change: LiveChange): void;
  state(state: LiveState): void;
}

/** Silence longer than this (the server sends a heartbeat every 15 s) means a dead connection. */
const SILENCE_MS = 40_000;

/**
 * Reads the server-sent events of GET /api/v1/live with fetch() and a ReadableStream, so the
 * token goes in the Authorization header (EventSource cannot send one, and a token in a URL
 * ends up in logs). Reconnects with back-off; stops for good on 401/403.
 */
export class LiveConnection {
  private controller: AbortController | null = null;
  private stopped = false;
  private connectedBefore = false;
  private retryTimer: number | null = null;

  constructor(
    private readonly authorization: string,
    private readonly handlers: LiveHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    void this.run(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.controller?.abort();
    this.controller = null;
    this.handlers.state({ kind: 'off' });
  }

  private async run(failures: number): Promise<void> {
    if (this.stopped) return;
    this.handlers.state({ kind: 'connecting' });
    const controller = new AbortController();
    this.controller = controller;
    let watchdog = 0;
    const feedWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = window.setTimeout(() => controller.abort(), SILENCE_MS);
    };
    let opened = false;
    let retryMs: number | null = null;
    try {
      const res = await fetch('/api/v1/live', {
        headers: { Authorization: this.authorization, Accept: 'text/event-stream' },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (res.status === 401 || res.status === 403) {
        this.stopped = true;
        this.handlers.state({ kind: 'refused' });
        return;
      }
      if (!res.ok || !res.body) throw new Error(`live: ${res.status}`);
      const parser = new SseParser();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      feedWatchdog();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feedWatchdog();
        for (const message of parser.feed(value)) {
          if (message.event === 'ready') {
            opened = true;
            failures = 0;
            this.handlers.state({ kind: 'open' });
            this.handlers.ready(this.connectedBefore);
            this.connectedBefore = true;
          } else if (message.event === 'change') {
            this.handlers.change(JSON.parse(message.data) as LiveChange);
          }
        }
        retryMs = parser.retry;
      }
    } catch {
      // network error, abort (stop or watchdog): reconnect below unless stopped
    } finally {
      clearTimeout(watchdog);
    }
    if (this.stopped) return;
    const next = opened ? 1 : failures + 1;
    const delay = Math.min((retryMs ?? 1000) * 2 ** Math.min(next - 1, 3), 15_000);
    this.handlers.state({ kind: 'waiting', seconds: Math.max(1, Math.round(delay / 1000)) });
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      void this.run(next);
    }, delay);
  }
}
