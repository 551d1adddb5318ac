import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, closestHit } from '../tracer/bvh.ts';
import { type Camera, cameraCentre, insideImage, pixelRay, projectPoint } from './camera.ts';

export type VisibilityVerdict = 'visible' | 'behind' | 'outside' | 'grazing' | 'occluded';

export interface PointView {
  verdict: VisibilityVerdict;
  /** continuous pixel position (when in front of the camera) */
  x?: number;
  y?: number;
  /** distance from the camera centre (m) */
  distance?: number;
  /** |cos| of the angle between the surface normal and the direction to the camera */
  cosView?: number;
}

export interface VisibilityOptions {
  /** reject views closer than this to grazing (|cos| below), default 0.2 (≈ 78°) */
  minCosView?: number;
  /** keep the projection this many pixels inside the image, default 1 */
  marginPx?: number;
}

/**
 * Whether point `p` on face `faceId` is seen by the camera: in front of it, inside the image,
 * not at grazing incidence, and passing the depth test: the first surface the camera ray meets
 * on its way to `p` is p's own face at p's distance (within 1 mm + 0.1 %).
 */
export function pointVisibility(
  scene: Scene,
  bvh: Bvh,
  camera: Camera,
  p: Vec3,
  faceId: number,
  options: VisibilityOptions = {},
): PointView {
  const q = projectPoint(camera, p);
  if (!q) return { verdict: 'behind' };
  const base = { x: q.x, y: q.y };
  if (!insideImage(camera, q, options.marginPx ?? 1)) return { verdict: 'outside', ...base };
  const c = cameraCentre(camera);
  const d: Vec3 = [p[0] - c[0], p[1] - c[1], p[2] - c[2]];
  const distance = Math.hypot(d[0], d[1], d[2]);
  const dir: Vec3 = [d[0] / distance, d[1] / distance, d[2] / distance];
  const n = scene.faces[faceId]!.normal;
  const cosView = Math.abs(n[0] * dir[0] + n[1] * dir[1] + n[2] * dir[2]);
  const view = { ...base, distance, cosView };
  if (cosView < (options.minCosView ?? 0.2)) return { verdict: 'grazing', ...view };
  const tol = 1e-3 + 1e-3 * distance;
  const hit = closestHit(scene, bvh, c, dir, 1e-9, distance + tol);
  if (!hit) return { verdict: 'visible', ...view }; // numerically missed its own face: nothing in front
  if (hit.t < distance - tol) return { verdict: 'occluded', ...view };
  return { verdict: scene.triangleFace[hit.triangle] === faceId ? 'visible' : 'occluded', ...view };
}

/**
 * Fraction of a g×g grid of rays through the square crop [x0, x0+side)² that hits face `faceId`
 * first: how much of the crop shows the surface being classified rather than its neighbours.
 */
export function cropPurity(
  scene: Scene,
  bvh: Bvh,
  camera: Camera,
  faceId: number,
  x0: number,
  y0: number,
  side: number,
  grid = 4,
): number {
  const c = cameraCentre(camera);
  let same = 0;
  for (let j = 0; j < grid; j++) {
    for (let i = 0; i < grid; i++) {
      const d = pixelRay(camera, x0 + ((i + 0.5) / grid) * side, y0 + ((j + 0.5) / grid) * side);
      const hit = closestHit(scene, bvh, c, d);
      if (hit && scene.triangleFace[hit.triangle] === faceId) same++;
    }
  }
  return same / (grid * grid);
}
