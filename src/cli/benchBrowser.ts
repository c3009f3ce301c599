// Browser benchmark (npm run bench calls it): serves the production build (dist/, built if missing)
// with `vite preview`, drives Debian's Chromium, and measures
//  (a) main-thread long tasks while 3 runs train in compare mode (Long Tasks API + an event-loop lag
//      probe; target ≤ 50 ms: training runs in the worker, so the page should stay responsive), counted
//      from the first step (whose records draw every panel for the first time) over a fixed number of
//      steps, once per view: the page as loaded, then scrolled to the ratio panel, then to the inspector
//      (panels off screen skip per-step redraws, so each view loads different renders), and
//  (b) steps/s per browser backend on a small config. SwiftShader WebGPU/WebGL figures are relative only.
// Alone: `npx tsx src/cli/benchBrowser.ts [--watch-steps 12] [--views top,ratios] [--backends wasm] [--out-dir dist]`.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { Command } from 'commander';
import { build, preview } from 'vite';
import { fail, int, list, parseOrExit } from './args';

export interface BenchBrowserOptions {
  backends?: string[];
  steps?: number; // timed steps per backend after one warm-up step (webgpu: at most 1)
  /** Steps (of each run) to watch the main thread per view (default 12). */
  watchSteps?: number;
  /** Where the page is scrolled while watching (default all three, in this order). */
  views?: View[];
  port?: number;
  chromium?: string;
  /** Watch the main thread in compare mode with these algorithms (default repo, grpo, luffy; [] = one run). */
  compare?: string[];
  /** The build to serve (default dist/, built if missing). */
  outDir?: string;
}

const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'];
const SMALL = { batchSize: '2', groupSize: '4', maxNewTokens: '24', evalSize: '10', evalEvery: '0', tour: '0' }; // tour=0: the guided tour's overlay stays shut

/** Installed before any page script: records long tasks and the worst event-loop lag. A string, not a
 *  function, because tsx/esbuild may wrap functions in helpers that do not exist in the page. */
const PROBE = `
  window.__bench = { longtasks: [], maxLag: 0, reset() { this.longtasks = []; this.maxLag = 0; } };
  try {
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__bench.longtasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  } catch (e) { /* Long Tasks API missing: the lag probe still works */ }
  let last = performance.now();
  setInterval(() => { const now = performance.now(); window.__bench.maxLag = Math.max(window.__bench.maxLag, now - last - 10); last = now; }, 10);
`;
type Probe = { longtasks: number[]; maxLag: number; reset: () => void };

export const VIEWS = ['top', 'ratios', 'inspector'] as const;
export type View = (typeof VIEWS)[number];
const VIEW_WORDS: Record<View, string> = { top: 'page as loaded', ratios: 'ratio panel on screen', inspector: 'inspector on screen' };

/** Scrolls the view's panel to the top of the window ('top': back to the page's top). */
async function scrollTo(page: Page, view: View): Promise<void> {
  await page.evaluate((v) => {
    if (v === 'top') window.scrollTo(0, 0);
    else document.querySelector(`[data-panel=${v}]`)?.scrollIntoView({ block: 'start' });
  }, view);
}

const resetProbe = (page: Page) => page.evaluate(() => (window as unknown as { __bench: Probe }).__bench.reset());
const readProbe = (page: Page) =>
  page.evaluate(() => {
    const b = (window as unknown as { __bench: Probe }).__bench;
    return { longtasks: b.longtasks, maxLag: b.maxLag };
  });

/** One line of (a): long tasks (judged against the target) and the worst timer lag over `steps` steps. */
function watchLine(what: string, steps: number, secs: number, probe: { longtasks: number[]; maxLag: number }): string {
  const longest = probe.longtasks.length ? Math.max(...probe.longtasks) : 0;
  return (
    `main thread (${what}, ${steps} steps in ${secs.toFixed(0)} s): ${probe.longtasks.length} long tasks (> 50 ms)` +
    `${probe.longtasks.length ? `, longest ${longest.toFixed(0)} ms` : ''} (target ≤ 50 ms: ${longest <= 50 ? 'met' : 'NOT met'}); ` +
    // the lag probe also counts time the OS gave other processes (a loaded machine), so it is reported, not judged
    `worst event-loop lag ${probe.maxLag.toFixed(0)} ms`
  );
}

async function open(page: Page, base: string, params: Record<string, string>): Promise<string> {
  await page.goto(`${base}/?${new URLSearchParams(params)}`);
  const badge = page.getByTestId('backend-badge');
  await page.waitForFunction(() => document.querySelector('[data-testid=backend-badge]')?.textContent !== 'starting…', null, { timeout: 120_000 });
  return (await badge.textContent()) ?? '?';
}

const counter = async (page: Page) => Number(await page.getByTestId('step-counter').textContent());

async function waitSteps(page: Page, n: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid=step-counter]')?.textContent) >= k, n, { timeout: timeoutMs });
}

/** Plays or pauses (the button toggles, so it is clicked only when needed); pausing waits until the
 *  step in flight has finished, so the step counter is settled. A dispatched click: a real one would
 *  scroll the header (and the page's top) back into view. */
async function setPlaying(page: Page, on: boolean): Promise<void> {
  const btn = page.getByTestId('play');
  if ((await btn.getAttribute('aria-label')) !== (on ? 'pause' : 'play')) await btn.dispatchEvent('click');
  await page.waitForFunction((want) => document.querySelector('[data-testid=play]')?.getAttribute('aria-label') === want, on ? 'pause' : 'play');
  if (!on) await page.waitForFunction(() => document.querySelector('[data-testid=status-line]')?.getAttribute('data-phase') === 'idle', null, { timeout: 120_000 });
}

