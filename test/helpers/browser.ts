// A real browser for tests: Debian's Chromium (/usr/bin/chromium) driven by playwright-core, headless,
// with a fresh profile per launch. Never downloads a browser: set CHROMIUM_PATH to use another build.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

// Only tests read the environment here: the app's own settings all come from src/config.ts.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  /** A new, isolated browser context (cookies, storage); JavaScript on unless told otherwise. */
  context(opts?: { javaScriptEnabled?: boolean; width?: number }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** Launches Chromium with a throw-away profile; the profile is deleted on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'debrief-chromium-'));
  // launchPersistentContext is the way to give Chromium its own --user-data-dir; new contexts come from
  // the browser it starts.
  const persistent = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: flags, timeout: 60_000 });
  const browser: Browser | null = persistent.browser();
  const contexts: BrowserContext[] = [];
  return {
    async context(opts = {}) {
      if (!browser) throw new Error('Chromium did not expose its browser object');
      const context = await browser.newContext({ javaScriptEnabled: opts.javaScriptEnabled ?? true, viewport: { width: opts.width ?? 360, height: 740 } });
      contexts.push(context);
      return context;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await persistent.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Starts the browser before the file's tests and closes it after them. */
export function useBrowser(): { get(): TestBrowser } {
  let current: TestBrowser | undefined;
  before(async function () {
    this.timeout(90_000);
    current = await launchBrowser();
  });
  after(async () => {
    await current?.close();
  });
  return {
    get() {
      if (!current) throw new Error('The browser is not started: use it inside a test or hook.');
      return current;
    },
  };
}
