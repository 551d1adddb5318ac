import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './helpers.ts';
import { addDevice, clickPlan } from './work.ts';

/**
 * Issue 14 acceptance 5: a person is added, its walk drawn with the mouse on the floor plan, the
 * timeline computed and played, the shadow-loss plot shows the blockage fade, the timeline exports
 * as JSON lines and the twin JSON re-imports with the actor and its walk.
 */

async function download(page: Page, testId: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = `e2e-artifacts/${dl.suggestedFilename()}`;
  await dl.saveAs(path);
  return path;
}

test('a person walks across a link: timeline, fade, export, twin JSON round trip', async ({
  studio: page,
}) => {
  test.setTimeout(600_000);
  // a 4 m link across the demo room, clear of its boxes
  await addDevice(page, 'tx', [-3, 0, 1.2]);
  await addDevice(page, 'rx', [1, 0, 1.2]);
  const panel = page.getByTestId('dynamics-panel');
  await panel.getByTestId('add-person').click();
  const actor = panel.getByTestId('actor-person-1');
  await expect(actor).toBeVisible();
  // drawing starts with the new actor: two clicks on the floor plan, across the link
  const plan = panel.getByTestId('floor-plan');
  await clickPlan(plan, -1, -2);
  await clickPlan(plan, -1, 2);
  await expect(actor).toHaveAttribute('data-waypoints', '2');
  await panel.getByTestId('draw-walk-person-1').click(); // done drawing
  await shot(page, '19a-walk-drawn');

  await panel.getByTestId('run-timeline').click();
  // 4 m at 1 m/s every 0.1 s: about 41 steps (the clicked waypoints are as exact as the pixels)
  await expect(page.getByTestId('status')).toContainText(/Timeline: \d+ steps/, { timeout: 540_000 });
  const n = Number(/Timeline: (\d+) steps/.exec((await page.getByTestId('status').textContent())!)![1]);
  expect(Math.abs(n - 41)).toBeLessThanOrEqual(1);
  // the shadow loss plot spans the fade: several dB between the open link and full blockage
  const sl = panel.getByTestId('timeline-plot-shadowLossDb');
  const lo = Number(await sl.getAttribute('data-min'));
  const hi = Number(await sl.getAttribute('data-max'));
  expect(hi - lo).toBeGreaterThan(3);
  // at t = 2 s the body stands on the line of sight; at t = 0 it does not
  const scrub = panel.getByTestId('timeline-scrub');
  await scrub.fill('20');
  await expect(panel.getByTestId('timeline-time')).toHaveText('2.00 s');
  await expect(panel.getByTestId('timeline-step')).toContainText('LoS blocked');
  const blocked = Number(await panel.getByTestId('timeline-step').getAttribute('data-shadow-loss'));
  expect(blocked).toBeGreaterThan(hi - 3); // the fade is at the crossing
  await scrub.fill('0');
  await expect(panel.getByTestId('timeline-step')).not.toContainText('LoS blocked');
  await shot(page, '19b-timeline');

  // play: the shown time moves on; pause stops it
  await panel.getByTestId('timeline-play').click();
  await expect(panel.getByTestId('timeline-time')).not.toHaveText('0.00 s');
  await panel.getByTestId('timeline-play').click();
  await expect(panel.getByTestId('timeline-play')).toHaveText('Play');

  // the timeline as JSON lines: a header and one line per step, as `rftwin timeline` writes
  const lines = readFileSync(await download(page, 'export-timeline'), 'utf8')
    .trim()
    .split('\n');
  expect(lines).toHaveLength(n + 1);
  const header = JSON.parse(lines[0]!).header;
  expect(header.actors[0]).toMatchObject({ actor: 'person-1', kind: 'human', speed: 1 });
  const step20 = JSON.parse(lines[21]!);
  expect(step20.t).toBeCloseTo(2, 9);
  expect(step20.metrics.los).toBe(false);
  expect(step20.metrics.shadow_loss_db).toBeCloseTo(blocked, 6);

  // the twin JSON carries the actor and its walk; re-importing brings them back
  const twinPath = await download(page, 'export-json-button');
  const twin = JSON.parse(readFileSync(twinPath, 'utf8'));
  expect(twin.actors).toHaveLength(1);
  expect(twin.actors[0].waypoints).toHaveLength(2);
  await panel.getByTestId('add-box').click(); // a change the re-import must undo
  await page.getByTestId('file-input').setInputFiles(twinPath);
  await expect(page.getByTestId('status')).toContainText('Loaded room');
  await expect(panel.getByTestId('actor-list').locator('li')).toHaveCount(1);
  await expect(panel.getByTestId('actor-person-1')).toHaveAttribute('data-waypoints', '2');
  const w = twin.actors[0].waypoints as number[][];
  expect(w[0]![0]).toBeCloseTo(-1, 1);
  expect(w[0]![1]).toBeCloseTo(-2, 1);
  expect(w[1]![1]).toBeCloseTo(2, 1);
  await shot(page, '19c-reimported');
});
