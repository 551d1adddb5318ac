import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { runCli } from '../src/test/cli.ts';
import { clickWorld, expect, shot, test } from './helpers.ts';

/**
 * Vision priors in the browser: the demo twin's rendered views (public/demo/views: images +
 * Nerfstudio transforms.json) are dropped on the studio, CLIP runs in the engine worker
 * (transformers.js + onnxruntime-web, files served by the app) and the surfaces are painted
 * from the priors with source and confidence.
 */
const VIEWS = 'public/demo/views';
/** The demo room's materials and what they are (the truth src/cli/commands/priors.test.ts uses). */
const DEMO_TRUTH: Record<string, string> = {
  itu_brick: 'brick',
  itu_wood: 'wood',
  itu_concrete: 'concrete',
  itu_marble: 'marble',
  itu_chipboard: 'chipboard',
};

function viewFiles(transforms = readFileSync(join(VIEWS, 'transforms.json'))) {
  const images = readdirSync(join(VIEWS, 'images')).map((name) => ({
    name,
    mimeType: 'image/png',
    buffer: readFileSync(join(VIEWS, 'images', name)),
  }));
  return [{ name: 'transforms.json', mimeType: 'application/json', buffer: transforms }, ...images];
}

async function setModel(page: Page, model: string) {
  const field = page.getByTestId('vision-model');
  await field.fill(model);
  await field.press('Enter');
}

