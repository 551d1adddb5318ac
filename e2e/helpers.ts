import { mkdirSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import type { LongTask } from '../src/app/latencyProbe.ts';
import { type JobEvent, LONG_TASK_LIMIT_MS } from './work.ts';

export const ARTIFACTS = 'e2e-artifacts';
mkdirSync(ARTIFACTS, { recursive: true });

/** Console messages that are not the studio's fault (none known so far). */
const IGNORED_CONSOLE = [/GPU stall due to ReadPixels/, /Automatic fallback to software WebGL/];

/**
 * Every test fails on a console error or an uncaught page error, and opens the studio on the
 * demo twin first.
 */
export const test = base.extend<{ studio: Page }>({
  studio: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !IGNORED_CONSOLE.some((r) => r.test(m.text()))) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto('/');
    await expect(page.getByTestId('status')).toContainText('Loaded room', { timeout: 30_000 });
    await use(page);
    expect(errors, 'console errors').toEqual([]);
  },
});
export { expect };

export async function shot(page: Page, name: string) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
}

/** Client pixel of a world point in the 3D viewport (through the studio's projection hook). */
export async function project(page: Page, p: [number, number, number]): Promise<[number, number]> {
  await page.waitForFunction(() => !!window.__rftwinView);
  return page.evaluate((q) => window.__rftwinView!.project(q), p);
}

/** Click a world point in the viewport with the real mouse (raycast picking in the app). */
export async function clickWorld(page: Page, p: [number, number, number]) {
  const [x, y] = await project(page, p);
  await page.mouse.click(x, y);
}

/** How many distinct colours the WebGL canvas shows (a blank canvas has one). */
export async function canvasColourCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="viewport"] canvas') as HTMLCanvasElement | null;
    if (!c) return 0;
    const tmp = document.createElement('canvas');
    tmp.width = 200;
    tmp.height = 150;
    const ctx = tmp.getContext('2d')!;
    ctx.drawImage(c, 0, 0, tmp.width, tmp.height);
    const d = ctx.getImageData(0, 0, tmp.width, tmp.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4)
      seen.add((d[i]! >> 3) | ((d[i + 1]! >> 3) << 5) | ((d[i + 2]! >> 3) << 10));
    return seen.size;
  });
}

/**
 * Structural responsiveness checks (no milliseconds targets: the latency figures are measured
 * by bench/ui.bench.ts). See e2e/work.ts for the probes.
 *
 * The key press made during the job was handled, its effect on screen (X-ray on), before the
 * job ended: the page took input while the work ran.
 */
export function expectInputHandledDuringJob(log: JobEvent[]) {
  const order = log.map((e) => e.what).join(' → ');
  const on = log.findIndex((e) => e.what === 'xray-on');
  const end = log.findIndex((e) => e.what === 'busy-end');
  expect(on, `X-ray never turned on; page events: ${order}`).toBeGreaterThanOrEqual(0);
  expect(end, `the job did not end; page events: ${order}`).toBeGreaterThanOrEqual(0);
  expect(on, `the key press during the job was handled after it ended: ${order}`).toBeLessThan(end);
}

/** No main-thread task longer than LONG_TASK_LIMIT_MS (a task that long means work on the main thread). */
/**
 * No main-thread task took LONG_TASK_LIMIT_MS or half of the job's wall time (`windowMs`),
 * whichever is longer: work that runs on the main thread instead of the worker takes most of
 * the job's time whatever the machine, while a loaded machine stretches an honest task (drawing,
 * receiving a result) in proportion to everything else — so the bound follows the job.
 */
export function expectNoLongTask(tasks: LongTask[], what: string, windowMs = 0) {
  const worst = Math.max(0, ...tasks.map((t) => t.duration));
  const list = tasks.map((t) => `${t.duration.toFixed(0)} ms at ${t.start.toFixed(0)}`).join(', ');
  const limit = Math.max(LONG_TASK_LIMIT_MS, windowMs / 2);
  console.log(
    `${what}: longest main-thread task ${worst.toFixed(0)} ms of a ${windowMs.toFixed(0)} ms job (over 50 ms: ${list || 'none'})`,
  );
  expect(worst, `main-thread tasks over 50 ms ${what}: ${list || 'none'}`).toBeLessThan(limit);
}