async function errorText(page: Page): Promise<string | null> {
  const e = page.getByTestId('error');
  return (await e.count()) ? (await e.first().textContent()) : null;
}

export async function benchBrowser(opts: BenchBrowserOptions = {}): Promise<string[]> {
  const backends = opts.backends ?? ['webgpu', 'webgl', 'wasm', 'cpu'];
  const steps = opts.steps ?? 3;
  const lines: string[] = [];
  const outDir = opts.outDir ?? 'dist';
  if (!existsSync(`${outDir}/index.html`)) await build({ logLevel: 'warn', build: { outDir } });
  const server = await preview({ preview: { host: '127.0.0.1', port: opts.port ?? 4188, strictPort: true }, build: { outDir }, logLevel: 'warn' });
  const base = `http://127.0.0.1:${opts.port ?? 4188}`;
  const browser = await chromium.launch({ executablePath: opts.chromium ?? '/usr/bin/chromium', headless: true, args: ARGS });
  try {
    // (a) main-thread responsiveness while training on wasm (the slowest steps post the most data)
    const compare = opts.compare ?? ['repo', 'grpo', 'luffy'];
    const watch = opts.watchSteps ?? 12;
    const page = await browser.newPage();
    await page.addInitScript({ content: PROBE });
    await open(page, base, { ...SMALL, backend: 'wasm', ...(compare.length > 1 ? { compare: compare.join(',') } : {}) });
    for (const [i, view] of (opts.views ?? VIEWS).entries()) {
      await scrollTo(page, view);
      await page.waitForTimeout(300); // the scroll's own redraws are not training
      const from = await counter(page);
      await resetProbe(page);
      const t0 = Date.now();
      if (i === 0) {
        // the first step draws every panel for the first time: counted
        await page.getByTestId('step').click();
        await waitSteps(page, from + 1, 120_000);
      }
      await setPlaying(page, true);
      await waitSteps(page, from + watch, 600_000);
      await setPlaying(page, false);
      await page.waitForTimeout(500); // the last step's records arrive and are drawn
      const probe = await readProbe(page);
      const what = `wasm, ${compare.length > 1 ? `compare ${compare.join(',')}` : 'one run'}, ${VIEW_WORDS[view]}${i === 0 ? ', from the first step' : ''}`;
      lines.push(watchLine(what, (await counter(page)) - from, (Date.now() - t0) / 1000, probe));
    }
    await page.close();

    // (b) steps/s per backend, one fresh page each (a backend is process-global in the worker)
    for (const b of backends) {
      const p = await browser.newPage();
      try {
        const got = await open(p, base, { ...SMALL, ...(b === 'webgpu' ? { batchSize: '1', groupSize: '2', maxNewTokens: '8' } : {}), backend: b });
        if (got !== b) {
          lines.push(`${b}: did not start (fell back to ${got})${(await errorText(p)) ? `: ${await errorText(p)}` : ''}`);
          continue;
        }
        const t0 = Date.now();
        await p.getByTestId('step').click(); // warm-up: shader compilation and the step-0 evaluation
        await waitSteps(p, 1, 400_000);
        const warm = (Date.now() - t0) / 1000;
        const k = b === 'webgpu' ? 1 : steps;
        const t1 = Date.now();
        await p.getByTestId('play').click();
        await waitSteps(p, 1 + k, 600_000);
        const secs = (Date.now() - t1) / 1000;
        await p.getByTestId('play').click();
        const err = await errorText(p);
        lines.push(`${b}: ${(k / secs).toFixed(2)} steps/s (${((1000 * secs) / k).toFixed(0)} ms/step over ${k}; first step incl. eval ${warm.toFixed(1)} s; B=${b === 'webgpu' ? 1 : SMALL.batchSize})${err ? ` — error: ${err}` : ''}`);
      } catch (e) {
        lines.push(`${b}: failed: ${(e as Error).message.split('\n')[0]}`);
      } finally {
        await p.close();
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cmd = new Command('bench-browser')
    .description('Main-thread long tasks in compare mode, and steps/s per browser backend (headless Chromium)')
    .option('--watch-steps <n>', 'steps of each run watched per view', int('watch-steps', 1, 1000), 12)
    .option('--views <list>', `where the page is scrolled while watching, of ${VIEWS.join(', ')}`, list('views', VIEWS), [...VIEWS])
    .option('--compare <list>', 'algorithms trained side by side while watching', list('compare', null), ['repo', 'grpo', 'luffy'])
    .option('--backends <list>', 'backends timed in (b); "none" skips (b)', list('backends', ['webgpu', 'webgl', 'wasm', 'cpu', 'none']), ['webgpu', 'webgl', 'wasm', 'cpu'])
    .option('--out-dir <dir>', 'the build to serve (built if missing)', 'dist')
    .option('--port <n>', 'vite preview port', int('port', 1024, 65535), 4188);
  parseOrExit(cmd);
  const o = cmd.opts<{ watchSteps: number; views: View[]; compare: string[]; backends: string[]; outDir: string; port: number }>();
  benchBrowser({ watchSteps: o.watchSteps, views: o.views, compare: o.compare, backends: o.backends.filter((b) => b !== 'none'), outDir: o.outDir, port: o.port })
    .then((lines) => lines.forEach((l) => console.log(l)))
    .catch((e: Error) => fail(e.message.split('\n')[0]));
}
