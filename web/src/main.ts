import './style.css';
import { Api, ApiError } from './api.js';
import { clock } from './dom.js';
import { type LiveChange, LiveConnection, type LiveState } from './live.js';
import { AuditSection } from './sections/audit.js';
import { CommitmentsSection } from './sections/commitments.js';
import { ForumsSection } from './sections/forums.js';
import { PartnershipsSection } from './sections/partnerships.js';
import type { Context, Section } from './sections/section.js';
import { TimelineSection } from './sections/timeline.js';

/** The token lives in sessionStorage only: this tab, until it closes. Never in localStorage, a cookie or a URL. */
const TOKEN_KEY = 'entente.token';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`no #${id} in the page`);
  return el as T;
}

const ui = {
  signin: byId('signin'),
  form: byId<HTMLFormElement>('signin-form'),
  token: byId<HTMLInputElement>('token'),
  tokenError: byId('token-error'),
  dashboard: byId('dashboard'),
  session: byId('session'),
  nav: byId('sections-nav'),
  auditLink: byId('audit-link'),
  audit: byId('audit'),
  live: byId('live-status'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  announcer: byId('announcer'),
};

interface Session {
  api: Api;
  live: LiveConnection;
  sections: Section[];
  audit: AuditSection | null;
}

let session: Session | null = null;

function announce(text: string): void {
  // Cleared first, so the same words said twice are announced twice.
  ui.announcer.textContent = '';
  window.setTimeout(() => (ui.announcer.textContent = text), 50);
}

function showLiveState(state: LiveState): void {
  const text: Record<LiveState['kind'], string> = {
    connecting: 'Live updates: connecting…',
    open: 'Live updates: on',
    waiting: 'Live updates: reconnecting…',
    refused: 'Live updates: refused for this token',
    off: 'Live updates: off',
  };
  ui.live.textContent = state.kind === 'waiting' ? `Live updates: reconnecting in ${state.seconds} s` : text[state.kind];
  ui.live.dataset.state = state.kind;
}

/** Whether the token may read the audit views (auditor or admin): GET /events answers 200, else 403. */
async function canAudit(api: Api): Promise<boolean> {
  try {
    await api.get('/events', { limit: '1' });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return false;
    throw err;
  }
}

function showSignIn(message = ''): void {
  ui.dashboard.hidden = true;
  ui.session.hidden = true;
  ui.nav.hidden = true;
  ui.signin.hidden = false;
  ui.tokenError.textContent = message;
  if (message) ui.token.setAttribute('aria-invalid', 'true');
  else ui.token.removeAttribute('aria-invalid');
}

function signOut(message = ''): void {
  session?.live.stop();
  for (const s of session?.sections ?? []) s.dispose();
  session = null;
  sessionStorage.removeItem(TOKEN_KEY);
  ui.token.value = '';
  showSignIn(message);
  ui.token.focus();
}

async function onChange(change: LiveChange): Promise<void> {
  const s = session;
  if (!s) return;
  const touched = s.sections.filter((section) => section.projections.some((p) => change.projections.includes(p)));
  s.audit?.onChange(change);
  if (touched.length === 0) return;
  await Promise.all(touched.map((section) => section.refresh(change.position)));
  if (session === s) announce(`Updated at ${clock()}: ${touched.map((t) => t.title).join(', ')}.`);
}

/** Opens the dashboard with a token the service accepted. */
async function enter(token: string, focusContent: boolean): Promise<void> {
  const api = new Api(token);
  const auditor = await canAudit(api);
  api.onUnauthorized = () => signOut('The service no longer accepts this token. Enter another.');
  sessionStorage.setItem(TOKEN_KEY, token);

  const ctx: Context = {
    api,
    auditor,
    openStream: (id) => {
      ui.audit.scrollIntoView({ block: 'start' });
      void audit?.showStream(id, true);
    },
  };
  const audit = auditor ? new AuditSection('audit', ctx) : null;
  const sections: Section[] = [
    new ForumsSection('forums', ctx),
    new CommitmentsSection('commitments', ctx),
    new PartnershipsSection('partnerships', ctx),
    new TimelineSection('timeline', ctx),
    ...(audit ? [audit] : []),
  ];
  const live = new LiveConnection(api.authorization, {
    ready: (resumed) => {
      // After a dropped connection, changes may have been missed: read everything again.
      if (resumed) for (const section of sections) void section.refresh();
    },
    change: (change) => void onChange(change),
    state: showLiveState,
  });
  session = { api, live, sections, audit };

  ui.signin.hidden = true;
  ui.dashboard.hidden = false;
  ui.session.hidden = false;
  ui.nav.hidden = false;
  ui.audit.hidden = !auditor;
  ui.auditLink.hidden = !auditor;
  live.start();
  const loading = Promise.all(sections.map((section) => section.refresh()));
  if (focusContent) byId('forums-title').focus();
  await loading;
  if (session?.api === api) announce(auditor ? 'Dashboard loaded, with the audit views.' : 'Dashboard loaded.');
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ui.token.value.trim();
  if (!token) {
    showSignIn('Enter a token.');
    ui.token.focus();
    return;
  }
  const button = ui.form.querySelector('button');
  button?.setAttribute('aria-disabled', 'true');
  enter(token, true)
    .catch((err) => {
      const refused = err instanceof ApiError && err.status === 401;
      signOut(refused ? 'The service does not accept this token.' : `Could not sign in: ${(err as Error).message}`);
    })
    .finally(() => button?.removeAttribute('aria-disabled'));
});

ui.signOut.addEventListener('click', () => signOut());

for (const id of ['forums-title', 'commitments-title', 'partnerships-title', 'timeline-title', 'audit-title']) byId(id).tabIndex = -1;

const kept = sessionStorage.getItem(TOKEN_KEY);
if (kept) {
  enter(kept, false).catch(() => signOut('Your session ended. Enter a token again.'));
} else {
  showSignIn();
}
