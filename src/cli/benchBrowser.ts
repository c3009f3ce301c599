// Browser benchmark (npm run bench calls it): serves the production build (dist/, built if missing)
// with `vite preview`, drives Debian's Chromium, and measures
//  (a) the longest main-thread task while training (Long Tasks API + an event-loop lag probe;
//      target ≤ 50 ms: training runs in the worker, so the page should stay responsive), and
//  (b) steps/s per browser backend on a small config. SwiftShader WebGPU/WebGL figures are relative only.
import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { build, preview } from 'vite';

export interface BenchBrowserOptions {
  backends?: string[];
  steps?: number; // timed steps per backend after one warm-up step (webgpu: at most 1)
  trainSeconds?: number; // how long to watch the main thread while training
  port?: number;
  chromium?: string;
  /** Watch the main thread in compare mode with these algorithms (e.g. ['repo', 'grpo', 'luffy']). */
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
    const page = await browser.newPage();
    await page.addInitScript({ content: PROBE });
    await open(page, base, { ...SMALL, backend: 'wasm', ...(opts.compare ? { compare: opts.compare.join(',') } : {}) });
    await page.getByTestId('step').click();
    await waitSteps(page, 1, 120_000);
    await page.evaluate(() => (window as unknown as { __bench: Probe }).__bench.reset());
    await page.getByTestId('play').click();
    await page.waitForTimeout((opts.trainSeconds ?? 15) * 1000);
    await page.getByTestId('play').click();
    const probe = await page.evaluate(() => {
      const b = (window as unknown as { __bench: Probe }).__bench;
      return { longtasks: b.longtasks, maxLag: b.maxLag };
    });
    const trained = (await counter(page)) - 1;
    const longest = probe.longtasks.length ? Math.max(...probe.longtasks) : 0;
    lines.push(
      `main thread while training (wasm${opts.compare ? `, compare ${opts.compare.join(',')}` : ''}, ${trained} steps in ${opts.trainSeconds ?? 15} s): ${probe.longtasks.length} long tasks (> 50 ms)` +
        `${probe.longtasks.length ? `, longest ${longest.toFixed(0)} ms` : ''}; worst event-loop lag ${probe.maxLag.toFixed(0)} ms ` +
        `(target ≤ 50 ms: ${Math.max(longest, probe.maxLag) <= 50 ? 'met' : 'NOT met'})`,
    );
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