test('demo views + transforms.json with the tiny CLIP model: priors computed in the browser worker, surfaces labelled', async ({
  studio: page,
}) => {
  test.slow(); // two CLIP runs (cancelled, then whole): on a loaded 2-core machine they near 90 s
  // every request, the engine worker's included: onnxruntime's wasm must come from the app, not a CDN
  const requested: string[] = [];
  page.context().on('request', (r) => requested.push(r.url()));
  await setModel(page, '/models/tiny-clip');
  // the image model's file is held back until Cancel has been clicked, so the job is surely
  // still running then (a fast machine finished the whole tiny-model run between two steps);
  // Cancel during inference is the last test's case (CLIP on WebGPU, tens of seconds)
  let release = () => {};
  let asked = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const modelAsked = new Promise<void>((resolve) => (asked = resolve));
  await page.context().route('**/models/tiny-clip/onnx/vision_model.onnx', async (route) => {
    asked();
    await held;
    await route.continue();
  });
  await page.getByTestId('file-input').setInputFiles(viewFiles());
  // the run reports progress with its own Cancel in the Vision panel (the vision worker's job,
  // apart from tracing); cancelling leaves the materials alone
  const status = page.getByTestId('status');
  const job = page.getByTestId('vision-job');
  await modelAsked;
  await expect(job).toBeVisible();
  await expect(page.getByTestId('vision-progress')).toBeVisible();
  await page.getByTestId('vision-cancel').click();
  await expect(status).toHaveText('Vision priors cancelled; materials unchanged');
  await expect(page.getByTestId('material-legend')).not.toContainText('vision prior');
  await expect(job).toHaveCount(0);
  release();

  // run again on the same dropped views
  await page.getByTestId('vision-run').click();
  await expect(status).toContainText('Vision priors from 8 views', { timeout: 90_000 });
  console.log(`vision priors: ${await status.textContent()}`);
  await expect(status).toHaveAttribute('data-level', 'ok');
  // every demo material gets the label of its true material, from the images
  for (const [id, label] of Object.entries(DEMO_TRUTH))
    await expect(status).toContainText(`${id} → ${label}`);
  const summary = page.getByTestId('vision-summary');
  await expect(summary).toContainText('CLIP /models/tiny-clip on');
  console.log(`vision summary: ${await summary.textContent()}`);
  // onnxruntime's one wasm, from the app's own assets (the build ships no other)
  const runtime = requested.filter((u) => /ort-wasm.*\.(wasm|mjs)$/.test(u));
  console.log(`onnxruntime files: ${runtime.map((u) => u.split('/').pop()).join(', ')}`);
  expect(runtime.length, requested.join('\n')).toBeGreaterThan(0);
  for (const u of runtime)
    expect(u).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/assets\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/);
  expect(
    requested.filter(
      (u) => !u.startsWith('http://127.0.0.1:') && !u.startsWith('data:') && !u.startsWith('blob:'),
    ),
  ).toEqual([]);
  const legend = page.getByTestId('priors-legend');
  for (const [id, label] of Object.entries(DEMO_TRUTH)) {
    const row = legend.locator(`[data-material="${id}"]`);
    await expect(row).toHaveAttribute('data-source', 'vision');
    await expect(row).toContainText(label);
    await expect(row).toContainText('vision prior');
    await expect(row).toContainText(/\d+ %/);
    // confidence shading: the swatch fades with the prior's confidence (as the surface does)
    const confidence = Number.parseInt((await row.locator('.num').textContent()) ?? '', 10) / 100;
    const opacity = Number(await row.locator('.swatch').evaluate((el) => getComputedStyle(el).opacity));
    expect(opacity).toBeCloseTo(0.4 + 0.6 * confidence, 1);
  }
  await expect(page.getByTestId('material-legend')).toContainText('vision prior');
  await shot(page, '08a-vision-priors-painted');

  // the priors as the file `rftwin priors` writes, which `rftwin calibrate --init` takes
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('vision-download').click(),
  ]);
  expect(dl.suggestedFilename()).toBe('priors.json');
  const priorsPath = await dl.path();
  const file = JSON.parse(readFileSync(priorsPath, 'utf8'));
  expect(file).toMatchObject({ format: 'rftwin-priors/1', source: 'vision', model: '/models/tiny-clip' });
  for (const [id, label] of Object.entries(DEMO_TRUTH)) {
    expect(file.material_evidence[id]).toMatchObject({ source: 'vision', label });
    expect(file.materials[id].itu_name).toBe(label);
  }
  const cal = runCli([
    'calibrate',
    '--scene',
    'public/demo/room.xml',
    '--frequency',
    '28e9',
    '--soundings',
    'public/demo/soundings.csv',
    '--init',
    priorsPath,
    '--max-iterations',
    '2',
    '--out',
    // the test's own output folder (emptied before each run): a file left by an earlier run
    // under the same name would make `calibrate` refuse to overwrite it
    test.info().outputPath('calibrated.json'),
  ]);
  expect(cal.status, cal.stderr).toBe(0);
  expect(cal.stderr).toContain(`init ${priorsPath}`);

  // the inspector shows the clicked surface's prior: label, confidence, views used, top-3 scores
  await clickWorld(page, [-3, 3, 1]);
  const inspector = page.getByTestId('material-inspector');
  await expect(inspector.getByTestId('inspector-object')).toHaveText('box_wood');
  await expect(inspector.getByTestId('inspector-source')).toContainText('vision prior');
  await expect(inspector.getByTestId('prior-label')).toHaveText('wood');
  await expect(inspector.getByTestId('prior-confidence')).toContainText('%');
  await expect(inspector.getByTestId('prior-views')).toContainText(/^[1-8] \(\d+ crops\)/);
  await expect(inspector.getByTestId('prior-top3').locator('li')).toHaveCount(3);
  await expect(inspector.getByTestId('prior-top3').locator('li').first()).toContainText('wood');
  await shot(page, '08b-vision-evidence-inspector');

  // a manual override still wins over the prior
  await inspector.getByTestId('itu-select').selectOption('metal');
  await expect(inspector.getByTestId('inspector-source')).toContainText('manual');
  await expect(legend.locator('[data-material="itu_wood"]')).toHaveAttribute('data-source', 'manual');
});

