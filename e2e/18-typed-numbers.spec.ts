import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, shot, test } from './helpers.ts';
import { addDevice } from './work.ts';

/**
 * Issue 13, acceptance 4: every invalid number the issue lists (Tx x = 1e308, Rx z = −10⁶
 * through the floor, 10⁹ GHz, 0 and −5 GHz) is refused with a one-line reason next to the field
 * (its accessible description), the typed text stays (nothing silently reverts), and the twin
 * is unchanged (its exported JSON: devices and frequency). The demo room spans x, y −5 … 5 m and
 * z 0 … 3 m; positions may lie 1 m beyond it (validation.ts sceneMargin).
 */
interface TwinJson {
  frequency_hz: number;
  devices: { kind: string; name: string; position: number[] }[];
}

/** The exported twin, less the time of export. */
async function twin(page: Page): Promise<TwinJson> {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-json-button').click(),
  ]);
  const t = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
  delete t.provenance.exported_at;
  return t;
}

/** Type `text` into `field` and expect it refused: the text kept, the reason attached to the field. */
async function refused(field: Locator, text: string, reason: RegExp | string) {
  await field.fill(text);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription(reason);
  await expect(field).toHaveValue(text);
  // the reason is one line next to the field, not only in the status bar
  const description = await field.evaluate((el) => {
    const id = el.getAttribute('aria-describedby');
    const d = id ? document.getElementById(id) : null;
    if (!d) return null;
    const a = el.getBoundingClientRect();
    const b = d.getBoundingClientRect();
    return { text: d.textContent ?? '', gap: Math.max(0, b.top - a.bottom, a.top - b.bottom) };
  });
  expect(description, 'the reason element').not.toBeNull();
  expect(description!.text).not.toContain('\n');
  expect(description!.gap, 'distance from field to reason (px)').toBeLessThan(40);
  console.log(`${text} → ${description!.text}`);
}

test('device coordinates and the frequency listed in the issue are refused with a reason at the field; the twin is unchanged', async ({
  studio: page,
}) => {
  await addDevice(page, 'tx', [0, 0, 2.5]);
  await addDevice(page, 'rx', [2, 1, 1.5]);
  await expect(page.getByTestId('status')).toContainText(/Traced 1 links/, { timeout: 60_000 });
  const before = await twin(page);
  expect(before.devices.map((d) => d.position)).toEqual([
    [0, 0, 2.5],
    [2, 1, 1.5],
  ]);
  expect(before.frequency_hz).toBe(28e9);

  const txX = page.getByLabel('Tx 1 x');
  await refused(txX, '1e308', 'x = 1.000e+308 m is outside the scene (-5 … 5 m, ±1 m margin)');
  const rxZ = page.getByLabel('Rx 1 z');
  await refused(rxZ, '-1e6', 'z = -1.000e+6 m is outside the scene (0 … 3 m, ±1 m margin)');
  await refused(txX, '1e400', "'1e400' is out of range (it overflows to infinity)");
  await refused(txX, '0x10', "'0x10' is not a decimal number (hex, binary and octal are not read)");

  const f = page.getByTestId('frequency');
  await refused(
    f,
    '1e9',
    '1.000e+9 GHz is outside 0.1 GHz … 1000 GHz, where neither ITU-R P.2040 nor ray optics on this scene apply',
  );
  await refused(f, '0', 'the frequency must be above 0 GHz, got 0 GHz');
  await refused(f, '-5', 'the frequency must be above 0 GHz, got -5 GHz');
  // within 1 THz but beyond the band ITU-R P.2040 defines the room's materials in: refused
  // unless the person opts into extrapolation
  await refused(
    f,
    '200',
    '200 GHz: ITU-R P.2040 defines brick only for 1–40 GHz (tick "extrapolate" to use the nearest band)',
  );
  await shot(page, '18a-typed-numbers-refused');

  // nothing changed: no trace ran since the export, the same devices and frequency
  await expect(page.getByTestId('status')).toHaveText('Exported room.twin.json');
  expect(await twin(page)).toEqual(before);

  // a valid value clears the reason and is taken
  await txX.fill('1');
  await expect(txX).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('status')).toContainText(/Traced 1 links/, { timeout: 60_000 });
  await page.getByTestId('extrapolate').check();
  await expect(f).not.toHaveAttribute('aria-invalid', 'true');
  const after = await twin(page);
  expect(after.devices[0]!.position).toEqual([1, 0, 2.5]);
  expect(after.frequency_hz).toBe(200e9);
});

test('the new-device form refuses a position outside the scene with the reason at the field and adds nothing', async ({
  studio: page,
}) => {
  const x = page.getByTestId('new-device-x');
  await x.fill('1e308');
  await expect(x).toHaveAttribute('aria-invalid', 'true');
  await expect(x).toHaveAccessibleDescription(
    'x = 1.000e+308 m is outside the scene (-5 … 5 m, ±1 m margin)',
  );
  await page.getByTestId('add-tx-at').click();
  await expect(page.getByTestId('status')).toContainText(
    'New device not added: x = 1.000e+308 m is outside the scene',
  );
  await expect(page.getByTestId('device-list')).toHaveCount(0);
  const z = page.getByTestId('new-device-z');
  await x.fill('0');
  await z.fill('-1e6');
  await expect(page.getByTestId('new-device-z-error')).toHaveText(
    'z = -1.000e+6 m is outside the scene (0 … 3 m, ±1 m margin)',
  );
  await page.getByTestId('add-rx-at').click();
  await expect(page.getByTestId('device-list')).toHaveCount(0);
  expect((await twin(page)).devices).toEqual([]);
  await z.fill('1.5');
  await page.getByTestId('add-rx-at').click();
  await expect(page.getByTestId('device-list').locator('tbody tr')).toHaveCount(1);
});

test('radio-map numbers: plane and bounds outside the scene, an empty area and a zero cell are refused; above 10⁶ cells the map asks first', async ({
  studio: page,
}) => {
  await addDevice(page, 'tx', [0, 0, 2.5]);
  const cells = page.getByTestId('heatmap-cells');
  const before = await cells.getAttribute('data-cells');
  await refused(
    page.getByTestId('heatmap-z'),
    '-1e6',
    'plane z = -1.000e+6 m is outside the scene (0 … 3 m, ±1 m margin)',
  );
  await refused(page.getByTestId('heatmap-xmax'), '-5', 'xmax must be above xmin (-5 m)');
  await refused(page.getByTestId('heatmap-cell'), '0', 'the cell size must be above 0 m, got 0 m');
  await expect(cells).toHaveAttribute('data-cells', before!);

  // 2000 × 2000 cells: the count and a Compute that asks before it starts
  await page.getByTestId('heatmap-cell').fill('0.005');
  await expect(cells).toContainText('2000 × 2000 = 4,000,000 cells');
  await page.getByTestId('heatmap-button').click();
  const confirm = page.getByTestId('heatmap-confirm');
  await expect(confirm).toContainText('4,000,000 cells (more than 1,000,000)');
  await expect(confirm).toContainText(/≈ [\d.]+ (s|min|h)/, { timeout: 60_000 });
  await shot(page, '18b-radio-map-confirm');
  await page.getByTestId('heatmap-confirm-no').click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByTestId('heatmap-legend')).toHaveCount(0); // nothing computed
});
