import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, project, shot, test } from './helpers.ts';
import { addDevice } from './work.ts';

/**
 * Issue 13, acceptance 2: the radio-map panel's map of delay spread, for Tx 2, over a rectangle
 * dragged in the 3D view at a chosen plane height, is the map `rftwin radiomap` computes with
 * the same settings, cell by cell; its PNG, CSV and JSON exports are the CLI's files; and a cell
 * reached by a single path reads "single path (K = ∞)", not "no path".
 */
const TX1: [number, number, number] = [0, 0, 2.5];
const TX2: [number, number, number] = [-3, 3, 2];
const PLANE_Z = 1.2;
const CELL = 0.25;
const LOW_Z = 0.3;
const BEST_SERVER_CELL = 0.5;
const out = mkdtempSync(join(tmpdir(), 'rftwin-e2e-radiomap-'));

async function save(page: Page, testId: string): Promise<{ name: string; path: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(out, dl.suggestedFilename());
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), path };
}

/** `rftwin radiomap` of the same transmitter, plane, area and cell, CPU backend, default channel. */
function cliRadioMap(bounds: number[], { tx = ['--tx', TX2.join(',')], cell = CELL, name = 'cli' } = {}) {
  const files = {
    json: join(out, `${name}.json`),
    png: join(out, `${name}.png`),
    csv: join(out, `${name}.csv`),
  };
  execFileSync(
    process.execPath,
    [
      'bin/rftwin.mjs',
      'radiomap',
      '--scene',
      'public/demo/room.xml',
      '--frequency',
      '28e9',
      ...tx,
      '--plane',
      `z=${PLANE_Z}`,
      '--bounds',
      bounds.join(','),
      '--cell',
      String(cell),
      '--metric',
      'delay-spread',
      '--backend',
      'cpu',
      '--out',
      files.json,
      '--png',
      files.png,
      '--csv',
      files.csv,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 },
  );
  return files;
}

const bound = async (page: Page, id: string) => Number(await page.getByTestId(id).inputValue());

