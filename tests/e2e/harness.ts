import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import type { AppContext } from '../../main/app/context';
import { dispatch, type Handlers } from '../../main/handlers/dispatch';
import { wireAppEvents } from '../../main/handlers/events';
import { createHandlers } from '../../main/handlers';
import { type EventName, type EventPayload, events } from '../../main/shared/contract';

const ROOT = resolve(__dirname, '..', '..');
const RENDERER_DIR = join(ROOT, 'out', 'renderer');
const ORIGIN = 'http://order-stager.test';
export const ARTIFACTS_DIR = join(ROOT, 'test-results');

/** Debian's Chromium (Playwright cannot download its own browsers here). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

let harnessScript: Promise<string> | undefined;

/** Bundles preload/harness.ts (the same createApi the Electron preload uses) into one script. */
function harnessBundle(): Promise<string> {
  harnessScript ??= build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: join(ROOT, 'preload', 'harness.ts'), formats: ['iife'], name: 'OrderStagerHarness' },
    },
  }).then((output) => {
    const result = Array.isArray(output) ? output[0] : output;
    if (!result || !('output' in result)) throw new Error('harness build produced no output');
    const chunk = result.output.find((o) => o.type === 'chunk');
    if (chunk?.type !== 'chunk') throw new Error('harness build produced no chunk');
    return chunk.code;
  });
  return harnessScript;
}

/** Delivers an event to the page's subscribers, as ipcRenderer does in Electron. */
async function emitOnPage(page: Page, channel: string, payload: unknown): Promise<void> {
  await page.evaluate(([c, p]) => (window as unknown as { __orderStagerEmit: (c: string, p: unknown) => void }).__orderStagerEmit(c, p), [
    channel,
    payload,
  ] as const);
}

export interface RendererSession {
  page: Page;
  browser: Browser;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  emit<E extends EventName>(name: E, payload: EventPayload<E>): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens the production renderer bundle (out/renderer, with its CSP) in Chromium. `window.api` is built by
 * the real preload code over a transport that calls the real main-process dispatcher and handlers;
 * only the transport differs from Electron.
 */
export async function openRenderer(handlers: Handlers, options: { locale?: string } = {}): Promise<RendererSession> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` (npm test does) first');
  const script = await harnessBundle();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ locale: options.locale ?? 'ja-JP', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });

  await page.exposeBinding('__orderStagerInvoke', (_source, channel: string, input: unknown) => dispatch(handlers, channel, input));
  // A string, not a function: transpilers (tsx/esbuild) add helpers such as __name to functions, which would
  // not exist in the page.
  await page.addInitScript({
    content: `(() => {
      const listeners = new Map();
      window.__orderStagerTransport = {
        invoke: (channel, input) => window.__orderStagerInvoke(channel, input),
        subscribe: (channel, listener) => {
          const set = listeners.get(channel) ?? new Set();
          set.add(listener);
          listeners.set(channel, set);
          return () => set.delete(listener);
        },
      };
      window.__orderStagerEmit = (channel, payload) => {
        for (const listener of listeners.get(channel) ?? []) listener(payload);
      };
    })();`,
  });
  await page.addInitScript({ content: script });

  await page.route(`${ORIGIN}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
    if (!file.startsWith(RENDERER_DIR + sep) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: MIME[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) });
  });
  // Nothing but the app's own origin may load: the harness fails loudly on any other request.
  await page.route(/^(?!http:\/\/order-stager\.test\/).*/, (route) => {
    problems.push(`blocked request: ${route.request().url()}`);
    return route.abort();
  });

  await page.goto(`${ORIGIN}/index.html`);
  try {
    await page.waitForSelector('#root[data-app-state="ready"]', { timeout: 15_000 });
  } catch (error) {
    await browser.close();
    throw new Error(`the renderer did not become ready: ${problems.join(' | ') || String(error)}`);
  }

  return {
    page,
    browser,
    problems,
    emit: (name, payload) => emitOnPage(page, events[name].channel, payload),
    screenshot: async (name) => {
      mkdirSync(join(ARTIFACTS_DIR, 'screenshots'), { recursive: true });
      const path = join(ARTIFACTS_DIR, 'screenshots', `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => browser.close(),
  };
}

/**
 * The renderer over an app context as the Electron shell serves it: the real handlers, and main's events
 * (sync progress and failure, changed batches) relayed by the shell's own wiring (main/handlers/events.ts).
 * Events raised before the page is ready are dropped, as Electron drops them before the window exists.
 */
export async function openApp(ctx: AppContext, options: { locale?: string } = {}): Promise<RendererSession> {
  let page: Page | undefined;
  const wiring = wireAppEvents(ctx, (channel, payload) => {
    // The page may be closing at the end of a test.
    if (page) void emitOnPage(page, channel, payload).catch(() => undefined);
  });
  const session = await openRenderer(createHandlers(ctx, wiring.notify), options);
  page = session.page;
  return {
    ...session,
    close: async () => {
      wiring.dispose();
      await session.close();
    },
  };
}