test('default hub model offline: one-line notice, name-based priors, no console errors', async ({
  studio: page,
}) => {
  const offOrigin: string[] = [];
  page.context().on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:')) offOrigin.push(`${r.method()} ${r.url()}`);
  });
  await expect(page.getByTestId('vision-model')).toHaveValue('Xenova/clip-vit-base-patch32');
  await page.getByTestId('file-input').setInputFiles(viewFiles());
  const status = page.getByTestId('status');
  await expect(status).toContainText('CLIP model Xenova/clip-vit-base-patch32 unavailable (offline?', {
    timeout: 60_000,
  });
  await expect(status).toContainText('using name-based priors for 5 materials');
  const text = (await status.textContent()) ?? '';
  expect(text.split('\n')).toHaveLength(1);
  // one request to learn the hub is unreachable, not a burst from every model file; no CDN
  expect(offOrigin).toEqual([
    'HEAD https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/config.json',
  ]);
  const legend = page.getByTestId('priors-legend');
  for (const [id, label] of Object.entries(DEMO_TRUTH)) {
    const row = legend.locator(`[data-material="${id}"]`);
    await expect(row).toHaveAttribute('data-source', 'name');
    await expect(row).toContainText(label);
  }
  await expect(page.getByTestId('material-legend')).toContainText('name match');
  await shot(page, '08c-model-unavailable-name-priors');
  // manual choice remains possible
  await clickWorld(page, [-3, 3, 1]);
  const inspector = page.getByTestId('material-inspector');
  await expect(inspector.getByTestId('inspector-source')).toContainText('name match');
  await expect(inspector.getByTestId('prior-label')).toContainText('name-based');
  await inspector.getByTestId('itu-select').selectOption('glass');
  await expect(inspector.getByTestId('inspector-source')).toContainText('manual');

  // a model folder that the studio does not serve is reported the same way
  await setModel(page, '/models/no-such-model');
  await page.getByTestId('vision-run').click();
  await expect(status).toHaveText(
    'CLIP model /models/no-such-model unavailable (no model folder at /models/no-such-model: no config.json): using name-based priors for 4 materials; kept itu_wood (set by hand or calibrated)',
  );

  // with a model that is there, the same dropped views give vision priors; the hand-set material stays
  await setModel(page, '/models/tiny-clip');
  await page.getByTestId('vision-run').click();
  await expect(status).toContainText('Vision priors from 8 views', { timeout: 90_000 });
  await expect(status).toContainText('kept itu_wood (set by hand or calibrated)');
  await expect(legend.locator('[data-material="itu_wood"]')).toHaveAttribute('data-source', 'manual');
  await expect(legend.locator('[data-material="itu_brick"]')).toHaveAttribute('data-source', 'vision');
});

test('transforms.json naming a missing image: error names the file and frame, the twin is unchanged', async ({
  studio: page,
}) => {
  const t = JSON.parse(readFileSync(join(VIEWS, 'transforms.json'), 'utf8'));
  t.frames[2].file_path = 'images/frame_missing.png';
  await setModel(page, '/models/tiny-clip');
  await page.getByTestId('file-input').setInputFiles(viewFiles(Buffer.from(JSON.stringify(t))));
  const status = page.getByTestId('status');
  await expect(status).toHaveAttribute('data-level', 'error');
  await expect(status).toContainText('transforms.json');
  await expect(status).toContainText("frame 'images/frame_missing.png'");
  await expect(status).toContainText('image not found');
  await expect(page.getByTestId('viewport')).toHaveAttribute('data-scene', 'room');
  // no priors were applied: the materials are still the scene file's
  await expect(page.getByTestId('priors-legend')).toHaveCount(0);
  await expect(page.getByTestId('material-legend')).toContainText('scene file');
  await expect(page.getByTestId('material-legend')).not.toContainText('vision prior');
  await shot(page, '08d-missing-image-error');

  // an image whose size disagrees with the intrinsics is named with both sizes
  const wrongSize = JSON.parse(readFileSync(join(VIEWS, 'transforms.json'), 'utf8'));
  wrongSize.w = 640;
  await page.getByTestId('file-input').setInputFiles(viewFiles(Buffer.from(JSON.stringify(wrongSize))));
  await expect(status).toHaveAttribute('data-level', 'error');
  await expect(status).toContainText(
    'images/frame_00001.png: image is 320×240 but transforms.json says w=640',
  );
  await expect(page.getByTestId('material-legend')).not.toContainText('vision prior');
});

