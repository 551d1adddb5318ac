import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../e2e/chromium.ts';
import { until } from '../e2e/work.ts';

/**
 * What the browser benchmarks (ui, render) share: percentiles, the machine's load, and the
 * built studio served by `vite preview` on a free port, opened in headless Chromium with the
 * e2e launch options.
 */

/** k-th smallest with k = ⌈p·n⌉ (nearest-rank percentile). */
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? Number.NaN;
};
export const round = (x: number) => Math.round(x * 10) / 10;
export const stats = (xs: number[]) => ({
  p50: round(percentile(xs, 0.5)),
  p95: round(percentile(xs, 0.95)),
  max: round(Math.max(...xs)),
});
export const load = () => ({ loadavg1m5m15m: loadavg().map(round), cpus: cpus().length });

/** A port nobody listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface BuiltStudio {
  browser: Browser;
  page: Page;
  /**
   * A page in a browser context of its own, as each e2e test gets: nothing an earlier page saved
   * (the studio restores a saved workspace instead of opening the demo)
   */
  newPage: () => Promise<Page>;
  /** page errors seen so far */
  errors: string[];
  close: () => Promise<void>;
}

/**
 * Build the studio into `dist` (its own folder, so that parallel runs do not clash), serve it
 * and open a 1440 × 900 page on it (not yet navigated). `close` ends the browser and the server
 * and removes the build.
 */
export async function openBuiltStudio(dist: string, log: (line: string) => void): Promise<BuiltStudio> {
  log(`building the studio into ${dist}/ …`);
  const env = { ...process.env, RFTWIN_DIST: dist };
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { env, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error(`vite build failed (exit ${built.status})`);
  const port = await freePort();
  // its own process group, so that npx and the vite process under it end together
  const server: ChildProcess = spawn(
    'npx',
    ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    { env, stdio: ['ignore', 'ignore', 2], detached: true },
  );
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  const close = async () => {
    await browser.close();
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    rmSync(dist, { recursive: true, force: true });
  };
  try {
    await until(
      `vite preview on ${base}`,
      () =>
        fetch(base)
          .then((r) => r.ok)
          .catch(() => false),
      60_000,
    );
    const errors: string[] = [];
    const newPage = async () => {
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
      // tsx (bin/run-ts.mjs) compiles with esbuild's keepNames, which wraps the functions inside
      // page.evaluate callbacks in a `__name(…)` helper that does not exist in the page: define it
      await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      return page;
    };
    const page = await newPage();
    log(`Chromium ${browser.version()} on ${base}`);
    return { browser, page, newPage, errors, close };
  } catch (e) {
    await close();
    throw e;
  }
}
