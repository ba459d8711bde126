import { type Api, ApiError } from '../api.js';
import { type Child, clock, h, replaceContent } from '../dom.js';

/** What every section may use: the API, whether the token may read the audit views, and how to open one. */
export interface Context {
  api: Api;
  auditor: boolean;
  /** shows a record's event log in the audit section */
  openStream(id: string): void;
}

/**
 * A part of the page that shows one or more read models. `refresh` re-reads and re-renders;
 * calls made while one is under way fold into one more run, with the highest position asked.
 */
export abstract class Section {
  /** shown in announcements: "Updated: Upcoming forums." */
  abstract readonly title: string;
  /** the read models (projection names) it shows: a live change naming one refreshes it */
  abstract readonly projections: readonly string[];

  readonly root: HTMLElement;
  protected readonly body: HTMLElement;
  private readonly stamp: HTMLElement | null;
  private running: Promise<void> | null = null;
  private again = false;
  private wanted: string | undefined;
  /** aborted on dispose: listeners added with `{ signal: this.signal }` go with it */
  private readonly disposer = new AbortController();
  protected readonly signal = this.disposer.signal;

  constructor(
    id: string,
    protected readonly ctx: Context,
  ) {
    const root = document.getElementById(id);
    if (!root) throw new Error(`no #${id} in the page`);
    this.root = root;
    this.body = root.querySelector<HTMLElement>('[data-body]') ?? root;
    this.stamp = root.querySelector<HTMLElement>('[data-stamp]');
  }

  /** Reads what the section shows and renders it; `minPosition` makes the read include that event. */
  protected abstract render(minPosition: string | undefined): Promise<Child>;

  refresh(minPosition?: string): Promise<void> {
    if (minPosition && (!this.wanted || BigInt(minPosition) > BigInt(this.wanted))) this.wanted = minPosition;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.once(this.wanted);
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async once(minPosition: string | undefined): Promise<void> {
    if (this.signal.aborted) return;
    this.root.setAttribute('aria-busy', 'true');
    try {
      const content = await this.render(minPosition);
      if (this.signal.aborted) return;
      replaceContent(this.body, content);
      if (this.stamp) this.stamp.textContent = `Updated ${clock()}`;
      this.root.classList.remove('flash');
      void this.root.offsetWidth; // restart the highlight
      this.root.classList.add('flash');
    } catch (err) {
      if ((err as Error).name === 'AbortError' || this.signal.aborted) return;
      const message = err instanceof ApiError ? err.message : 'Something went wrong while reading.';
      replaceContent(
        this.body,
        h(
          'div',
          { class: 'error', role: 'alert' },
          h('p', {}, `Could not load ${this.title.toLowerCase()}: ${message}`),
          h('button', { type: 'button', class: 'button secondary', 'data-key': 'retry', onclick: () => void this.refresh() }, 'Try again'),
        ),
      );
    } finally {
      this.root.removeAttribute('aria-busy');
    }
  }

  /** Empties the section and drops its listeners (on sign-out). */
  dispose(): void {
    this.disposer.abort();
    replaceContent(this.body);
    if (this.stamp) this.stamp.textContent = '';
  }

  /** An "Event log" button for auditors (nothing for other roles). */
  protected logButton(id: string, of: string, key = id): Child {
    if (!this.ctx.auditor) return null;
    return h(
      'button',
      { type: 'button', class: 'button link', 'data-key': `log-${this.root.id}-${key}`, onclick: () => this.ctx.openStream(id) },
      'Event log',
      h('span', { class: 'visually-hidden' }, ` of ${of}`),
    );
  }
}
