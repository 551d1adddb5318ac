import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { type SionnaSceneName, sionnaSceneFolder } from '../src/test/paths.ts';
import { canvasColourCount, expect, shot, test } from './helpers.ts';

/** Drop files on the studio the way a browser does: a drop event whose DataTransfer holds File objects. */
async function dropFiles(page: Page, files: { name: string; data: Buffer }[]) {
  const payload = files.map((f) => ({ name: f.name, b64: f.data.toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bytes = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], it.name));
    }
    return dt;
  }, payload);
  await page.dispatchEvent('.app', 'dragover', { dataTransfer });
  await page.dispatchEvent('.app', 'drop', { dataTransfer });
}

function sionnaSceneFiles(name: SionnaSceneName) {
  return sionnaSceneFolder(name).map((path) => ({ name: basename(path), data: readFileSync(path) }));
}

test('a Sionna scene dropped with its PLY files loads; a corrupt file shows an error and the twin remains', async ({
  studio: page,
}) => {
  await dropFiles(page, sionnaSceneFiles('simple_street_canyon'));
  await expect(page.getByTestId('status')).toContainText('Loaded simple_street_canyon: 7 objects');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-scene', 'simple_street_canyon');
  await expect(page.getByTestId('material-legend')).toContainText('building_1');
  await expect.poll(() => canvasColourCount(page)).toBeGreaterThan(20);
  await shot(page, '05a-sionna-scene-dropped');

  // the same through the file button: the box scene
  await page.getByTestId('file-input').setInputFiles(
    sionnaSceneFiles('box').map((f) => ({
      name: f.name,
      mimeType: 'application/octet-stream',
      buffer: f.data,
    })),
  );
  await expect(page.getByTestId('status')).toContainText('Loaded box');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-scene', 'box');

  // a corrupt PLY: the error names the file and the problem; the box twin stays
  await page.getByTestId('file-input').setInputFiles({
    name: 'broken.ply',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nend_header\n1 2\n'),
  });
  await expect(page.getByTestId('status')).toHaveAttribute('data-level', 'error');
  await expect(page.getByTestId('status')).toContainText('broken.ply');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-scene', 'box');
  await expect.poll(() => canvasColourCount(page)).toBeGreaterThan(5);
  await shot(page, '05b-corrupt-file-error');

  // a scene XML whose mesh is missing names the XML, the line and the missing file
  await page.getByTestId('file-input').setInputFiles({
    name: 'missing.xml',
    mimeType: 'text/xml',
    buffer: Buffer.from(
      '<scene version="2.1.0">\n<bsdf type="itu-radio-material" id="m"><string name="type" value="concrete"/></bsdf>\n<shape type="ply" id="a"><string name="filename" value="meshes/nowhere.ply"/><ref id="m"/></shape>\n</scene>\n',
    ),
  });
  await expect(page.getByTestId('status')).toContainText('missing.xml');
  await expect(page.getByTestId('status')).toContainText('nowhere.ply');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-scene', 'box');
});
