import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { HOSTILE_CASES } from '../src/test/hostileCorpus.ts';
import { expect, shot, test } from './helpers.ts';

/**
 * Issue 16, acceptance 5: the studio shows the same error as `rftwin` for the same hostile file
 * (the message the CLI prints after its "rftwin <command>: " prefix) and keeps the twin it had.
 */
const CASES = [
  'gltf-accessor-stride-0',
  'gltf-node-dag',
  'xml-mesh-dev-zero',
  'xml-thickness-negative',
  'xml-duplicate-bsdf',
  'ply-index-nan',
  'obj-empty',
  'glb-short',
  'csv-binary-number',
  'soundings-json-tx-equals-rx',
];

/** The case's files, as the browser hands them over: names without folders. */
async function caseFiles(id: string) {
  const c = HOSTILE_CASES.find((x) => x.id === id)!;
  const dir = mkdtempSync(join(tmpdir(), 'rftwin-e2e-hostile-'));
  await c.setup(dir);
  const files: { name: string; mimeType: string; buffer: Buffer }[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ name: basename(p), mimeType: 'application/octet-stream', buffer: readFileSync(p) });
    }
  };
  walk(dir);
  rmSync(dir, { recursive: true, force: true });
  // the CLI's message without its "rftwin <command>: " prefix
  const message = new RegExp(c.message.source.replace(/^\^rftwin \\w\+: /, ''));
  return { files, message };
}

test('hostile files give the CLI’s one-line errors in the status line and the twin stays', async ({
  studio: page,
}) => {
  const status = page.getByTestId('status');
  for (const id of CASES) {
    const { files, message } = await caseFiles(id);
    await page.getByTestId('file-input').setInputFiles(files);
    await expect(status, id).toHaveAttribute('data-level', 'error');
    await expect(status, id).toContainText(message);
    await expect(page.getByTestId('viewport'), id).toHaveAttribute('data-scene', 'room');
  }
  await shot(page, '12a-hostile-error-twin-kept');
});

test('valid but unusual files load with a visible warning: a glTF triangle strip', async ({
  studio: page,
}) => {
  const { files } = await caseFiles('gltf-triangle-strip');
  await page.getByTestId('file-input').setInputFiles(files);
  const status = page.getByTestId('status');
  await expect(status).toContainText('Loaded triangle-strip: 1 objects, 2 triangles');
  await expect(status).toContainText('converted 1 triangle strip/fan primitive(s) to triangles');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-scene', 'triangle-strip');
});