/** A map file without its timings (stats: milliseconds of this run), which no two runs share. */
const withoutTimings = (path: string) => {
  const { stats: _stats, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return rest;
};

test('a delay-spread map for Tx 2 over a dragged rectangle at a chosen height is the CLI map, cell by cell; PNG, CSV and JSON exported', async ({
  studio: page,
}) => {
  test.setTimeout(300_000);
  await page.getByTestId('backend-select').selectOption('cpu');
  await addDevice(page, 'tx', TX1);
  await addDevice(page, 'tx', TX2);
  await expect(page.getByTestId('device-list').locator('tbody tr')).toHaveCount(2);

  // transmitter, plane height and metric
  await page.getByTestId('heatmap-tx').selectOption({ label: 'Tx 2' });
  await page.getByTestId('heatmap-z').fill(String(PLANE_Z));
  await page.getByTestId('heatmap-cell').fill(String(CELL));
  await page.getByTestId('heatmap-metric').selectOption('delay-spread');

  // the area: a rectangle dragged in the 3D view on the plane (x −4 … −1, y 1 … 3)
  await page.getByTestId('heatmap-drag-area').click();
  await expect(page.getByTestId('heatmap-drag-area')).toHaveAttribute('aria-pressed', 'true');
  // the view takes the drag once the tool's listeners are in (a frame later on a loaded machine)
  await expect(page.locator('canvas[data-map-area-tool="armed"]')).toHaveCount(1);
  const [ax, ay] = await project(page, [-4, 1, PLANE_Z]);
  const [bx, by] = await project(page, [-1, 3, PLANE_Z]);
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  await page.mouse.move((ax + bx) / 2, (ay + by) / 2, { steps: 4 });
  await page.mouse.move(bx, by, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('heatmap-drag-area')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('status')).toContainText('Radio map area');
  // where the mouse went, to a pixel's width on the plane (the viewport shows ~12 m in ~900 px);
  // the fields show the store's bounds a render after the drag ends
  const readBounds = async () => [
    await bound(page, 'heatmap-xmin'),
    await bound(page, 'heatmap-ymin'),
    await bound(page, 'heatmap-xmax'),
    await bound(page, 'heatmap-ymax'),
  ];
  await expect
    .poll(async () => Math.max(...(await readBounds()).map((b, k) => Math.abs(b - [-4, 1, -1, 3][k]!))))
    .toBeLessThan(0.1);
  const bounds = await readBounds();
  console.log(`dragged area: ${bounds.join(', ')}`);

  // the cell count (and an estimate) before running
  const cells = page.getByTestId('heatmap-cells');
  const nx = Number(await cells.getAttribute('data-nx'));
  const ny = Number(await cells.getAttribute('data-ny'));
  expect(nx).toBe(Math.ceil((bounds[2]! - bounds[0]!) / CELL - 1e-9));
  expect(ny).toBe(Math.ceil((bounds[3]! - bounds[1]!) / CELL - 1e-9));
  await expect(cells).toContainText(`${nx} × ${ny} = ${nx * ny} cells`);
  await page.getByTestId('heatmap-estimate-button').click();
  await expect(page.getByTestId('heatmap-estimate')).toContainText(/≈ .* on CPU \(timed on \d+ cells\)/, {
    timeout: 60_000,
  });
  await shot(page, '16a-radio-map-setup');

  await page.getByTestId('heatmap-button').click();
  await expect(page.getByTestId('status')).toContainText(`Radio map from Tx 2: ${nx}×${ny} cells`, {
    timeout: 120_000,
  });
  await expect(page.getByTestId('heatmap-legend')).toHaveAttribute('data-metric', 'delay-spread');
  await shot(page, '16b-radio-map-delay-spread');

  const png = await save(page, 'heatmap-export-png');
  const csv = await save(page, 'heatmap-export-csv');
  const json = await save(page, 'heatmap-export-json');
  expect(png.name).toBe('room-radiomap-delay-spread.png');
  expect(csv.name).toBe('room-radiomap.csv');
  expect(json.name).toBe('room-radiomap.json');

  const cli = cliRadioMap(bounds);
  const studioMap = withoutTimings(json.path);
  const cliMap = withoutTimings(cli.json);
  expect(studioMap.tx).toEqual(TX2);
  expect(studioMap.plane_z).toBe(PLANE_Z);
  expect([studioMap.nx, studioMap.ny]).toEqual([nx, ny]);
  // cell by cell: every column of every cell, as written (the CLI's rounding)
  const ds = studioMap.rms_delay_spread_ns as (number | null)[];
  const cliDs = cliMap.rms_delay_spread_ns as (number | null)[];
  expect(ds).toHaveLength(nx * ny);
  let differ = 0;
  for (let i = 0; i < ds.length; i++) if (ds[i] !== cliDs[i]) differ++;
  expect(differ, 'cells whose delay spread differs from the CLI').toBe(0);
  const spread = ds.filter((v): v is number => v !== null);
  console.log(
    `${ds.length} cells, ${spread.length} with paths, delay spread ${Math.min(...spread).toFixed(2)} … ${Math.max(...spread).toFixed(2)} ns`,
  );
  expect(spread.length).toBeGreaterThan(0.9 * ds.length);
  expect(studioMap).toEqual(cliMap);
  // the files are the CLI's files, byte for byte
  expect(readFileSync(csv.path).equals(readFileSync(cli.csv)), 'CSV bytes').toBe(true);
  expect(readFileSync(png.path).equals(readFileSync(cli.png)), 'PNG bytes').toBe(true);
  const header = readFileSync(csv.path, 'utf8').split('\n')[0];
  expect(header).toBe(
    'x,y,z,path_gain_db,coherent_gain_db,rms_delay_spread_ns,k_factor_db,k_factor_reference,angular_spread_deg,los,path_count',
  );
  // PNG signature (and the file is an image of the map with its colour bar: wider than the grid)
  const pngBytes = readFileSync(png.path);
  expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(pngBytes.readUInt32BE(16)).toBeGreaterThan(nx);
  await page.getByTestId('heatmap-legend').screenshot({ path: `${ARTIFACTS}/16c-radio-map-legend.png` });
});

test('K-factor: a cell with a single path reads "single path (K = ∞)", distinct from "no path"', async ({
  studio: page,
}) => {
  test.setTimeout(180_000);
  await page.getByTestId('backend-select').selectOption('cpu');
  // LoS only (no interactions): every cell the Tx sees has exactly one path; the cells inside
  // and behind the boxes (plane 0.3 m above the floor) have none
  await page.getByLabel('maximum interactions per path').fill('0');
  await addDevice(page, 'tx', TX2);
  await page.getByTestId('heatmap-cell').fill('0.5');
  await page.getByTestId('heatmap-z').fill(String(LOW_Z));
  await page.getByTestId('heatmap-metric').selectOption('k-factor');
  await page.getByTestId('heatmap-button').click();
  await expect(page.getByTestId('status')).toContainText('Radio map from Tx 1', { timeout: 120_000 });
  const legend = page.getByTestId('heatmap-legend');
  await expect(legend).toHaveAttribute('data-metric', 'k-factor');
  await expect(page.getByTestId('heatmap-swatches')).toContainText('no path');
  await expect(page.getByTestId('heatmap-swatches')).toContainText('single path (K = ∞)');

  const json = JSON.parse(readFileSync((await save(page, 'heatmap-export-json')).path, 'utf8')) as {
    nx: number;
    bounds: number[];
    cell_size: number;
    path_count: number[];
    k_factor_db: (number | null)[];
    k_factor_infinite: number[];
  };
  const single = json.path_count.flatMap((n, i) => (n === 1 ? [i] : []));
  const none = json.path_count.flatMap((n, i) => (n === 0 ? [i] : []));
  console.log(`${single.length} single-path cells, ${none.length} cells without a path`);
  expect(single.length).toBeGreaterThan(0);
  expect(none.length).toBeGreaterThan(0);
  // one path: K = ∞ (flagged, the dB value null); no path: K undefined (not flagged)
  for (const i of single) expect([json.k_factor_infinite[i], json.k_factor_db[i]]).toEqual([1, null]);
  for (const i of none) expect([json.k_factor_infinite[i], json.k_factor_db[i]]).toEqual([0, null]);

  // hover a single-path cell near the Tx (open floor in front of it): the panel says so
  const centre = (i: number): [number, number, number] => [
    json.bounds[0]! + ((i % json.nx) + 0.5) * json.cell_size,
    json.bounds[1]! + (Math.floor(i / json.nx) + 0.5) * json.cell_size,
    LOW_Z,
  ];
  const near = single
    .map(centre)
    .sort((a, b) => Math.hypot(a[0] - TX2[0], a[1] - TX2[1]) - Math.hypot(b[0] - TX2[0], b[1] - TX2[1]))
    .find((c) => Math.hypot(c[0] - TX2[0], c[1] - TX2[1]) > 1)!;
  const [x, y] = await project(page, near);
  await page.mouse.move(x, y);
  await expect(page.getByTestId('heatmap-hover')).toContainText('single path (K = ∞)');
  await shot(page, '16d-radio-map-single-path');
});

test('best server of all transmitters: the map `rftwin radiomap --best-server` writes, byte for byte', async ({
  studio: page,
}) => {
  test.setTimeout(300_000);
  await page.getByTestId('backend-select').selectOption('cpu');
  await addDevice(page, 'tx', TX1);
  await addDevice(page, 'tx', TX2);
  await page.getByTestId('heatmap-tx').selectOption('all');
  await page.getByTestId('heatmap-z').fill(String(PLANE_Z));
  await page.getByTestId('heatmap-cell').fill(String(BEST_SERVER_CELL));
  const bounds = [-4, -2, 2, 4];
  for (const [k, id] of ['heatmap-xmin', 'heatmap-ymin', 'heatmap-xmax', 'heatmap-ymax'].entries())
    await page.getByTestId(id).fill(String(bounds[k]));
  await page.getByTestId('heatmap-metric').selectOption('delay-spread');
  await expect(page.getByTestId('heatmap-cells')).toContainText('12 × 12 = 144 cells × 2 Tx');
  await page.getByTestId('heatmap-button').click();
  await expect(page.getByTestId('status')).toContainText(
    'Radio map from best server of Tx 1, Tx 2: 12×12 cells',
    {
      timeout: 120_000,
    },
  );
  await page.getByTestId('heatmap-metric').selectOption('serving-tx');
  await expect(page.getByTestId('heatmap-legend')).toHaveAttribute('data-metric', 'serving-tx');
  await shot(page, '16e-radio-map-best-server');
  const csv = await save(page, 'heatmap-export-csv');
  const json = await save(page, 'heatmap-export-json');
  const cli = cliRadioMap(bounds, {
    tx: ['--tx', TX1.join(','), '--tx', TX2.join(','), '--best-server'],
    cell: BEST_SERVER_CELL,
    name: 'cli-best',
  });
  expect(readFileSync(csv.path).equals(readFileSync(cli.csv)), 'CSV bytes').toBe(true);
  const { metric_shown: shown, ...studioMap } = withoutTimings(json.path);
  const { metric_shown: _cliShown, ...cliMap } = withoutTimings(cli.json);
  expect(shown).toBe('serving-tx');
  expect(studioMap).toEqual(cliMap);
  // both transmitters serve somewhere (Tx 2 near its corner, Tx 1 near the centre)
  const serving = studioMap.serving_tx as (number | null)[];
  expect(new Set(serving)).toEqual(new Set([0, 1]));
});
