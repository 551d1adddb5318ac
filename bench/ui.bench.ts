import { loadavg } from 'node:os';
import type { Page } from '@playwright/test';
import {
  longTasksSince,
  pageNow,
  prepareCalibration,
  prepareHeatmap,
  prepareTrace,
  settle,
  traceDone,
  until,
} from '../e2e/work.ts';
import { load, openBuiltStudio, round, stats } from './studio.ts';

/**
 * Responsiveness of the studio while it works (`npm run bench -- ui`): the latency figures the
 * e2e tests used to assert, which depend on the machine (shared 2-core boxes, software WebGL)
 * and so are measured here instead, with the machine's load beside them.
 *
 * The studio is built into its own folder (dist-bench-ui) and served by `vite preview` on a free
 * port; headless Chromium (the e2e launch options) opens it on the demo room. For each scenario
 * (idle page as a baseline, a radio map computing, 80 links traced, calibration running) Shift
 * is pressed every 40 ms while the work runs, and the page's latency probe
 * (src/app/latencyProbe.ts) gives per press:
 *   handlerDelayMs: event → first handler (the main thread was free to take the input);
 *   paintedMs:      event → the next animation frame after the handlers (input visibly handled);
 * plus the longest main-thread task while the work ran and until its result was drawn.
 * No thresholds: a note is printed when a painted p95 exceeds 100 ms.
 */
const DIST = 'dist-bench-ui';
const PRESSES = 40;
const PRESS_EVERY_MS = 40;

interface Sample {
  delay: number;
  ms: number;
}

/**
 * Press Shift every PRESS_EVERY_MS, PRESSES times or until the work ends (the status bar leaves
 * 'busy', or its progress reaches `maxProgress`), and return the probe's samples of the presses
 * made while it ran.
 */
async function pressWhileBusy(page: Page, maxProgress = 1): Promise<Sample[]> {
  const since = await pageNow(page);
  const busy = async () => (await page.getByTestId('status').getAttribute('data-level')) === 'busy';
  const progress = async () =>
    Number(
      (await page
        .getByTestId('progress')
        .getAttribute('aria-valuenow')
        .catch(() => null)) ?? 0,
    );
  let end = Number.POSITIVE_INFINITY;
  for (let k = 0; k < PRESSES; k++) {
    if (!(await busy()) || (await progress()) >= 100 * maxProgress) {
      end = await pageNow(page);
      break;
    }
    await page.keyboard.press('Shift');
    await page.waitForTimeout(PRESS_EVERY_MS);
  }
  await settle(page); // the frames after the last presses, which the probe waits for
  return page.evaluate(
    ([t, e]) =>
      (window.__rftwinInputLatencies ?? [])
        .filter((r) => r.type === 'keydown' && r.at >= t && r.at < e)
        .map((r) => ({ delay: r.delay, ms: r.ms })),
    [since, end] as const,
  );
}

interface Scenario {
  name: string;
  what: string;
  /** set the studio up; returns the function that starts the work */
  prepare: (page: Page) => Promise<() => Promise<void>>;
  /** presses stop once the progress bar reaches this fraction (the result's arrival is not input latency under work) */
  maxProgress?: number;
  /** end the work (cancel, stop, or wait for it) and wait until its result is shown */
  finish: (page: Page) => Promise<void>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'idle',
    what: 'baseline: the demo room shown, no work',
    prepare: async () => async () => {},
    finish: async () => {},
  },
  {
    name: 'heatmap',
    what: 'radio map computing (5 cm cells, cancelled after the presses)',
    prepare: prepareHeatmap,
    finish: async (page) => {
      if ((await page.getByTestId('cancel-button').count()) > 0)
        await page.getByTestId('cancel-button').click();
      await until('the radio map to end', async () =>
        /Radio map (cancelled|from)/.test((await page.getByTestId('status').textContent()) ?? ''),
      );
    },
  },
  {
    name: 'trace',
    what: '8 Tx × 10 Rx = 80 links traced at depth 8 (presses until 90 % progress)',
    prepare: prepareTrace,
    maxProgress: 0.9,
    finish: (page) => until('the 80 links traced', () => traceDone(page), 120_000),
  },
  {
    name: 'calibration',
    what: 'Adam calibration running with live plots (2000 iterations, stopped after the presses)',
    prepare: (page) => prepareCalibration(page, 2000),
    finish: async (page) => {
      if (await page.getByTestId('calibrate-stop').isVisible())
        await page.getByTestId('calibrate-stop').click();
      await until(
        'the calibration results',
        () => page.getByTestId('calibration-results').isVisible(),
        120_000,
      );
    },
  },
];

