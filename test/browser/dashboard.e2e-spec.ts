import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestApp, type TestApp, TOKENS } from '../support/app.js';
import { send } from '../support/fixtures.js';
import { recordHistory } from '../support/history.js';

// Functions passed to page.evaluate() run in the browser; the project's type-check has no DOM lib.
declare const document: any;
declare const window: any;
declare const sessionStorage: any;
declare const localStorage: any;
declare const getComputedStyle: any;
declare const NodeFilter: any;

/**
 * The dashboard in a real browser (Debian's Chromium driven by playwright-core): built with
 * Vite, served by the app with the real history recorded, read with a token, updated live.
 */
const ROOT = process.cwd();
const OUTPUT = join(ROOT, 'test-output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT = { timeout: 15_000 };
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

let t: TestApp;
let ids: Map<string, string>;
let base: string;
let browser: Browser;
let webDir: string;

function id(key: string): string {
  const value = ids.get(key);
  if (!value) throw new Error(`no seeded ${key}`);
  return value;
}

async function openPage(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // The page asks GET /events whether the token may audit; for a viewer Chromium logs that 403.
    if (msg.type() === 'error' && !/status of 403/.test(msg.text())) errors.push(msg.text());
  });
  await page.goto(base);
  return { context, page, errors };
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#forums tbody').waitFor(WAIT);
}

/** Every visible piece of text whose contrast with what is behind it is below WCAG AA. */
async function lowContrast(page: Page): Promise<{ checked: number; failures: unknown[] }> {
  return page.evaluate(() => {
    const parse = (c: string) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const lum = (c: { r: number; g: number; b: number }) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const background = (el: any) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      let out = { r: 255, g: 255, b: 255 };
      for (const l of layers.reverse()) out = { r: l.r * l.a + out.r * (1 - l.a), g: l.g * l.a + out.g * (1 - l.a), b: l.b * l.a + out.b * (1 - l.a) };
      return out;
    };
    const failures = [];
    let checked = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      const el = node.parentElement;
      if (!text || !el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const style = getComputedStyle(el);
      if (style.clip === 'rect(0px, 0px, 0px, 0px)' || el.closest('.visually-hidden')) continue;
      const fg = parse(el instanceof window.SVGElement ? style.fill : style.color);
      if (!fg) continue;
      checked++;
      const [hi, lo] = [lum(fg), lum(background(el))].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push({ text: text.slice(0, 60), ratio: Math.round(ratio * 100) / 100, color: style.color });
    }
    return { checked, failures };
  });
}

