/**
 * Renders multi-view photos of the demo twin (public/demo/room.xml) into public/demo/views/
 * with a Nerfstudio transforms.json, for `rftwin priors` and the studio's vision panel.
 *
 * three.js needs a WebGL context that Node does not have headless, so the views are rendered by
 * the engine's CPU ray caster (src/engine/vision/rayRender.ts) through the scene BVH, with the
 * procedural material textures of src/engine/vision/classTextures.ts (each object painted by its
 * ITU material: brick, wood, concrete, marble, chipboard) and 2×2 supersampling.
 * Run: node bin/run-ts.mjs scripts/render-demo-views.ts [count] [width] [height]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScene } from '../src/engine/scene/load.ts';
import { nodeFileSource } from '../src/engine/scene/nodeFileSource.ts';
import { buildBvh } from '../src/engine/tracer/bvh.ts';
import { encodePng } from '../src/engine/vision/image.ts';
import { renderClassView } from '../src/engine/vision/rayRender.ts';
import { roomCameras } from '../src/engine/vision/syntheticRoom.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.argv[2] ?? 8);
const width = Number(process.argv[3] ?? 320);
const height = Number(process.argv[4] ?? 240);
const scene = await loadScene(nodeFileSource, join(root, 'public', 'demo', 'room.xml'));
const classes = scene.objects.map((o) => {
  const spec = scene.materials[o.materialId]?.spec;
  return spec?.kind === 'itu' ? spec.ituName : '';
});
const bvh = buildBvh(scene);
// focal length for a ~65° horizontal field of view
const f = width / 2 / Math.tan((65 * Math.PI) / 360);
const cameras = roomCameras(5, count, width, height, f);
const outDir = join(root, 'public', 'demo', 'views');
mkdirSync(join(outDir, 'images'), { recursive: true });
const frames = cameras.map((camera, k) => {
  const file = `images/frame_${String(k + 1).padStart(5, '0')}.png`;
  const image = renderClassView(scene, bvh, camera, classes, { supersample: 2 });
  writeFileSync(join(outDir, file), encodePng(image));
  console.error(`rendered ${file}`);
  const m = camera.camToWorld.map((x) => Number(x.toFixed(9)));
  return {
    file_path: file,
    transform_matrix: [m.slice(0, 4), m.slice(4, 8), m.slice(8, 12), m.slice(12, 16)],
  };
});
const transforms = {
  camera_model: 'OPENCV',
  fl_x: f,
  fl_y: f,
  cx: width / 2,
  cy: height / 2,
  w: width,
  h: height,
  k1: 0,
  k2: 0,
  p1: 0,
  p2: 0,
  // poses are in the scene's own metres (z up); no applied_transform
  frames,
};
writeFileSync(join(outDir, 'transforms.json'), `${JSON.stringify(transforms, null, 2)}\n`);
console.error(`wrote ${frames.length} views and transforms.json to ${outDir}`);
