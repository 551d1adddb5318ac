import { readFileSync } from 'node:fs';
import { expect, shot, test } from './helpers.ts';

/** Conductivities the demo soundings were synthesised with (ITU × (1 + δ), public/demo/truth.json). */
const truth = JSON.parse(readFileSync('public/demo/truth.json', 'utf8')) as {
  materials: Record<string, { conductivity: number }>;
};

test('soundings are uploaded and calibration runs live to completion with estimates ± std', async ({
  studio: page,
}) => {
  const calibrate = page.getByTestId('calibrate-button');
  await expect(calibrate).toBeDisabled(); // no soundings yet
  await page.getByTestId('soundings-input').setInputFiles('public/demo/soundings.csv');
  await expect(page.getByTestId('soundings-summary')).toContainText('soundings.csv: 50 links');
  await expect(page.getByTestId('status')).toContainText('50 links');

  // record every length the loss curve takes while it is drawn: a live curve grows step by step
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { __lossPoints: Set<string> }).__lossPoints = seen;
    new MutationObserver(() => {
      const n = document.querySelector('[data-testid="loss-curve"]')?.getAttribute('data-points');
      if (n && !document.querySelector('[data-testid="calibration-results"]')) seen.add(n);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await calibrate.click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-level', 'busy');
  const results = page.getByTestId('calibration-results');
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('status')).toContainText('Calibration done');
  const seen = await page.evaluate(() => [
    ...(window as unknown as { __lossPoints: Set<string> }).__lossPoints,
  ]);
  expect(seen.length, `loss-curve lengths seen while running: ${seen.join(', ')}`).toBeGreaterThan(2);
  expect(Number(await page.getByTestId('loss-curve').getAttribute('data-points'))).toBeGreaterThan(2);
  // one trajectory per trained parameter (the five conductivities)
  await expect(page.getByTestId('trajectory-plot').locator('polyline')).toHaveCount(
    Object.keys(truth.materials).length,
  );

  // one conductivity per material of the room, each with a finite positive std
  const rows = page.getByTestId('calibration-estimate');
  await expect(rows).toHaveCount(Object.keys(truth.materials).length);
  for (const id of Object.keys(truth.materials)) {
    const row = rows.and(page.locator(`[data-owner="${id}"][data-name="conductivity"]`));
    const est = Number(await row.getAttribute('data-estimate'));
    const std = Number(await row.getAttribute('data-std'));
    expect(est, id).toBeGreaterThan(0);
    expect(std, id).toBeGreaterThan(0);
    await expect(row).toContainText('±');
  }
  // brick (floor and walls) is what the soundings see best: its estimate agrees with the
  // synthesis truth within 3 std, and that std is tight (< 20 %)
  const brick = rows.and(page.locator('[data-owner="itu_brick"]'));
  const b = Number(await brick.getAttribute('data-estimate'));
  const bStd = Number(await brick.getAttribute('data-std'));
  const bTrue = truth.materials.itu_brick!.conductivity;
  expect(Math.abs(b - bTrue)).toBeLessThan(3 * bStd);
  expect(bStd / bTrue).toBeLessThan(0.2);
  await shot(page, '06a-calibration-done');

  // the estimates become the twin's materials, marked as calibrated
  await page.getByTestId('calibrate-apply').click();
  await expect(page.getByTestId('material-legend')).toContainText('calibrated');
  await shot(page, '06b-calibration-applied');
});
