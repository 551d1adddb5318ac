import type { Page } from '@playwright/test';
import { clickWorld, expect, shot, test } from './helpers.ts';

/**
 * Undo / redo of device edits and material overrides, the workspace kept in IndexedDB across a
 * reload and "New", and the link views: per-device antenna, plots, the sortable path table and
 * its 3D highlight, the keys dialog. On the demo room (scripts/make-demo-room.ts).
 */

type V3 = [number, number, number];
const TX: V3 = [-1, -1, 1.5];
const RX: V3 = [2, 1.5, 1.5];

async function addDevice(page: Page, kind: 'tx' | 'rx', p: V3) {
  for (const [k, axis] of ['x', 'y', 'z'].entries())
    await page.getByTestId(`new-device-${axis}`).fill(String(p[k]));
  await page.getByTestId(`add-${kind}-at`).click();
}

test('undo and redo a device move and a material override; a reload restores the workspace; New clears it', async ({
  studio: page,
}) => {
  await addDevice(page, 'tx', TX);
  await addDevice(page, 'rx', RX);
  await expect(page.getByTestId('status')).toContainText('Traced 1 links');

  // a device move, typed
  await page.getByLabel('Tx 1 x').fill('0.5');
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo move Tx 1');
  // a material override: the wooden box becomes ITU metal (top of the box at (−3, 3, 1))
  await clickWorld(page, [-3, 3, 1]);
  const inspector = page.getByTestId('material-inspector');
  await expect(inspector.getByTestId('inspector-object')).toHaveText('box_wood');
  await inspector.getByTestId('itu-select').selectOption('metal');
  await expect(inspector.getByTestId('inspector-material')).toContainText('ITU metal');
  await expect(page.getByTestId('undo')).toHaveAttribute('aria-label', 'Undo set itu_wood');
  await shot(page, '15a-before-undo');

  // undo the override (button), then the move (Ctrl+Z)
  await page.getByTestId('undo').click();
  await expect(inspector.getByTestId('inspector-material')).toContainText('itu_wood');
  await expect(page.getByTestId('redo')).toHaveAttribute('aria-label', 'Redo set itu_wood');
  await page.getByTestId('undo').blur();
  await page.keyboard.press('Control+z');
  await expect(page.getByLabel('Tx 1 x')).toHaveValue('-1');
  await expect(page.getByTestId('redo')).toHaveAttribute('aria-label', 'Redo move Tx 1');
  // redo both (Ctrl+Shift+Z, then the button)
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByLabel('Tx 1 x')).toHaveValue('0.5');
  await page.getByTestId('redo').click();
  await expect(inspector.getByTestId('inspector-material')).toContainText('ITU metal');
  await expect(page.getByTestId('redo')).toBeDisabled();
  await expect(page.getByTestId('status')).toContainText('Traced 1 links');

  // reload: the twin, devices and the override come back from IndexedDB
  await page.waitForTimeout(600); // the autosave writes 300 ms after the last change
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('Restored the workspace', { timeout: 30_000 });
  await expect(page.getByLabel('Tx 1 x')).toHaveValue('0.5');
  await expect(page.getByLabel('Rx 1 y')).toHaveValue('1.5');
  await clickWorld(page, [-3, 3, 1]);
  await expect(inspector.getByTestId('inspector-material')).toContainText('ITU metal');
  await expect(page.getByTestId('undo')).toBeDisabled(); // a restored workspace starts a new history
  await shot(page, '15b-restored-after-reload');

  // New workspace: confirmed, it forgets everything and opens the demo afresh
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('new-workspace').click();
  await expect(page.getByTestId('status')).toContainText('New workspace');
  await expect(page.getByTestId('device-list')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('Restored the workspace', { timeout: 30_000 });
  await expect(page.getByTestId('device-list')).toHaveCount(0);
  await clickWorld(page, [-3, 3, 1]);
  await expect(inspector.getByTestId('inspector-material')).toContainText('itu_wood');
});

