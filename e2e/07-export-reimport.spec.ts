import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { clickWorld, expect, shot, test } from './helpers.ts';

interface TwinJson {
  name: string;
  objects: { name: string; material: string }[];
  materials: Record<string, { spec: Record<string, unknown>; source: string }>;
  radio_parameters: Record<string, Record<string, number>>;
  provenance: { inputs: string[]; priors: Record<string, unknown> };
}

async function download(page: Page, testId: string): Promise<{ name: string; path: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = `e2e-artifacts/${dl.suggestedFilename()}`;
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), path };
}

const twinJson = async (page: Page): Promise<TwinJson> =>
  JSON.parse(readFileSync((await download(page, 'export-json-button')).path, 'utf8'));

test('export (Sionna zip and twin JSON) then re-import gives the same materials', async ({
  studio: page,
}) => {
  // make the twin differ from the demo file: an ITU override and a custom material
  const inspector = page.getByTestId('material-inspector');
  await clickWorld(page, [-3, 3, 1]);
  await expect(inspector.getByTestId('inspector-object')).toHaveText('box_wood');
  await inspector.getByTestId('itu-select').selectOption('glass');
  await clickWorld(page, [-3, -3, 1]);
  await expect(inspector.getByTestId('inspector-object')).toHaveText('box_marble');
  await inspector.getByTestId('custom-relativePermittivity').fill('6.5');
  await inspector.getByTestId('custom-conductivity').fill('0.25');
  await inspector.getByTestId('custom-scatteringCoefficient').fill('0.2');
  await inspector.getByTestId('apply-custom').click();
  await expect(inspector.getByTestId('inspector-source')).toContainText('manual');

  const before = await twinJson(page);
  expect(before.materials.itu_wood!.spec).toMatchObject({ kind: 'itu', ituName: 'glass' });
  expect(before.materials.itu_marble!.spec).toMatchObject({
    kind: 'custom',
    relativePermittivity: 6.5,
    conductivity: 0.25,
  });
  expect(before.provenance.inputs).toContain('demo/room.xml');

  // Sionna XML + PLY zip → re-import → the same radio parameters per material and object
  const zip = await download(page, 'export-button');
  expect(zip.name).toBe('room-sionna.zip');
  await page.getByTestId('file-input').setInputFiles(zip.path);
  await expect(page.getByTestId('status')).toContainText('Loaded room: 9 objects');
  const fromZip = await twinJson(page);
  expect(fromZip.objects.map((o) => [o.name, o.material])).toEqual(
    before.objects.map((o) => [o.name, o.material]),
  );
  for (const [id, p] of Object.entries(before.radio_parameters)) {
    for (const [k, v] of Object.entries(p))
      expect(fromZip.radio_parameters[id]![k], `${id}.${k}`).toBeCloseTo(v, 9);
  }
  expect(fromZip.materials.itu_wood!.spec).toMatchObject({ kind: 'itu', ituName: 'glass' });
  await shot(page, '07a-reimported-zip');

  // twin JSON → re-import → identical material specs, sources and evidence
  await page.getByTestId('file-input').setInputFiles(`e2e-artifacts/room.twin.json`);
  await expect(page.getByTestId('status')).toContainText('Loaded room: 9 objects');
  const fromJson = await twinJson(page);
  expect(fromJson.materials).toEqual(fromZip.materials);
  await page.getByTestId('file-input').setInputFiles({
    name: 'before.twin.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(before)),
  });
  await expect(page.getByTestId('status')).toContainText('Loaded room: 9 objects');
  const again = await twinJson(page);
  expect(again.materials).toEqual(before.materials);
  expect(again.radio_parameters).toEqual(before.radio_parameters);
  await clickWorld(page, [-3, -3, 1]);
  await expect(inspector.getByTestId('inspector-source')).toContainText('manual');
  await expect(inspector.getByTestId('inspector-relativePermittivity')).toContainText('6.500');
  await shot(page, '07b-reimported-twin-json');
});
