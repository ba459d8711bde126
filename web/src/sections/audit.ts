import { ApiError, type Stream, type Verification } from '../api.js';
import { type Child, h, replaceContent } from '../dom.js';
import type { LiveChange } from '../live.js';
import { type Context, Section } from './section.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/**
 * For auditors: the hash-chain verification and the event log of any record. Verification
 * runs when the section opens and again when the seal chain moves on; a shown event log is
 * read again when its record changes.
 */
export class AuditSection extends Section {
  readonly title = 'Audit';
  readonly projections = ['seals'];

  private readonly verifyButton: HTMLButtonElement;
  private readonly form: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly error: HTMLElement;
  private readonly streamResult: HTMLElement;
  private shownStream: string | null = null;

  constructor(id: string, ctx: Context) {
    super(id, ctx);
    const q = <T extends HTMLElement>(sel: string) => {
      const el = this.root.querySelector<T>(sel);
      if (!el) throw new Error(`no ${sel} in the audit section`);
      return el;
    };
    this.verifyButton = q<HTMLButtonElement>('#verify');
    this.form = q<HTMLFormElement>('#stream-form');
    this.input = q<HTMLInputElement>('#stream-id');
    this.error = q('#stream-error');
    this.streamResult = q('#stream-result');
    this.verifyButton.addEventListener('click', () => void this.refresh(), { signal: this.signal });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.showStream(this.input.value.trim(), false);
    }, { signal: this.signal });
  }

  /** Verification is what `refresh` renders (into the verify result, the section's body). */
  protected async render(): Promise<Child> {
    const v = await this.ctx.api.get<Verification>('/audit/verify');
    return h(
      'p',
      { class: v.ok ? 'result ok' : 'result broken' },
      v.ok
        ? `Intact: ${v.eventsChecked} events checked${v.eventsSealed !== undefined ? `, ${v.eventsSealed} sealed` : ''}.`
        : `Broken at position ${v.firstBrokenPosition ?? 'unknown'}${v.problem ? `: ${v.problem}` : ''} (${v.eventsChecked} events checked).`,
    );
  }

  onChange(change: LiveChange): void {
    if (this.shownStream && change.streams.some((s) => s.id === this.shownStream)) void this.showStream(this.shownStream, false);
  }

  /** Shows a record's events; from another section, moves focus to them. */
  async showStream(id: string, focus: boolean): Promise<void> {
    this.input.value = id;
    if (!UUID.test(id)) {
      this.fieldError('Enter a record id: a UUID such as 01a207c2-161c-77bd-b03a-dbfe9e9e1630.');
      return;
    }
    this.fieldError('');
    this.streamResult.setAttribute('aria-busy', 'true');
    try {
      const stream = await this.ctx.api.get<Stream>(`/streams/${id}`);
      this.shownStream = id;
      replaceContent(this.streamResult, this.streamView(stream));
      if (focus) this.streamResult.querySelector<HTMLElement>('h3')?.focus();
    } catch (err) {
      this.shownStream = null;
      replaceContent(this.streamResult);
      this.fieldError(err instanceof ApiError && err.status === 404 ? `No record has the id ${id}.` : `Could not read the event log: ${(err as Error).message}`);
    } finally {
      this.streamResult.removeAttribute('aria-busy');
    }
  }

  private fieldError(message: string): void {
    this.error.textContent = message;
    if (message) this.input.setAttribute('aria-invalid', 'true');
    else this.input.removeAttribute('aria-invalid');
  }

  private streamView(stream: Stream): Child {
    return [
      h('h3', { tabindex: '-1', id: 'stream-title' }, `Event log of ${stream.streamType} ${stream.streamId}`),
      h('p', { class: 'summary' }, `${stream.events.length} ${stream.events.length === 1 ? 'event' : 'events'}, oldest first; version ${stream.version}.`),
      h(
        'ol',
        { class: 'events', 'aria-labelledby': 'stream-title' },
        stream.events.map((e) =>
          h(
            'li',
            {},
            h(
              'p',
              { class: 'event-head' },
              h('span', { class: 'event-type' }, `${e.version}. ${e.type}`),
              h('span', { class: 'muted' }, ` at position ${e.position}, recorded `, h('time', { datetime: e.recordedAt }, new Date(e.recordedAt).toLocaleString()), ` by ${e.metadata.actor ?? 'unknown'}`),
            ),
            h('p', { class: 'hash' }, 'Hash ', h('code', {}, e.hash)),
            h('details', {}, h('summary', {}, 'Data and metadata'), h('pre', {}, json({ data: e.data, metadata: e.metadata, schemaVersion: e.schemaVersion }))),
          ),
        ),
      ),
    ];
  }

  override dispose(): void {
    super.dispose();
    replaceContent(this.streamResult);
    this.input.value = '';
    this.fieldError('');
    this.shownStream = null;
  }
}