test('per-device antenna and power feed the trace; the path table sorts and highlights in 3D; the keys dialog closes on Esc', async ({
  studio: page,
}) => {
  await addDevice(page, 'tx', TX);
  await addDevice(page, 'rx', RX);
  await expect(page.getByTestId('status')).toContainText('Traced 1 links');

  // the path table sorted by delay: the line-of-sight path first, at d/c with the Friis gain
  const d = Math.hypot(RX[0] - TX[0], RX[1] - TX[1], RX[2] - TX[2]);
  const c = 299_792_458;
  const lambda = c / 28e9;
  const friisDb = 20 * Math.log10(lambda / (4 * Math.PI * d));
  await page.getByTestId('sort-delay').click();
  await expect(page.getByTestId('path-table')).toHaveAttribute('data-sort', 'delay:asc');
  const first = page.getByTestId('path-row').first();
  const cells = first.locator('td');
  await expect(cells.nth(1)).toHaveText('LoS');
  expect(Number(await cells.nth(2).textContent())).toBeCloseTo((d / c) * 1e9, 3);
  expect(Number(await cells.nth(3).textContent())).toBeCloseTo(friisDb, 2);
  const delays = await page
    .getByTestId('path-row')
    .evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[2]!.textContent)));
  expect(delays.length).toBeGreaterThan(5);
  expect([...delays].sort((a, b) => a - b)).toEqual(delays);
  // hovering a row highlights that path in the 3D view
  const third = page.getByTestId('path-row').nth(2);
  await third.hover();
  await expect(page.getByTestId('viewport')).toHaveAttribute(
    'data-highlighted-path',
    `0:${await third.getAttribute('data-path')}`,
  );
  await expect(page.getByTestId('pdp-plot')).toContainText('delay τ (ns)');
  await expect(page.getByTestId('pdp-plot')).toContainText('path gain |a|² (dB)');
  await expect(page.getByTestId('cir-plot')).toBeVisible();
  await expect(page.getByTestId('aoa-plot')).toBeVisible();
  await page.getByTestId('link-panel').scrollIntoViewIfNeeded();
  await shot(page, '15c-path-table-highlight');

  // Tx 1's own antenna: a short dipole along z gains 10·log10(1.5) dB on the horizontal LoS
  await page.locator('[data-testid="device-list"] tr[data-name="Tx 1"] td').first().click();
  await expect(page.getByTestId('antenna-panel')).toContainText('Tx 1 antenna');
  await page.getByTestId('antenna-pattern').selectOption('dipole');
  await expect(page.getByTestId('antenna-panel')).toContainText('(its own)');
  await expect(page.getByTestId('status')).toContainText('Traced 1 links');
  await expect
    .poll(async () => Number(await page.getByTestId('path-row').first().locator('td').nth(3).textContent()))
    .toBeCloseTo(friisDb + 10 * Math.log10(1.5), 2);
  // its power: received power = Tx power + path gain
  await page.getByTestId('antenna-power').fill('abc');
  await expect(page.getByTestId('antenna-power-problem')).toContainText('Tx power must be a number of dBm');
  await page.getByTestId('antenna-power').fill('10');
  await expect
    .poll(async () => {
      const gain = Number(await page.getByTestId('metric-path-gain').getAttribute('data-value'));
      const rx = Number(await page.getByTestId('metric-rx-power').getAttribute('data-value'));
      return rx - gain;
    })
    .toBeCloseTo(10, 9);
  await shot(page, '15d-antenna-panel');

  // the keys dialog: ? opens it, Esc closes it
  await page.getByTestId('antenna-power').blur();
  await page.keyboard.press('?');
  await expect(page.getByTestId('keyboard-help')).toBeVisible();
  await expect(page.getByTestId('keyboard-help')).toContainText('Ctrl+Z');
  await shot(page, '15e-keys-dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('keyboard-help')).toBeHidden();
});