async function noHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  mkdirSync(OUTPUT, { recursive: true });
  webDir = mkdtempSync(join(tmpdir(), 'entente-web-'));
  // Build the page exactly as `npm run build` does, into a folder of this run's own.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--outDir', webDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  t = await startTestApp({}, { dashboardDir: webDir });
  await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/`;
  const history = await recordHistory(t);
  ids = history.ids;
  for (const path of ['/forums/upcoming', '/partnerships', '/commitments', '/timeline', '/parties']) {
    const res = await t.http.get(`/api/v1${path}?minPosition=${history.last}`).set('Authorization', t.as('viewer').auth);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (webDir) rmSync(webDir, { recursive: true, force: true });
});

describe('the dashboard in Chromium', () => {
  it('asks for a token once, shows the seeded history, and updates live when a meeting is recorded', async () => {
    const { context, page, errors } = await openPage(LAPTOP);
    try {
      // Keyboard: the skip link first, then the token field, with a visible focus ring.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement.textContent)).toBe('Skip to content');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement.id)).toBe('token');
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      expect(ring.style).not.toBe('none');
      expect(ring.width).toBeGreaterThanOrEqual(2);
      await page.keyboard.type(TOKENS.viewer);
      await page.keyboard.press('Enter');

      // The seeded upcoming forums, dates as written.
      const forums = page.locator('#forums');
      const wfid = forums.locator('tbody tr', { hasText: '7th World Forum on Intercultural Dialogue' });
      await wfid.waitFor(WAIT);
      expect(await wfid.locator('[data-label="When"]').innerText()).toBe('2026');
      expect(await wfid.locator('[data-label="Place"]').innerText()).toBe('Baku');
      expect(await wfid.locator('[data-label="Status"]').innerText()).toBe('planned');
      const gf = forums.locator('tbody tr', { hasText: '12th Global Forum of the UN Alliance of Civilizations' });
      expect(await gf.locator('[data-label="When"]').innerText()).toBe('2027');
      expect(await gf.locator('[data-label="Status"]').innerText()).toBe('proposed');

      // The token is kept for this tab only.
      expect(await page.evaluate(() => sessionStorage.getItem('entente.token'))).toBe(TOKENS.viewer);
      expect(await page.evaluate(() => localStorage.length)).toBe(0);
      expect(await context.cookies()).toEqual([]);
      expect(await page.locator('#audit').isVisible()).toBe(false);

      // Seeded commitments: one overdue (due 2021), one open without a date.
      const commitments = page.locator('#commitments');
      await commitments.locator('tbody tr').first().waitFor(WAIT);
      expect(await commitments.locator('h3').first().innerText()).toBe('Overdue (1)');

      // A party's timeline and chart: the UN Alliance of Civilizations.
      const party = page.getByLabel('Party', { exact: true });
      await party.locator('option').first().waitFor({ state: 'attached', ...WAIT });
      await party.selectOption(id('party:unaoc'));
      expect(await party.locator('option:checked').innerText()).toMatch(/^United Nations Alliance of Civilizations/);
      const timeline = page.locator('#timeline');
      await timeline.getByText(/entries for United Nations Alliance of Civilizations\./).waitFor(WAIT);
      const caption = timeline.locator('figcaption');
      const total = async () => Number(/\((\d+) in all\)/.exec(await caption.innerText())?.[1]);
      const meetingsBefore = await total();
      expect(meetingsBefore).toBeGreaterThan(0);
      expect(await timeline.locator('svg[role="img"] rect').count()).toBeGreaterThan(0);
      const pair = page.locator('#partnerships tbody tr', { hasText: /Republic of Azerbaijan and United Nations Alliance of Civilizations|United Nations Alliance of Civilizations and Republic of Azerbaijan/ });
      const pairMeetings = async () => Number(await pair.locator('[data-label="Meetings"]').innerText());
      const pairBefore = await pairMeetings();
      await page.locator('#live-status', { hasText: 'Live updates: on' }).waitFor(WAIT);

      // A command through the API; the page must show it without a reload.
      await page.evaluate(() => (window.__sameDocument = true));
      const title = 'Preparations for the 7th World Forum on Intercultural Dialogue (browser test)';
      const commitment = 'Send the draft programme of the 7th World Forum to the UNAOC (browser test)';
      const started = Date.now();
      const res = await send(t, '/meetings', {
        occurredOn: '2026-11-20',
        format: 'virtual',
        title,
        partyIds: [id('party:azerbaijan'), id('party:unaoc')],
        topics: ['7th World Forum on Intercultural Dialogue'],
        commitments: [{ description: commitment, partyIds: [id('party:azerbaijan'), id('party:unaoc')], dueBy: '2027-01' }],
      });
      expect(res.status).toBe(201);
      await timeline.getByText(title).waitFor(WAIT);
      const seenAfterMs = Date.now() - started;
      await page.waitForFunction((n: number) => new RegExp(`\\(${n} in all\\)`).test(document.querySelector('#timeline figcaption')?.textContent ?? ''), meetingsBefore + 1, WAIT);
      await commitments.getByText(commitment).waitFor(WAIT);
      await page.waitForFunction(
        (n: number) =>
          [...document.querySelectorAll('#partnerships tbody tr')].some(
            (tr: any) => /Republic of Azerbaijan/.test(tr.textContent) && /United Nations Alliance of Civilizations/.test(tr.textContent) && tr.querySelector('[data-label="Meetings"]').textContent === String(n),
          ),
        pairBefore + 1,
        WAIT,
      );
      expect(await pair.locator('[data-label="Last meeting"]').innerText()).toBe('2026-11-20');
      expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
      await page.locator('#announcer', { hasText: 'Updated' }).waitFor({ state: 'attached', ...WAIT });
      writeFileSync(join(OUTPUT, 'dashboard-live.json'), JSON.stringify({ commandAnsweredToTimelineShownMs: seenAfterMs }, null, 2) + '\n');

      // Readable and accessible at laptop width.
      expect(await noHorizontalScroll(page)).toBe(true);
      const contrast = await lowContrast(page);
      expect(contrast.checked).toBeGreaterThan(100);
      expect(contrast.failures).toEqual([]);
      await page.evaluate(() => document.activeElement?.blur());
      await page.evaluate(() => window.scrollTo(0, 0));
      // For the README: the top of the page at laptop width (forums, commitments, the timeline chart).
      await page.screenshot({ path: join(OUTPUT, 'dashboard-laptop.png'), fullPage: true, clip: { x: 0, y: 0, width: LAPTOP.width, height: 1600 } });
      await page.screenshot({ path: join(OUTPUT, 'dashboard-laptop-full.png'), fullPage: true });
      if (process.env.UPDATE_DOCS_SCREENSHOT) copyFileSync(join(OUTPUT, 'dashboard-laptop.png'), join(ROOT, 'docs', 'dashboard.png'));

      // Asked once: a reload in the same tab goes straight to the dashboard.
      await page.reload();
      await forums.locator('tbody tr').first().waitFor(WAIT);
      expect(await page.locator('#signin').isVisible()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is readable at phone width: no sideways scrolling, rows as labelled cards, enough contrast', async () => {
    const { context, page, errors } = await openPage(PHONE);
    try {
      await signIn(page, TOKENS.viewer);
      await page.locator('#timeline figcaption').waitFor(WAIT);
      expect(await noHorizontalScroll(page)).toBe(true);
      const cell = page.locator('#forums tbody tr').first().locator('td[data-label="When"]');
      expect(await cell.evaluate((td: any) => getComputedStyle(td).display)).toBe('block');
      expect(await cell.evaluate((td: any) => getComputedStyle(td, '::before').content)).toBe('"When: "');
      const contrast = await lowContrast(page);
      expect(contrast.failures).toEqual([]);
      await page.screenshot({ path: join(OUTPUT, 'dashboard-phone.png') });
      await page.screenshot({ path: join(OUTPUT, 'dashboard-phone-full.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('refuses a wrong token, and lets an auditor verify the log and follow a record’s events live', async () => {
    const { context, page, errors } = await openPage(LAPTOP);
    try {
      await page.getByLabel('Access token').fill('not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#token-error', { hasText: 'does not accept this token' }).waitFor(WAIT);
      expect(await page.getByLabel('Access token').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

      await signIn(page, TOKENS.auditor);
      const audit = page.locator('#audit');
      await audit.waitFor({ state: 'visible', ...WAIT });
      await audit.locator('#verify-result', { hasText: /^Intact: \d+ events checked/ }).waitFor(WAIT);

      // "Event log" beside a forum opens its stream and moves focus there.
      await page.getByRole('button', { name: 'Event log of 7th World Forum on Intercultural Dialogue', exact: true }).click();
      await audit.locator('ol.events li', { hasText: 'ForumAnnounced' }).waitFor(WAIT);
      expect(await page.evaluate(() => document.activeElement.id)).toBe('stream-title');
      await page.locator('#live-status', { hasText: 'Live updates: on' }).waitFor(WAIT);

      // The forum is scheduled: its row and its open event log follow without a reload.
      const res = await send(t, `/forums/${id('forum:wfid-7')}/schedule`, { startsOn: '2026-12-10', endsOn: '2026-12-12', venue: 'Baku Congress Center' });
      expect(res.status).toBe(200);
      await audit.locator('ol.events li', { hasText: 'ForumScheduled' }).waitFor(WAIT);
      const wfid = page.locator('#forums tbody tr', { hasText: '7th World Forum on Intercultural Dialogue' });
      await wfid.locator('[data-label="Status"]', { hasText: 'scheduled' }).waitFor(WAIT);
      expect(await wfid.locator('[data-label="When"]').innerText()).toBe('2026-12-10 – 2026-12-12');

      // Signing out forgets the token and returns to the token field.
      await page.getByRole('button', { name: 'Sign out' }).click();
      expect(await page.evaluate(() => sessionStorage.getItem('entente.token'))).toBeNull();
      expect(await page.evaluate(() => document.activeElement.id)).toBe('token');
      expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
