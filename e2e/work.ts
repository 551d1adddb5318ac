import type { Locator, Page } from '@playwright/test';
import type { LongTask } from '../src/app/latencyProbe.ts';

/**
 * The studio at work, shared by the e2e specs (which assert structure: no long task, input
 * handled while the work runs) and bench/ui.bench.ts (which measures latencies). No test runner
 * here: only Playwright page calls, so that the benchmark can import it outside `playwright test`.
 *
 * Why no millisecond targets in the tests: the machines are shared 2-core boxes, and how fast a
 * frame is painted depends on what else runs on them. What does not depend on the machine:
 * a main-thread task of LONG_TASK_LIMIT_MS means the work itself ran on the main thread, and an
 * input handled (its effect on screen) before the work finished means the page was not blocked.
 */

/** A structural bound, not a latency target: a task this long means work runs on the main thread. */
export const LONG_TASK_LIMIT_MS = 500;

/** Page time (performance.now() in the page), to bound the long tasks a check looks at. */
export const pageNow = (page: Page) => page.evaluate(() => performance.now());

/**
 * The main-thread tasks longer than 50 ms since page time `since` (recorded from start-up by
 * src/app/latencyProbe.ts). Entries reach the observer after their task; two animation frames
 * first let the last ones in.
 */
export async function longTasksSince(page: Page, since: number): Promise<LongTask[]> {
  await frames(page, 2);
  return page.evaluate((t) => (window.__rftwinLongTasks ?? []).filter((e) => e.start >= t), since);
}

/** Wait for `n` animation frames of the page. */
export function frames(page: Page, n: number) {
  return page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );
}

/** Wait until the page draws frames steadily again (10 frames in a row < 50 ms apart; at most 10 s). */
export function settle(page: Page) {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const t0 = performance.now();
        let last = t0;
        let steady = 0;
        const tick = (t: number) => {
          steady = t - last < 50 ? steady + 1 : 0;
          last = t;
          if (steady >= 10 || t - t0 > 10_000) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
}

/** What the page showed during a job, in order, at page time `at` (see `watchJob`). */
export interface JobEvent {
  what: 'xray-on' | 'xray-off' | 'progress-90' | 'busy-end';
  at: number;
}

/**
 * Record, in the order the page showed them: the X-ray toggle's state ('xray-on', 'xray-off'),
 * the progress bar reaching 90 % ('progress-90') and the end of the running job ('busy-end': the
 * status bar leaves 'busy'). Call once the job runs (status busy); `jobLog` reads the record.
 */
export async function watchJob(page: Page) {
  await page.evaluate(() => {
    const log: { what: string; at: number }[] = [];
    (window as unknown as { __rftwinJobLog: typeof log }).__rftwinJobLog = log;
    const attr = (id: string, name: string) =>
      document.querySelector(`[data-testid="${id}"]`)?.getAttribute(name) ?? null;
    const state = { xray: attr('xray-button', 'aria-pressed') === 'true', p90: false, ended: false };
    // compare the page's state after every change of these attributes (or of the elements
    // present); the mutation callbacks run in the order the changes were made
    const check = () => {
      const at = performance.now();
      const xray = attr('xray-button', 'aria-pressed') === 'true';
      if (xray !== state.xray) {
        state.xray = xray;
        log.push({ what: xray ? 'xray-on' : 'xray-off', at });
      }
      if (!state.ended && !state.p90 && Number(attr('progress', 'aria-valuenow') ?? 0) >= 90) {
        state.p90 = true;
        log.push({ what: 'progress-90', at });
      }
      if (!state.ended && attr('status', 'data-level') !== 'busy') {
        state.ended = true;
        log.push({ what: 'busy-end', at });
      }
    };
    check(); // the job may have ended already
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-pressed', 'aria-valuenow', 'data-level'],
    });
  });
}

/** The record of `watchJob`. */
export const jobLog = (page: Page) =>
  page.evaluate(() => [...((window as unknown as { __rftwinJobLog?: JobEvent[] }).__rftwinJobLog ?? [])]);

/**
 * Press X (the X-ray shortcut) while the job runs, outside any text field (where keys type).
 * The effect is on screen: the toolbar's X-ray button turns pressed (aria-pressed).
 */
export async function pressXray(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('x');
}

/**
 * Turn X-ray on and off once before the work: the first toggle compiles the see-through
 * materials' shaders (a one-off main-thread task of 0.06–0.2 s with software WebGL), which is
 * the viewport's start-up, not the work's; later toggles reuse the compiled programs. Called
 * by the prepare* functions below, so that the X press made during the work is cheap to handle.
 */
export async function warmUpXray(page: Page) {
  const pressed = async () => (await page.getByTestId('xray-button').getAttribute('aria-pressed')) === 'true';
  await pressXray(page);
  // 'on' once the engine worker said which face sides X-ray sees through: then the see-through
  // looks (front, back, faint) are drawn and compiled, not only the interim all-faint one
  await until(
    'X-ray on',
    async () => (await page.getByTestId('viewport').getAttribute('data-xray')) === 'on',
    30_000,
  );
  await settle(page);
  await pressXray(page);
  await until('X-ray off', async () => !(await pressed()), 10_000);
  await settle(page);
}

