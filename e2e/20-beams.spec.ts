import { expect, shot, test } from './helpers.ts';
import { addDevice } from './work.ts';

/**
 * Issue 15, acceptance 5: arrays and codebooks set on the devices in the studio, the beam-pair
 * gain matrix of a link shown with its best pair, the chosen Tx beam drawn as a lobe in the 3D
 * view pointing at the receiver's side, and a throughput map drawn with its legend and unit.
 */
const TX: [number, number, number] = [-4, 0, 1.5];
const RX: [number, number, number] = [3, 1, 1.2];

test('arrays on Tx and Rx, the gain matrix of their link, the beam lobe, and a throughput map with legend and units', async ({
  studio: page,
}) => {
  test.setTimeout(300_000);
  await page.getByTestId('backend-select').selectOption('cpu');
  await page.getByLabel('maximum interactions per path').fill('1');
  await addDevice(page, 'tx', TX);
  await addDevice(page, 'rx', RX);
  const rows = page.getByTestId('device-list').locator('tbody tr');
  await expect(rows).toHaveCount(2);

  // Tx: 8×4 array, 16-sector sweep; Rx: 4×4 DFT
  await rows.nth(0).click();
  await page.getByTestId('beam-size').fill('8x4');
  await page.getByTestId('beam-codebook').fill('sectors:16');
  await page.getByTestId('beam-apply').click();
  await expect(page.getByTestId('beam-device-state')).toHaveText('8x4, sectors:16');
  await rows.nth(1).click();
  // a bad codebook is refused next to the field, the device keeps its single element
  await page.getByTestId('beam-size').fill('4x4');
  await page.getByTestId('beam-codebook').fill('fft');
  await page.getByTestId('beam-apply').click();
  await expect(page.getByTestId('beam-problem')).toContainText('codebook must be dft');
  await expect(page.getByTestId('beam-device-state')).toHaveText('single element');
  await page.getByTestId('beam-codebook').fill('dft');
  await page.getByTestId('beam-apply').click();
  await expect(page.getByTestId('beam-device-state')).toHaveText('4x4, dft');

  // the gain matrix of the link: 16 Tx beams × 16 Rx beams, best pair and rate
  await page.getByTestId('beam-pairs').click();
  await expect(page.getByTestId('beam-best')).toContainText(
    /best pair sector \d+ \/ dft \d+,\d+: -?\d+\.\d dB, SNR/,
    {
      timeout: 60_000,
    },
  );
  const canvas = page.getByTestId('beam-matrix-canvas');
  await expect(canvas).toHaveAttribute('aria-label', 'beam-pair gain matrix, 16 Tx beams by 16 Rx beams, dB');
  expect(await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([16, 16]);
  await expect(page.getByTestId('beam-matrix-legend')).toContainText('dB');

  // the lobe at the Tx, its peak towards the receiver's side (+x, the LoS)
  await expect
    .poll(() => page.evaluate(() => window.__rftwinBeamLobe?.()?.vertices ?? 0))
    .toBeGreaterThan(1000);
  const lobe = await page.evaluate(() => window.__rftwinBeamLobe!());
  expect(lobe.origin).toEqual(TX);
  const los = [RX[0] - TX[0], RX[1] - TX[1], RX[2] - TX[2]];
  const n = Math.hypot(...los);
  const cos = lobe.peakDirection.reduce((s, v, k) => s + (v * los[k]!) / n, 0);
  expect(cos).toBeGreaterThan(Math.cos((20 * Math.PI) / 180));
  await shot(page, '20a-beam-lobe-matrix');

  // a throughput map from the Tx with its array: legend with the metric and Mb/s
  await page.getByTestId('heatmap-cell').fill('1');
  await page.getByTestId('heatmap-button').click();
  await expect(page.getByTestId('status')).toContainText('Radio map from Tx 1', { timeout: 120_000 });
  await page.getByTestId('heatmap-metric').selectOption('throughput');
  const legend = page.getByTestId('heatmap-legend');
  await expect(legend).toHaveAttribute('data-metric', 'throughput');
  await expect(legend).toContainText('throughput (Mb/s)');
  await page.getByTestId('heatmap-metric').selectOption('snr');
  await expect(legend).toContainText('SNR (dB)');
  await page.getByTestId('heatmap-metric').selectOption('mcs');
  await expect(legend).toContainText('MCS');
  await page.getByTestId('heatmap-metric').selectOption('throughput');
  await shot(page, '20b-throughput-map');
});
