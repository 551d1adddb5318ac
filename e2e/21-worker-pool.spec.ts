import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { clickWorld, expect, shot, test } from './helpers.ts';

/**
 * Issue 20, acceptance 2: a CPU radio map computed by the studio's pool of Web Workers (blocks of
 * rows, worker/webWorkerPool.ts) equals the map of the engine worker alone, cell by cell, in every
 * exported column; and the page keeps handling input while the pool computes.
 */
const out = mkdtempSync(join(tmpdir(), 'rftwin-e2e-pool-'));

async function exportJson(page: Page, name: string): Promise<Record<string, unknown>> {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('heatmap-export-json').click(),
  ]);
  const path = join(out, name);
  await dl.saveAs(path);
  const map = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete map.stats; // timings
  return map;
}

async function mapWith(page: Page, workers: number, name: string) {
  const field = page.getByLabel('radio map workers');
  await field.fill(String(workers));
  await field.press('Enter');
  await page.getByTestId('heatmap-button').click();
  const label = workers > 1 ? `CPU × ${workers} workers` : 'CPU';
  await expect(page.getByTestId('status')).toContainText(
    new RegExp(`Radio map from Tx 1: \\d+×\\d+ cells in \\d+ ms on ${label.replace(/[×]/g, '.')}$`),
    {
      timeout: 120_000,
    },
  );
  return exportJson(page, name);
}

test('the Web Worker pool computes the same radio map as one worker, cell by cell', async ({
  studio: page,
}) => {
  await page.keyboard.press('t');
  await clickWorld(page, [-1, -1, 0]);
  await expect(page.getByTestId('status')).toContainText('Placed Tx 1 at');
  await page.getByTestId('backend-select').selectOption('cpu');
  await page.getByLabel('cell size (m)').fill('0.5');

  const single = await mapWith(page, 1, 'one-worker.json');
  const pooled = await mapWith(page, 2, 'two-workers.json');
  await shot(page, '21a-worker-pool-map');
  const cells = (single.nx as number) * (single.ny as number);
  expect(cells).toBeGreaterThan(100);
  expect((single.path_gain_db as (number | null)[]).filter((v) => v !== null).length).toBeGreaterThan(
    cells / 2,
  );
  expect(Object.keys(pooled).sort()).toEqual(Object.keys(single).sort());
  for (const key of Object.keys(single)) expect(pooled[key], key).toEqual(single[key]);

  // the page handles a key press while the pool computes a finer map, and Cancel ends the workers
  await page.getByLabel('cell size (m)').fill('0.05');
  await page.getByTestId('heatmap-button').click();
  await expect(page.getByTestId('cancel-button')).toBeVisible();
  await page.keyboard.press('?');
  await expect(page.getByTestId('keyboard-help')).toBeVisible();
  await page.getByTestId('keyboard-help-close').click();
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('status')).toContainText('Radio map cancelled');
});
