import { clickWorld, expect, project, shot, test } from './helpers.ts';

test('Tx and Rx are placed with the mouse, paths appear with metrics, hover and drag work', async ({
  studio: page,
}) => {
  await page.keyboard.press('t');
  await expect(page.getByTestId('status')).toContainText('place a transmitter');
  await clickWorld(page, [-1, -1, 0]);
  await expect(page.getByTestId('status')).toContainText('Placed Tx 1 at');
  // placed where clicked (to a pixel), at the placement height above the floor
  expect(Number(await page.getByLabel('Tx 1 x').inputValue())).toBeCloseTo(-1, 1);
  expect(Number(await page.getByLabel('Tx 1 y').inputValue())).toBeCloseTo(-1, 1);
  await expect(page.getByLabel('Tx 1 z')).toHaveValue('1.5');
  await page.getByTestId('place-rx').click();
  await clickWorld(page, [2, 1.5, 0]);
  await expect(page.getByTestId('device-list')).toContainText('Rx 1');
  await expect(page.getByLabel('Rx 1 z')).toHaveValue('1.5');

  // the tracer runs in the worker and the link's metrics appear
  const metrics = page.getByTestId('link-metrics');
  await expect(metrics).toBeVisible();
  await expect(page.getByTestId('metric-paths')).toContainText('(LoS)');
  const count = Number((await page.getByTestId('metric-paths').textContent())!.split(' ')[0]);
  expect(count).toBeGreaterThan(5); // LoS + floor + walls + boxes at depth 3
  // Friis check of the LoS-dominated total is in the engine's tests; here: a finite gain in dB
  await expect(page.getByTestId('metric-path-gain')).toHaveText(/^-\d+\.\d\d dB$/);
  await expect(page.getByTestId('pdp-plot')).toBeVisible();
  await expect(page.getByTestId('aoa-plot')).toBeVisible();
  await shot(page, '02a-devices-and-paths');

  // hover the line-of-sight path (midpoint between Tx and Rx) → tooltip with delay and gain
  const [mx, my] = await project(page, [0.5, 0.25, 1.5]);
  await page.mouse.move(mx - 3, my);
  await page.mouse.move(mx, my);
  await expect(page.getByTestId('path-tooltip')).toContainText('los');
  await expect(page.getByTestId('path-tooltip')).toContainText('delay');
  await shot(page, '02b-path-hover');

  // drag the receiver: its x,y change, its height stays, paths are traced again
  const [rx, ry] = await project(page, [2, 1.5, 1.5]);
  await page.mouse.move(rx, ry);
  await page.mouse.down();
  const [tx2, ty2] = await project(page, [3, -2, 1.5]);
  await page.mouse.move((rx + tx2) / 2, (ry + ty2) / 2, { steps: 4 });
  await page.mouse.move(tx2, ty2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => Number(await page.getByLabel('Rx 1 x').inputValue())).toBeCloseTo(3, 1);
  await expect.poll(async () => Number(await page.getByLabel('Rx 1 y').inputValue())).toBeCloseTo(-2, 1);
  await expect(page.getByLabel('Rx 1 z')).toHaveValue('1.5');

  // edit coordinates by keyboard
  await page.getByLabel('Tx 1 z').fill('2.5');
  await expect(page.getByTestId('status')).toContainText('Traced 1 links');
  await shot(page, '02c-device-moved');
});