async function runScenario(page: Page, s: Scenario, log: (line: string) => void) {
  await page.goto('/');
  await until('the demo room', async () =>
    /Loaded room/.test((await page.getByTestId('status').textContent()) ?? ''),
  );
  const start = await s.prepare(page);
  await settle(page);
  const since = await pageNow(page);
  await start();
  // the idle baseline presses on a page that is not busy: measure it for a fixed count instead
  const samples = s.name === 'idle' ? await pressIdle(page) : await pressWhileBusy(page, s.maxProgress ?? 1);
  const workEnd = await pageNow(page);
  await s.finish(page);
  await settle(page);
  const tasks = await longTasksSince(page, since);
  const during = tasks.filter((t) => t.start < workEnd);
  const row = {
    scenario: s.name,
    what: s.what,
    presses: samples.length,
    handlerDelayMs: stats(samples.map((x) => x.delay)),
    paintedMs: stats(samples.map((x) => x.ms)),
    longestTaskWhileWorkingMs: round(Math.max(0, ...during.map((t) => t.duration))),
    longestTaskMs: round(Math.max(0, ...tasks.map((t) => t.duration))),
    longTasks: tasks.length,
    loadavg1mAtEnd: round(loadavg()[0]!),
  };
  log(
    `${s.name}: n=${row.presses}; handler delay p50/p95/max ${row.handlerDelayMs.p50}/${row.handlerDelayMs.p95}/${row.handlerDelayMs.max} ms; painted ${row.paintedMs.p50}/${row.paintedMs.p95}/${row.paintedMs.max} ms; longest task ${row.longestTaskWhileWorkingMs} ms while working, ${row.longestTaskMs} ms incl. the result (${row.longTasks} tasks > 50 ms)`,
  );
  if (row.paintedMs.p95 > 100)
    log(`  note: painted p95 ${row.paintedMs.p95} ms > 100 ms (load ${loadavg().map(round).join(' ')})`);
  return row;
}

/** The idle baseline: the same presses on a page with nothing to do. */
async function pressIdle(page: Page): Promise<Sample[]> {
  const since = await pageNow(page);
  for (let k = 0; k < PRESSES; k++) {
    await page.keyboard.press('Shift');
    await page.waitForTimeout(PRESS_EVERY_MS);
  }
  await settle(page);
  return page.evaluate(
    (t) =>
      (window.__rftwinInputLatencies ?? [])
        .filter((r) => r.type === 'keydown' && r.at >= t)
        .map((r) => ({ delay: r.delay, ms: r.ms })),
    since,
  );
}

export default async function uiBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const loadAtStart = load();
  const { browser, newPage, errors, close } = await openBuiltStudio(DIST, log);
  try {
    log(`load ${loadAtStart.loadavg1m5m15m.join(' ')} on ${loadAtStart.cpus} CPUs`);
    const results = [];
    // each scenario on a fresh page: a reload would restore what the previous one saved
    for (const s of SCENARIOS) {
      const page = await newPage();
      try {
        results.push(await runScenario(page, s, log));
      } finally {
        await page.context().close();
      }
    }
    return {
      browser: `Chromium ${browser.version()} (headless, SwiftShader WebGL/WebGPU)`,
      pressEveryMs: PRESS_EVERY_MS,
      note: 'handlerDelayMs: event → first handler; paintedMs: event → next animation frame after the handlers; longest task: main thread, while working / including receiving and drawing the result. Machine-dependent figures: compare with loadAtStart/loadAtEnd.',
      loadAtStart,
      loadAtEnd: load(),
      pageErrors: errors,
      results,
    };
  } finally {
    await close();
  }
}
