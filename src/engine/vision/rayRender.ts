import { createImage, type RgbaImage } from '../core/image.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, closestHit } from '../tracer/bvh.ts';
import { type Camera, cameraCentre, pixelRay } from './camera.ts';
import { CLASS_ROUGHNESS, classAlbedo, type Relief, type Rgb, reliefAt } from './classTextures.ts';
import type { RoughnessLabel } from './vocabulary.ts';

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

/** Direction towards the renders' distant light (unnormalised): mostly from above. */
export const DEFAULT_LIGHT: Vec3 = [0.3, 0.5, 0.81];

/**
 * Shade factor of an evenly lit room: mostly ambient (0.78, dimmed by the relief's occlusion in
 * hollows) with a mild Lambert term (0.22) from `light`, on the surface normal tilted by the
 * relief slope along the surface axes (n′ ∝ n − ∂h/∂u·u − ∂h/∂v·v). Both renderers (this ray
 * caster and the three.js demo renderer) shade with it, so a rough class shows the same in both.
 */
export function surfaceShade(
  n: Vec3,
  axes: { u: Vec3; v: Vec3 },
  relief: Relief,
  light: Vec3 = DEFAULT_LIGHT,
): number {
  const [gu, gv] = relief.slope;
  const m: Vec3 = [
    n[0] - gu * axes.u[0] - gv * axes.v[0],
    n[1] - gu * axes.u[1] - gv * axes.v[1],
    n[2] - gu * axes.u[2] - gv * axes.v[2],
  ];
  const mn = Math.hypot(m[0], m[1], m[2]);
  const ln = Math.hypot(light[0], light[1], light[2]);
  const lambert = Math.abs(m[0] * light[0] + m[1] * light[1] + m[2] * light[2]) / (mn * ln);
  return 0.78 * (1 - relief.occlusion) + 0.22 * lambert;
}

export interface RenderOptions {
  /** samples per pixel along each axis (anti-aliasing), default 2 */
  supersample?: number;
  /** direction towards the (distant) light, for a mild Lambert term */
  light?: Vec3;
  background?: Rgb;
  /** roughness per object, overriding its class's (CLASS_ROUGHNESS): one albedo, several reliefs */
  roughnessOfObject?: readonly (RoughnessLabel | undefined)[];
  signal?: AbortSignal;
}

/**
 * CPU ray-cast render of a scene whose objects are painted with the procedural class textures,
 * casting rays through the same BVH the radio tracer uses. The synthetic test rooms are rendered
 * with it inside the unit tests (no browser needed); the demo twin's committed views are rendered
 * by three.js in Chromium (scripts/render-demo-views.ts) with the same textures and shading, and
 * demoViews.test.ts checks the two agree pose for pose. Shading is surfaceShade: an evenly lit
 * room, with the rough classes' micro-relief in the normal.
 */
export function renderClassView(
  scene: Scene,
  bvh: Bvh,
  camera: Camera,
  classOfObject: readonly string[],
  options: RenderOptions = {},
): RgbaImage {
  const ss = options.supersample ?? 2;
  const light = options.light ?? DEFAULT_LIGHT;
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
            const cls = classOfObject[face.objectIndex] ?? '';
            const albedo = classAlbedo(cls, su, sv);
            const roughness =
              options.roughnessOfObject?.[face.objectIndex] ?? CLASS_ROUGHNESS[cls] ?? 'smooth';
            const k = surfaceShade(face.normal, axes[face.id]!, reliefAt(roughness, su, sv), light);
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
