import type { Page } from '@playwright/test';
import { expect, shot, test } from './helpers.ts';

/**
 * The main flow with the keyboard only (Tab / Shift+Tab, Enter, Space, typed values and the
 * documented shortcuts): no mouse event is sent in this file.
 */

interface Focused {
  id: string;
  visible: boolean;
  outline: string;
}

/** What has the focus: its test id, label or text; whether it is visible and how focus is drawn. */
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: 'body', visible: false, outline: 'none' };
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return {
      id: el.dataset.testid ?? el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 24),
      visible: r.width > 2 && r.height > 2 && cs.visibility !== 'hidden',
      outline:
        cs.outlineStyle === 'none' || cs.outlineWidth === '0px'
          ? 'none'
          : `${cs.outlineStyle} ${cs.outlineWidth}`,
    };
  });

/** Press Tab until the control `id` (test id, aria-label or text start) has the focus. */
async function tabTo(page: Page, id: string, max = 150): Promise<Focused> {
  for (let k = 0; k < max; k++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.id === id || f.id.startsWith(id)) return f;
  }
  throw new Error(`${id} not reached with ${max} Tab presses`);
}

/** Replace the value of the focused number input by typing. */
async function typeValue(page: Page, value: string) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(value);
}

test('the main flow runs with the keyboard only: open, devices, trace, heatmap, calibrate (pause/stop), export', async ({
  studio: page,
}) => {
  test.slow(); // the whole flow in one test: on a loaded 2-core machine it nears the 90 s default
  // every stop of a full Tab cycle is a visible control with a visible focus ring, and the
  // main actions come in reading order: toolbar, devices, radio map, calibration, planning, export
  const order: Focused[] = [];
  for (let k = 0; k < 90; k++) {
    await page.keyboard.press('Tab');
    order.push(await focused(page));
  }
  const ids = order.map((f) => f.id);
  const invisible = order.filter((f) => f.id !== 'body' && (!f.visible || f.outline === 'none'));
  expect(
    invisible,
    `focus stops without a visible control or focus ring: ${JSON.stringify(invisible)}`,
  ).toEqual([]);
  const main = ['Open…', 'place-tx', 'place-rx', 'add-tx-at', 'add-rx-at', 'heatmap-button', 'export-button'];
  const at = main.map((m) => ids.findIndex((id) => id.startsWith(m)));
  expect(
    at.every((i) => i >= 0),
    `tab order: ${ids.join(' | ')}`,
  ).toBe(true);
  expect(
    [...at].sort((a, b) => a - b),
    `tab order: ${ids.join(' | ')}`,
  ).toEqual(at);
  await page.keyboard.press('Escape');

  // open the soundings through the Open… button (Enter opens the file chooser)
  // (the chooser is awaited before the key press: Playwright intercepts file dialogs only once
  // it listens, and a dialog opened earlier would be the browser's own)
  const chooser = page.waitForEvent('filechooser');
  await page.waitForTimeout(200);
  const open = await tabTo(page, 'Open…');
  expect(open.outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles('public/demo/soundings.csv');
  await expect(page.getByTestId('soundings-summary')).toContainText('soundings.csv: 50 links');

  // a transmitter and a receiver at typed coordinates (the positions of the first sounding)
  await tabTo(page, 'new-device-x');
  await typeValue(page, '0');
  await page.keyboard.press('Tab');
  await typeValue(page, '0');
  await page.keyboard.press('Tab');
  await typeValue(page, '2.5');
  await page.keyboard.press('Tab');
  expect((await focused(page)).id).toBe('add-tx-at');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  expect((await focused(page)).id).toBe('new-device-x');
  await typeValue(page, '-4');
  await page.keyboard.press('Tab');
  await typeValue(page, '0.5');
  await page.keyboard.press('Tab');
  await typeValue(page, '1.5');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect((await focused(page)).id).toBe('add-rx-at');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('device-list').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByLabel('Rx 1 x')).toHaveValue('-4');
  // the link is traced as soon as both ends exist
  await expect(page.getByTestId('metric-paths')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('metric-paths')).toContainText('(LoS)');
  expect(Number((await page.getByTestId('metric-paths').textContent())!.split(' ')[0])).toBeGreaterThan(0);
  await shot(page, '09a-keyboard-devices-traced');

  // heatmap: Tab to Compute, Enter
  await tabTo(page, 'heatmap-button');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('heatmap-legend')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('status')).toContainText('Radio map', { timeout: 60_000 });
  await expect(page.getByTestId('status')).not.toHaveAttribute('data-level', 'busy', { timeout: 60_000 });

  // calibration: Adam for 300 iterations (arrow keys on the select, typed count), Space to start,
  // P pauses, Enter on Resume, S stops and keeps the estimate
  await tabTo(page, 'optimiser');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByLabel('optimiser')).toHaveValue('adam');
  await tabTo(page, 'calibration-max-iterations');
  await typeValue(page, '300');
  const cal = await tabTo(page, 'calibrate-button');
  expect(cal.outline).not.toBe('none');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('calibrate-pause')).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.getByTestId('calibrate-resume')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('paused');
  await tabTo(page, 'calibrate-resume');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('calibrate-pause')).toBeVisible();
  await expect
    .poll(async () =>
      Number((await page.getByTestId('calibration-iteration').getAttribute('data-iteration')) ?? 0),
    )
    .toBeGreaterThan(0);
  await page.keyboard.press('s');
  await expect(page.getByTestId('calibration-results')).toContainText('stopped by user', { timeout: 30_000 });
  await shot(page, '09b-keyboard-calibration-stopped');

  // export with the Tab-reached button
  await tabTo(page, 'export-button');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);

  // the shortcuts are documented in the toolbar's Keys disclosure (Enter opens it)
  await tabTo(page, 'Keys ?');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('keyboard-help')).toContainText('pause / resume the running calibration');
  await shot(page, '09c-keyboard-help');
});
