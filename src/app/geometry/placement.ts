import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { closestHit, solidsContaining } from '../../engine/tracer/index.ts';
import type { Pick } from './picking.ts';
import type { SceneIndex } from './sceneIndex.ts';

/** A surface whose visible side faces up at least this much (cos 45°) is a floor: devices stand above it. */
const FLOOR_LIKE = Math.SQRT1_2;
/** Distance from a wall or ceiling at which a device clicked on it is mounted (m). */
export const MOUNT_CLEARANCE = 0.25;
/** Smallest gap left between a device and a surface above it (m). */
const MIN_GAP = 0.05;

export interface Placement {
  position: Vec3;
  /** why the device is not exactly where asked (a low ceiling, a narrow gap), or '' */
  note: string;
}

const offset = (p: Vec3, n: Vec3, s: number): Vec3 => [p[0] + s * n[0], p[1] + s * n[1], p[2] + s * n[2]];

/**
 * Where a device clicked on a surface goes: above a floor-like surface (its visible side up) at
 * `height`, but below whatever is closer above (a ceiling, a table top) by MIN_GAP; on a wall or
 * a ceiling seen from below, MOUNT_CLEARANCE off it on the side the person sees (at most half way
 * to the next surface). The position stays on the visible side, so a click inside a room places
 * inside it.
 */
export function placementFor(scene: Scene, index: SceneIndex, pick: Pick, height: number): Placement {
  const n = pick.facingNormal;
  const name = (t: number) => scene.objects[scene.triangleObject[t]!]?.name ?? `object ${t}`;
  if (n[2] >= FLOOR_LIKE) {
    const up = closestHit(scene, index.bvh, pick.point, [0, 0, 1], 1e-6);
    if (!up || up.t >= height + MIN_GAP) return { position: offset(pick.point, [0, 0, 1], height), note: '' };
    const h = Math.max(up.t / 2, up.t - MIN_GAP);
    return {
      position: offset(pick.point, [0, 0, 1], h),
      note: `${h.toFixed(2)} m above the surface: ${name(up.triangle)} is ${up.t.toFixed(2)} m above it`,
    };
  }
  const ahead = closestHit(scene, index.bvh, pick.point, n, 1e-6);
  const s = ahead ? Math.min(MOUNT_CLEARANCE, ahead.t / 2) : MOUNT_CLEARANCE;
  return {
    position: offset(pick.point, n, s),
    note: s < MOUNT_CLEARANCE ? `${s.toFixed(2)} m off the surface (${name(ahead!.triangle)} in front)` : '',
  };
}

/**
 * What is wrong with a device's position, in words for the device list and the trace's status:
 * outside the scene's bounding box (1 mm tolerance), or inside a solid object (table, wall slab).
 * Empty when nothing is.
 */
export function placementProblems(scene: Scene, index: SceneIndex, p: Vec3): string[] {
  const out: string[] = [];
  const { min, max } = scene.bbox;
  const tol = 1e-3;
  const outside = [0, 1, 2].filter((k) => p[k]! < min[k]! - tol || p[k]! > max[k]! + tol);
  if (outside.length > 0) {
    const axes = outside
      .map((k) => {
        const v = p[k]!;
        const by = v < min[k]! ? min[k]! - v : v - max[k]!;
        return `${'xyz'[k]} ${by.toFixed(2)} m ${v < min[k]! ? 'below' : 'beyond'} the ${v < min[k]! ? 'minimum' : 'maximum'}`;
      })
      .join(', ');
    out.push(`outside the scene's bounds (${axes})`);
  }
  // a point outside the bounds is inside no object
  if (outside.length === 0)
    for (const o of solidsContaining(scene, index.bvh, p, index.solid))
      out.push(`inside ${scene.objects[o]!.name}`);
  return out;
}