// ---- the long jobs (the demo room opened; the studio fixture of e2e/helpers.ts or the bench) ----

/** transmitters at 2.5 m over the demo room: its corners, edge centres and centre */
const TRACE_TX: [number, number, number][] = [
  [0, 0, 2.5],
  [-4, -4, 2.5],
  [4, 4, 2.5],
  [-4, 4, 2.5],
  [4, -4, 2.5],
  [0, 4, 2.5],
  [0, -4, 2.5],
  [-4, 0, 2.5],
];
const TRACE_RX: [number, number, number][] = [
  [-4, 0.5, 1.5],
  [-1.5, 3.2, 1.2],
  [0.5, 4.3, 1.6],
  [4.2, 0.8, 1.3],
  [1.8, -3.5, 1.5],
  [-2.2, -4.4, 1.1],
  [-0.8, -1.6, 1.4],
  [2.2, 1.6, 1.5],
  [-4.3, 4.2, 1.2],
  [4.4, -4.1, 1.0],
];

/** Click the Dynamics panel's floor plan at world (x, y) (its data-bounds give the mapping). */
export async function clickPlan(plan: Locator, x: number, y: number) {
  const [x0, y0, x1, y1] = JSON.parse((await plan.getAttribute('data-bounds'))!) as number[];
  const box = (await plan.boundingBox())!;
  await plan
    .page()
    .mouse.click(
      box.x + ((x - x0!) / (x1! - x0!)) * box.width,
      box.y + ((y1! - y) / (y1! - y0!)) * box.height,
    );
}

/** Add a device at typed coordinates (the device list's keyboard path). */
export async function addDevice(page: Page, kind: 'tx' | 'rx', p: [number, number, number]) {
  for (const [k, axis] of (['x', 'y', 'z'] as const).entries())
    await page.getByTestId(`new-device-${axis}`).fill(String(p[k]));
  await page.getByTestId(kind === 'tx' ? 'add-tx-at' : 'add-rx-at').click();
}

const statusText = (page: Page) => page.getByTestId('status').textContent();
const statusLevel = (page: Page) => page.getByTestId('status').getAttribute('data-level');

/** Wait (polling) until `ok()`; Playwright's own expect is not used so that the bench can call this. */
export async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000) {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Eight Tx and ten Rx traced at depth 1 (quick), the frames drawing them finished; then
 * `start` raises the depth to 4: one long trace of 80 links (the complete path search builds each
 * transmitter's tree to depth 4, seconds per Tx). It returns once the trace runs.
 */
export async function prepareTrace(page: Page) {
  await page.getByLabel('maximum interactions per path').fill('1');
  for (const t of TRACE_TX) await addDevice(page, 'tx', t);
  for (const r of TRACE_RX) await addDevice(page, 'rx', r);
  await until('Traced 80 links at depth 1', async () =>
    /Traced 80 links/.test((await statusText(page)) ?? ''),
  );
  await warmUpXray(page);
  return async () => {
    await page.getByLabel('maximum interactions per path').fill('4');
    await until('the trace to start', async () => /Tracing/.test((await statusText(page)) ?? ''), 10_000);
  };
}

/** The trace has finished and its paths are shown. */
export const traceDone = async (page: Page) => /Traced 80 links/.test((await statusText(page)) ?? '');

/**
 * Demo soundings loaded and Adam for `iterations` iterations chosen; `start` clicks Calibrate
 * and returns once the first iteration is shown.
 */
export async function prepareCalibration(page: Page, iterations = 2000) {
  await page.getByTestId('soundings-input').setInputFiles('public/demo/soundings.csv');
  await until('the soundings', async () =>
    /50 links/.test((await page.getByTestId('soundings-summary').textContent()) ?? ''),
  );
  await page.getByLabel('optimiser').selectOption('adam');
  await page.getByLabel('maximum iterations').fill(String(iterations));
  await warmUpXray(page);
  return async () => {
    await page.getByTestId('calibrate-button').click();
    await until(
      'the first iteration',
      async () => (await page.getByTestId('calibration-iteration').count()) === 1,
    );
  };
}

/**
 * A transmitter typed in and a fine radio-map grid (5 cm cells: long enough to work with);
 * `start` starts the map and returns once it computes.
 */
export async function prepareHeatmap(page: Page) {
  await addDevice(page, 'tx', [-1, -1, 1.5]);
  await until('the Tx', async () => /Tx 1/.test((await statusText(page)) ?? ''));
  await page.getByLabel('cell size (m)').fill('0.05');
  await warmUpXray(page);
  return async () => {
    await page.getByTestId('heatmap-button').click();
    await until('the radio map to start', async () => (await statusLevel(page)) === 'busy', 10_000);
  };
}
