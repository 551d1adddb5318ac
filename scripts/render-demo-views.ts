/**
 * Renders multi-view photos of the demo twin (public/demo/room.xml) into public/demo/views/
 * with a Nerfstudio transforms.json, for `rftwin priors` and the studio's vision panel.
 *
 * The views are rendered by three.js (WebGL on SwiftShader) in the system's headless Chromium
 * through Playwright: scripts/demo-views-page.ts is bundled with esbuild (three.js from
 * node_modules, no network) into a blank page, each face is textured with the procedural
 * material texture of its ITU material (src/engine/vision/classTextures.ts: brick, wood,
 * concrete, marble, chipboard), and each frame is read back with canvas.toDataURL
 * (preserveDrawingBuffer). Poses: eight cameras around the room at eye height
 * (roomCameras, ~65° horizontal field of view), camera-to-world in the OpenGL convention.
 * Run: node bin/run-ts.mjs scripts/render-demo-views.ts [--scene room.xml] [--out views/] [--half m]
 *      [--count n] [--width px] [--height px]
 * (defaults: the demo twin, public/demo/views, a 10 m room, 8 views of 320 × 240; the second
 * room of test/fixtures/second-room is rendered with its own --scene, --out and --half).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { CHROMIUM_LAUNCH } from '../e2e/chromium.ts';
import { decodePng, encodePng } from '../src/engine/core/image.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { transformsJson } from '../src/engine/vision/camera.ts';
import { DEFAULT_LIGHT, surfaceAxes } from '../src/engine/vision/rayRender.ts';
import { roomCameras } from '../src/engine/vision/syntheticRoom.ts';
import type { PageFace, PageInput } from './demo-views-types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && process.argv[k + 1] !== undefined ? process.argv[k + 1]! : fallback;
};
const count = Number(arg('count', '8'));
const width = Number(arg('width', '320'));
const height = Number(arg('height', '240'));
const half = Number(arg('half', '5'));
const scenePath = resolve(arg('scene', join(root, 'public', 'demo', 'room.xml')));
const outDir = resolve(arg('out', join(root, 'public', 'demo', 'views')));
const scene = await loadScene(nodeFileSource, scenePath);
const classOf = (objectIndex: number) => {
  const spec = scene.materials[scene.objects[objectIndex]!.materialId]?.spec;
  return spec?.kind === 'itu' ? spec.ituName : '';
};
// shading baked into the textures as the ray caster shades (rayRender.ts surfaceShade): an
// evenly lit room, rough classes showing their micro-relief
const faces: PageFace[] = scene.faces.map((f) => {
  const positions = f.triangles.flatMap((t) => Array.from(scene.positions.subarray(9 * t, 9 * t + 9)));
  const { u, v } = surfaceAxes(f.normal);
  return { positions, u, v, normal: f.normal, cls: classOf(f.objectIndex) };
});
// focal length for a ~65° horizontal field of view
const f = width / 2 / Math.tan((65 * Math.PI) / 360);
const cameras = roomCameras(half, count, width, height, f);
const input: PageInput = {
  faces,
  cameras,
  background: [0.18, 0.2, 0.24],
  light: DEFAULT_LIGHT,
  texelsPerMetre: 256,
  maxTextureSize: 4096,
};

const bundle = await build({
  entryPoints: [join(root, 'scripts', 'demo-views-page.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'warning',
});
const browser = await chromium.launch(CHROMIUM_LAUNCH);
let urls: string[];
try {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  urls = await page.evaluate(
    (data) => (globalThis as unknown as { renderViews(d: PageInput): Promise<string[]> }).renderViews(data),
    input,
  );
  if (errors.length > 0) throw new Error(`the render page reported: ${errors.join('; ')}`);
} finally {
  await browser.close();
}

mkdirSync(join(outDir, 'images'), { recursive: true });
const frames = cameras.map((camera, k) => {
  const filePath = `images/frame_${String(k + 1).padStart(5, '0')}.png`;
  const png = Buffer.from(urls[k]!.replace(/^data:image\/png;base64,/, ''), 'base64');
  const image = decodePng(new Uint8Array(png), `view ${k + 1}`);
  if (image.width !== camera.width || image.height !== camera.height)
    throw new Error(
      `view ${k + 1}: rendered ${image.width}×${image.height}, expected ${camera.width}×${camera.height}`,
    );
  // re-encoded by the engine's PNG writer: opaque 8-bit RGBA, as the rest of the pipeline writes
  writeFileSync(join(outDir, filePath), encodePng(image));
  console.error(`rendered ${filePath}`);
  return { filePath, camera };
});
writeFileSync(join(outDir, 'transforms.json'), transformsJson(frames));
console.error(`wrote ${frames.length} views and transforms.json to ${outDir}`);
