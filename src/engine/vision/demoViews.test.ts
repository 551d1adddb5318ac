import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, REPO_ROOT } from '../../test/paths.ts';
import type { RgbaImage } from '../core/image.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import type { Scene } from '../scene/types.ts';
import { buildBvh } from '../tracer/bvh.ts';
import { loadViews } from './loadViews.ts';
import { renderClassView } from './rayRender.ts';
import type { ViewImage } from './surfacePriors.ts';

/**
 * The demo twin's committed views (public/demo/views, rendered by three.js in Chromium with
 * scripts/render-demo-views.ts) against the engine's own camera model: the CPU ray caster
 * renders the same frames from transforms.json through the scene BVH, with the same class
 * textures. If the poses, the OpenGL-convention flip, the intrinsics or the principal point
 * disagreed anywhere between the two, box edges and the skyline would land on other pixels.
 */
let scene: Scene;
let views: ViewImage[];

/** Mean RGB of b×b blocks: compares what is where, not texture phase or filtering. */
function blocks(img: RgbaImage, b: number): Float64Array {
  const bw = Math.floor(img.width / b);
  const bh = Math.floor(img.height / b);
  const out = new Float64Array(bw * bh * 3);
  for (let y = 0; y < bh * b; y++)
    for (let x = 0; x < bw * b; x++) {
      const q = 4 * (y * img.width + x);
      const o = 3 * (Math.floor(y / b) * bw + Math.floor(x / b));
      for (let c = 0; c < 3; c++) out[o + c]! += img.data[q + c]! / (255 * b * b);
    }
  return out;
}

beforeAll(async () => {
  scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  views = await loadViews(nodeFileSource, join(REPO_ROOT, 'public', 'demo', 'views', 'transforms.json'));
});

describe('demo twin views (three.js) agree with the engine camera model', () => {
  it('eight 320×240 views, each matching a ray-cast render of its pose block by block', () => {
    expect(views.length).toBe(8);
    const bvh = buildBvh(scene);
    const classes = scene.objects.map((o) => {
      const spec = scene.materials[o.materialId]!.spec;
      return spec.kind === 'itu' ? spec.ituName : '';
    });
    const difference = (view: ViewImage, camera: ViewImage['camera']) => {
      const a = blocks(view.image, 4);
      const r = blocks(renderClassView(scene, bvh, camera, classes, { supersample: 2 }), 4);
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - r[i]!);
      return sum / a.length;
    };
    for (const view of views) {
      expect([view.image.width, view.image.height]).toEqual([320, 240]);
      // measured 0.007–0.012 per channel (texture filtering differs: mipmaps vs 2×2 samples);
      // a flipped axis, another field of view or another pose moves whole walls and boxes
      expect(difference(view, view.camera), view.name).toBeLessThan(0.015);
    }
    // and the match is sharp: the principal point moved by 2 px either way matches worse
    const v = views[0]!;
    const at = difference(v, v.camera);
    for (const [dx, dy] of [
      [2, 0],
      [-2, 0],
      [0, 2],
      [0, -2],
    ] as const) {
      expect(difference(v, { ...v.camera, cx: v.camera.cx + dx, cy: v.camera.cy + dy })).toBeGreaterThan(
        1.2 * at,
      );
    }
  });
});