test('JPEG views (as Nerfstudio captures usually are) are decoded by the browser and labelled the same', async ({
  studio: page,
}) => {
  const t = JSON.parse(readFileSync(join(VIEWS, 'transforms.json'), 'utf8'));
  const files = [];
  for (const frame of t.frames as { file_path: string }[]) {
    const png = readFileSync(join(VIEWS, frame.file_path));
    frame.file_path = frame.file_path.replace(/\.png$/, '.jpg');
    files.push({
      name: frame.file_path.split('/').pop()!,
      mimeType: 'image/jpeg',
      buffer: await sharp(png).jpeg({ quality: 95 }).toBuffer(),
    });
  }
  await setModel(page, '/models/tiny-clip');
  await page
    .getByTestId('file-input')
    .setInputFiles([
      { name: 'transforms.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(t)) },
      ...files,
    ]);
  const status = page.getByTestId('status');
  await expect(status).toContainText('Vision priors from 8 views', { timeout: 90_000 });
  console.log(`vision priors, JPEG views, fresh worker: ${await status.textContent()}`);
  for (const [id, label] of Object.entries(DEMO_TRUTH))
    await expect(status).toContainText(`${id} → ${label}`);
});

test('WebGPU chosen explicitly: CLIP runs on the (software) WebGPU adapter and labels the same', async ({
  studio: page,
}) => {
  test.slow(); // SwiftShader WebGPU is several times slower than wasm
  await setModel(page, '/models/tiny-clip');
  await page.getByTestId('vision-device').selectOption('webgpu');
  await page.getByTestId('file-input').setInputFiles(viewFiles());
  const status = page.getByTestId('status');
  await expect(status).toContainText('Vision priors from 8 views (CLIP /models/tiny-clip on webgpu', {
    timeout: 150_000,
  });
  console.log(`vision priors on WebGPU: ${await status.textContent()}`);
  for (const [id, label] of Object.entries(DEMO_TRUTH))
    await expect(status).toContainText(`${id} → ${label}`);
});

test('a priors file written by `rftwin priors` is applied when dropped; one for another scene is refused', async ({
  studio: page,
}) => {
  const out = test.info().outputPath('priors.json');
  const cli = runCli([
    'priors',
    '--scene',
    'public/demo/room.xml',
    '--images',
    join(VIEWS, 'transforms.json'),
    '--model',
    'public/models/tiny-clip',
    '--out',
    out,
  ]);
  expect(cli.status, cli.stderr).toBe(0);
  await page.getByTestId('file-input').setInputFiles({
    name: 'priors.json',
    mimeType: 'application/json',
    buffer: readFileSync(out),
  });
  const status = page.getByTestId('status');
  await expect(status).toHaveText('Priors priors.json (vision) applied to 5 materials');
  const legend = page.getByTestId('priors-legend');
  for (const [id, label] of Object.entries(DEMO_TRUTH)) {
    await expect(legend.locator(`[data-material="${id}"]`)).toHaveAttribute('data-source', 'vision');
    await expect(legend.locator(`[data-material="${id}"]`)).toContainText(label);
  }
  await expect(page.getByTestId('vision-summary')).toContainText('from priors.json: vision priors');
  await clickWorld(page, [-3, 3, 1]);
  await expect(page.getByTestId('prior-label')).toHaveText('wood');
  await expect(page.getByTestId('prior-top3').locator('li')).toHaveCount(3);

  // priors of another scene: nothing matches this twin, so nothing changes
  const foreign = JSON.parse(readFileSync(out, 'utf8'));
  foreign.scene = 'office';
  foreign.materials = { itu_glass_office: foreign.materials.itu_brick };
  await page.getByTestId('file-input').setInputFiles({
    name: 'office-priors.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(foreign)),
  });
  await expect(status).toHaveAttribute('data-level', 'error');
  await expect(status).toContainText(
    "office-priors.json: scene 'office': none of its materials (itu_glass_office)",
  );
  await expect(legend.locator('[data-material="itu_brick"]')).toHaveAttribute('data-source', 'vision');
});

/** transforms.json with the given frames moved 100 m along their camera's own right axis. */
function withWrongPoses(frames: number[]) {
  const t = JSON.parse(readFileSync(join(VIEWS, 'transforms.json'), 'utf8'));
  for (const k of frames) {
    const m = t.frames[k].transform_matrix as number[][];
    for (let r = 0; r < 3; r++) m[r]![3]! += 100 * m[r]![0]!;
  }
  return viewFiles(Buffer.from(JSON.stringify(t)));
}

test('wrong camera poses: all off frame is an error and the twin unchanged; one off frame is named and the rest proceed', async ({
  studio: page,
}) => {
  await setModel(page, '/models/tiny-clip');
  const status = page.getByTestId('status');
  // every pose 100 m off: no view shows the scene; an error, not name-based priors called "ok"
  await page.getByTestId('file-input').setInputFiles(withWrongPoses([0, 1, 2, 3, 4, 5, 6, 7]));
  await expect(status).toHaveAttribute('data-level', 'error', { timeout: 60_000 });
  await expect(status).toContainText(
    'transforms.json: no view shows the scene (view 1 (images/frame_00001.png): the scene is not in frame;',
  );
  await expect(status).toContainText('view 8 (images/frame_00008.png): the scene is not in frame)');
  await expect(page.getByTestId('priors-legend')).toHaveCount(0);
  await expect(page.getByTestId('material-legend')).toContainText('scene file');
  await expect(page.getByTestId('material-legend')).not.toContainText('vision prior');
  await shot(page, '08e-all-poses-wrong');

  // view 3 alone 100 m off: named, left out, the seven others label the room
  await page.getByTestId('file-input').setInputFiles(withWrongPoses([2]));
  await expect(status).toContainText('Vision priors from 7 of 8 views', { timeout: 60_000 });
  await expect(status).toHaveAttribute('data-level', 'ok');
  await expect(status).toContainText('left out: view 3 (images/frame_00003.png): the scene is not in frame');
  for (const [id, label] of Object.entries(DEMO_TRUTH))
    await expect(status).toContainText(`${id} → ${label}`);
  await expect(page.getByTestId('vision-warnings')).toContainText(
    'view 3 (images/frame_00003.png): the scene is not in frame; left out',
  );
  await expect(page.getByTestId('vision-summary')).toContainText('7 of 8 views');
});

test('tracing runs while the priors compute, and cancelling the priors leaves the trace alone', async ({
  studio: page,
}) => {
  test.slow(); // CLIP on SwiftShader's WebGPU: the long job here (tens of seconds)
  await setModel(page, '/models/tiny-clip');
  await page.getByTestId('vision-device').selectOption('webgpu');
  // record, when the trace result lands, whether the priors job is still running
  await page.evaluate(() => {
    const w = window as unknown as { __tracedDuringPriors?: boolean };
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="status"]')?.textContent ?? '';
      if (w.__tracedDuringPriors === undefined && text.startsWith('Traced '))
        w.__tracedDuringPriors = !!document.querySelector('[data-testid="vision-job"][data-kind="priors"]');
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('file-input').setInputFiles(viewFiles());
  const job = page.getByTestId('vision-job');
  await expect(job).toContainText('crops embedded', { timeout: 90_000 });
  // CLIP runs in a worker of its own, beside the engine worker that traces
  const workers = page.workers().map((w) =>
    w
      .url()
      .split('/')
      .pop()!
      .replace(/-[\w-]+\.js$/, ''),
  );
  expect(workers.sort()).toEqual(['engine.worker', 'vision.worker']);
  // a Tx and an Rx typed in: the engine worker traces the link meanwhile
  await page.getByTestId('new-device-x').fill('-1');
  await page.getByTestId('new-device-y').fill('-1');
  await page.getByTestId('add-tx-at').click();
  await page.getByTestId('new-device-x').fill('2');
  await page.getByTestId('new-device-y').fill('1.5');
  await page.getByTestId('add-rx-at').click();
  await expect(page.getByTestId('status')).toContainText('Traced 1 links', { timeout: 60_000 });
  await expect(page.getByTestId('metric-paths')).toContainText('(LoS)');
  expect(
    await page.evaluate(() => (window as unknown as { __tracedDuringPriors?: boolean }).__tracedDuringPriors),
  ).toBe(true);
  await expect(job).toBeVisible();
  // the priors are cancelled on their own: the trace stays
  await page.getByTestId('vision-cancel').click();
  await expect(page.getByTestId('status')).toHaveText('Vision priors cancelled; materials unchanged');
  await expect(job).toHaveCount(0);
  await expect(page.getByTestId('metric-paths')).toContainText('(LoS)');
  await expect(page.getByTestId('material-legend')).not.toContainText('vision prior');
});
