import { createImage, type RgbaImage } from '../core/image.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, closestHit } from '../tracer/bvh.ts';
import { type Camera, cameraCentre, pixelRay } from './camera.ts';
import { classAlbedo, type Rgb } from './classTextures.ts';

/**
 * In-plane axes of a surface with normal n: u horizontal, v up the wall (or along +y on
 * horizontal surfaces), so that brick courses and planks lie horizontally.
 */
export function surfaceAxes(n: Vec3): { u: Vec3; v: Vec3 } {
  let u: Vec3 = Math.abs(n[2]) < 0.9 ? [-n[1], n[0], 0] : [1, 0, 0];
  const un = Math.hypot(...u);
  u = [u[0] / un, u[1] / un, u[2] / un];
  const v: Vec3 = [n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]];
  return { u, v };
}

export interface RenderOptions {
  /** samples per pixel along each axis (anti-aliasing), default 2 */
  supersample?: number;
  /** direction towards the (distant) light, for a mild Lambert term */
  light?: Vec3;
  background?: Rgb;
  signal?: AbortSignal;
}

/**
 * CPU ray-cast render of a scene whose objects are painted with the procedural class textures,
 * casting rays through the same BVH the radio tracer uses. The synthetic test rooms are rendered
 * with it inside the unit tests (no browser needed); the demo twin's committed views are rendered
 * by three.js in Chromium (scripts/render-demo-views.ts) with the same textures and shading, and
 * demoViews.test.ts checks the two agree pose for pose. Shading is mostly ambient with a mild
 * Lambert term, like an evenly lit room.
 */
export function renderClassView(
  scene: Scene,
  bvh: Bvh,
  camera: Camera,
  classOfObject: readonly string[],
  options: RenderOptions = {},
): RgbaImage {
  const ss = options.supersample ?? 2;
  const lraw = options.light ?? [0.3, 0.5, 0.81];
  const ln = Math.hypot(...lraw);
  const light: Vec3 = [lraw[0] / ln, lraw[1] / ln, lraw[2] / ln];
  const bg = options.background ?? [0.18, 0.2, 0.24];
  const axes = scene.faces.map((f) => surfaceAxes(f.normal));
  const eye = cameraCentre(camera);
  const img = createImage(camera.width, camera.height);
  for (let py = 0; py < camera.height; py++) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    for (let px = 0; px < camera.width; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const d = pixelRay(camera, px + (sx + 0.5) / ss, py + (sy + 0.5) / ss);
          const hit = closestHit(scene, bvh, eye, d);
          let c: Rgb = bg;
          if (hit) {
            const face = scene.faces[scene.triangleFace[hit.triangle]!]!;
            const p: Vec3 = [eye[0] + hit.t * d[0], eye[1] + hit.t * d[1], eye[2] + hit.t * d[2]];
            const { u, v } = axes[face.id]!;
            const su = p[0] * u[0] + p[1] * u[1] + p[2] * u[2];
            const sv = p[0] * v[0] + p[1] * v[1] + p[2] * v[2];
            const albedo = classAlbedo(classOfObject[face.objectIndex] ?? '', su, sv);
            const n = face.normal;
            const k = 0.78 + 0.22 * Math.abs(n[0] * light[0] + n[1] * light[1] + n[2] * light[2]);
            c = [albedo[0] * k, albedo[1] * k, albedo[2] * k];
          }
          r += c[0];
          g += c[1];
          b += c[2];
        }
      }
      const q = 4 * (py * camera.width + px);
      const s = 255 / (ss * ss);
      img.data[q] = Math.round(Math.min(255, r * s));
      img.data[q + 1] = Math.round(Math.min(255, g * s));
      img.data[q + 2] = Math.round(Math.min(255, b * s));
      img.data[q + 3] = 255;
    }
  }
  return img;
}
