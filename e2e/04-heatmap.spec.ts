import {
  clickWorld,
  expect,
  expectInputHandledDuringJob,
  expectNoLongTask,
  project,
  shot,
  test,
} from './helpers.ts';
import { jobLog, longTasksSince, pageNow, pressXray, warmUpXray, watchJob } from './work.ts';

/** Each metric of the radio map with the unit its colour bar must show. */
const METRICS: [string, string, string][] = [
  ['path-gain', 'path gain', 'dB'],
  ['coherent-gain', 'coherent gain', 'dB'],
  ['delay-spread', 'RMS delay spread', 'ns'],
  ['k-factor', 'K-factor', 'dB'],
  ['angular-spread', 'angular spread', 'deg'],
];

const TX: [number, number, number] = [-1, -1, 1.5];

test('a radio map is computed in the worker with progress; each metric has a legend with units and a value under the cursor; cancel works', async ({
  studio: page,
}) => {
  await page.keyboard.press('t');
  await clickWorld(page, [TX[0], TX[1], 0]);
  await expect(page.getByTestId('status')).toContainText('Placed Tx 1 at');
  await page.getByLabel('cell size (m)').fill('0.5');

  await page.getByTestId('heatmap-button').click();
  // progress while the worker computes; the page keeps handling input meanwhile
  await expect(page.getByTestId('status')).toContainText('Radio map');
  await expect(page.getByTestId('status')).toContainText(/Radio map from Tx 1: 2\d×2\d cells/, {
    timeout: 60_000,
  });
  const legend = page.getByTestId('heatmap-legend');
  await expect(legend).toBeVisible();
  await shot(page, '04a-heatmap-path-gain');

  for (const [id, label, unit] of METRICS) {
    await page.getByTestId('heatmap-metric').selectOption(id);
    await expect(legend).toHaveAttribute('data-metric', id);
    await expect(legend).toContainText(`${label} (${unit})`);
    // three finite tick values, increasing
    const ticks = (await legend.locator('.legend-ticks span').allTextContents()).map((t) =>
      Number.parseFloat(t),
    );
    expect(ticks).toHaveLength(3);
    for (const t of ticks) expect(Number.isFinite(t)).toBe(true);
    expect(ticks[2]!).toBeGreaterThanOrEqual(ticks[0]!);
    await shot(page, `04b-heatmap-${id}`);
  }

  // value under the cursor: path gain 2.5 m from the Tx is within a few dB of Friis (LoS dominates)
  await page.getByTestId('heatmap-metric').selectOption('path-gain');
  const at: [number, number, number] = [1.25, 0.25, 1.5];
  const [x, y] = await project(page, at);
  await page.mouse.move(x, y);
  const hover = page.getByTestId('heatmap-hover');
  await expect(hover).toContainText(' dB');
  const m = /\((-?[\d.]+), (-?[\d.]+)\) m: (-?[\d.]+) dB/.exec((await hover.textContent()) ?? '');
  expect(m, 'hover text').not.toBeNull();
  const [hx, hy, value] = [Number(m![1]), Number(m![2]), Number(m![3])];
  expect(Math.hypot(hx - at[0], hy - at[1])).toBeLessThan(0.3);
  const lambda = 299_792_458 / 28e9;
  const d = Math.hypot(hx - TX[0], hy - TX[1]);
  const friis = 20 * Math.log10(lambda / (4 * Math.PI * d));
  expect(Math.abs(value - friis)).toBeLessThan(6);
  await shot(page, '04c-heatmap-hover');

  // a fine grid takes long enough to cancel from the status bar
  await page.getByLabel('cell size (m)').fill('0.05');
  await warmUpXray(page); // the see-through shaders compiled before, not during, the work
  const since = await pageNow(page);
  await page.getByTestId('heatmap-button').click();
  await expect(page.getByTestId('cancel-button')).toBeVisible();
  await expect(page.getByTestId('progress')).toBeVisible();
  // responsiveness while the map computes, by structure (latency figures: bench/ui.bench.ts):
  // a key press is handled, X-ray on screen, while the map still computes; no main-thread task
  // over 500 ms (the map computes in the worker)
  await watchJob(page);
  await pressXray(page);
  await expect(page.getByTestId('xray-button')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('status')).toContainText('Radio map cancelled');
  expectInputHandledDuringJob(await jobLog(page));
  expectNoLongTask(
    await longTasksSince(page, since),
    'while the radio map computes',
    (await pageNow(page)) - since,
  );
});
