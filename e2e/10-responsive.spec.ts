import type { Page } from '@playwright/test';
import { expect, test } from './helpers.ts';

/**
 * Acceptance 2: the page stays responsive while the engine works. The latency probe
 * (src/app/latencyProbe.ts) timestamps every key press: `delay` = event → first handler (the
 * main thread was free to take the input), `ms` = event → the next animation frame after the
 * handlers (the input visibly handled). Both are asserted on the worst case or the 95th
 * percentile, not only the median, during tracing and during calibration (e2e/04 does the heatmap).
 */

const PRESSES = 40;
/** presses that must fall while the job runs for the measurement to count */
const MIN_SAMPLES = 10;

interface Sample {
  delay: number;
  ms: number;
}

/** k-th smallest with k = ⌈p·n⌉ (nearest-rank percentile). */
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
};

/**
 * Press Shift every 40 ms, `PRESSES` times or until the job ends (the status bar leaves
 * 'busy') or its progress bar reaches `maxProgress`, and return the probe's samples of the
 * presses made while the job ran.
 */
async function pressAndMeasure(page: Page, maxProgress = 1): Promise<Sample[]> {
  const since = await page.evaluate(() => {
    const w = window as unknown as { __busyEnd?: number };
    w.__busyEnd = undefined;
    const status = document.querySelector('[data-testid="status"]')!;
    new MutationObserver((_, obs) => {
      if (status.getAttribute('data-level') !== 'busy') {
        w.__busyEnd = performance.now();
        obs.disconnect();
      }
    }).observe(status, { attributes: true });
    return performance.now();
  });
  const busyEnd = () => page.evaluate(() => (window as unknown as { __busyEnd?: number }).__busyEnd);
  const progress = async () =>
    Number((await page.getByTestId('progress').getAttribute('aria-valuenow')) ?? 0);
  for (
    let k = 0;
    k < PRESSES && (await busyEnd()) === undefined && (await progress()) < 100 * maxProgress;
    k++
  ) {
    await page.keyboard.press('Shift');
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(300); // the last frames
  const end = (await busyEnd()) ?? Number.POSITIVE_INFINITY;
  return page.evaluate(
    ([t, e]) =>
      (window.__rftwinInputLatencies ?? [])
        .filter((r) => r.type === 'keydown' && r.at >= t && r.at < e)
        .map((r) => ({ delay: r.delay, ms: r.ms })),
    [since, end] as const,
  );
}

function report(what: string, samples: Sample[]) {
  const d = samples.map((s) => s.delay);
  const m = samples.map((s) => s.ms);
  const line = `${what}: n=${samples.length}; handler delay max ${Math.max(...d).toFixed(1)} ms, p95 ${percentile(d, 0.95).toFixed(1)}, median ${percentile(d, 0.5).toFixed(1)}; painted max ${Math.max(...m).toFixed(1)} ms, p95 ${percentile(m, 0.95).toFixed(1)}, median ${percentile(m, 0.5).toFixed(1)}`;
  console.log(
    `${line}\n  per press (handler/painted ms): ${samples.map((s) => `${s.delay.toFixed(0)}/${s.ms.toFixed(0)}`).join(' ')}`,
  );
  return line;
}

/**
 * Worst case of the handler delay < 100 ms: nothing may block the main thread (input is
 * handled). The painted latency also waits for the next frame of the compositor, which here is
 * software (SwiftShader) on a shared 2-core machine that other test runs load as well: about one
 * frame in twenty then exceeds 100 ms whatever the page does (seen on an idle page too under
 * load), so its 95th percentile (nearest rank: 38 of 40 presses) must be < 100 ms.
 */
function assertResponsive(samples: Sample[], line: string) {
  expect(samples.length, line).toBeGreaterThanOrEqual(MIN_SAMPLES);
  expect(Math.max(...samples.map((s) => s.delay)), line).toBeLessThan(100);
  expect(
    percentile(
      samples.map((s) => s.ms),
      0.95,
    ),
    line,
  ).toBeLessThan(100);
}

/** Wait until the page draws frames steadily again (10 frames in a row < 50 ms apart; at most 10 s). */
function settle(page: Page) {
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

/** transmitters at 2.5 m over the demo room: its corners, edge centres and centre */
const TX: [number, number, number][] = [
  [0, 0, 2.5],
  [-4, -4, 2.5],
  [4, 4, 2.5],
  [-4, 4, 2.5],
  [4, -4, 2.5],
  [0, 4, 2.5],
  [0, -4, 2.5],
  [-4, 0, 2.5],
];

async function addDevice(page: Page, kind: 'tx' | 'rx', p: [number, number, number]) {
  for (const [k, axis] of (['x', 'y', 'z'] as const).entries())
    await page.getByTestId(`new-device-${axis}`).fill(String(p[k]));
  await page.getByTestId(kind === 'tx' ? 'add-tx-at' : 'add-rx-at').click();
}

test('input is handled within 100 ms while links are traced', async ({ studio: page }) => {
  // eight Tx and ten Rx traced at depth 1, then the depth raised to 8: one long trace (80 links)
  await page.getByLabel('maximum interactions per path').fill('1');
  for (const t of TX) await addDevice(page, 'tx', t);
  const rx: [number, number, number][] = [
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
  for (const p of rx) await addDevice(page, 'rx', p);
  await expect(page.getByTestId('status')).toContainText('Traced 80 links', { timeout: 30_000 });
  // what is measured is the page during the next trace: let the frames drawing these paths finish
  await settle(page);
  await page.getByLabel('maximum interactions per path').fill('8');
  await expect(page.getByTestId('status')).toContainText('Tracing', { timeout: 10_000 });
  await expect(page.getByTestId('status')).toHaveAttribute('data-level', 'busy');
  // while the engine traces (up to 90 % of its progress); receiving the result is measured below
  const samples = await pressAndMeasure(page, 0.9);
  const line = report('while tracing', samples);
  assertResponsive(samples, line);
  // then, for the record (not asserted): the page while the finished trace is received and drawn
  const since = await page.evaluate(() => performance.now());
  while ((await page.getByTestId('status').getAttribute('data-level')) === 'busy') {
    await page.keyboard.press('Shift');
    await page.waitForTimeout(40);
  }
  for (let k = 0; k < 8; k++) {
    await page.keyboard.press('Shift');
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(300);
  const arrival = await page.evaluate(
    (t) =>
      (window.__rftwinInputLatencies ?? [])
        .filter((r) => r.type === 'keydown' && r.at >= t)
        .map((r) => ({ delay: r.delay, ms: r.ms })),
    since,
  );
  await expect(page.getByTestId('status')).toContainText('Traced 80 links', { timeout: 60_000 });
  console.log(`trace measured: ${await page.getByTestId('status').textContent()}`);
  if (arrival.length) report('as the finished trace arrives and is drawn (not asserted)', arrival);
});

test('input is handled within 100 ms while calibration runs live', async ({ studio: page }) => {
  await page.getByTestId('soundings-input').setInputFiles('public/demo/soundings.csv');
  await expect(page.getByTestId('soundings-summary')).toContainText('50 links');
  // Adam for 2000 iterations: a long run posting one live update per iteration
  await page.getByLabel('optimiser').selectOption('adam');
  await page.getByLabel('maximum iterations').fill('2000');
  await settle(page);
  await page.getByTestId('calibrate-button').click();
  await expect.poll(() => page.getByTestId('calibration-iteration').count()).toBe(1);
  const samples = await pressAndMeasure(page);
  const line = report('while calibrating', samples);
  assertResponsive(samples, line);
  if (await page.getByTestId('calibrate-stop').isVisible()) await page.getByTestId('calibrate-stop').click();
  await expect(page.getByTestId('calibration-results')).toBeVisible({ timeout: 60_000 });
});
