import { norm3 } from '../core/norm.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import { type Bvh, intersectTriangle } from './bvh.ts';

/**
 * Which solid object, if any, holds a point: the parity (Jordan) test per object along six
 * rays — three oblique directions (no component zero, none along a typical edge) and their opposites. A closed mesh is crossed an odd number of
 * times along every ray leaving a point inside it; an open surface (a wall, a floor plate) is
 * crossed along at most half of them (a ray or its opposite, not both), so it never counts.
 * Requiring 5 of 6 tolerates a ray that grazes an edge. Hits of one object at the same distance
 * (the shared edge of two triangles) count once.
 *
 * A closed object that spans the whole scene is the scene's shell — the room or box the devices
 * are meant to be in (Sionna's `box` scene is one closed mesh) — not a solid: it never counts.
 * Face orientation cannot tell the two apart (the fixtures wind shells and buildings either way).
 * Used for soundings and devices placed inside solids, where the twin does not describe the field.
 */
const DIRECTIONS: Vec3[] = (
  [
    [3, 5, 7],
    [-7, 2, 4],
    [2, -6, 3],
  ] as Vec3[]
).flatMap((d) => {
  const n = norm3(d[0], d[1], d[2]);
  const u: Vec3 = [d[0] / n, d[1] / n, d[2] / n];
  return [u, [-u[0], -u[1], -u[2]] as Vec3];
});

/** Index of the solid object enclosing `p`, or −1 (also for a point outside the scene's bounds). */
export function objectContaining(scene: Scene, bvh: Bvh, p: Vec3): number {
  const { min, max } = scene.bbox;
  if ([0, 1, 2].some((k) => p[k]! < min[k]! || p[k]! > max[k]!)) return -1;
  const shells = shellObjects(scene);
  const oddRays = new Map<number, number>();
  for (const d of DIRECTIONS) {
    const hits = new Map<number, number[]>();
    forEachHit(scene, bvh, p, d, (triangle, t) => {
      const object = scene.triangleObject[triangle]!;
      const ts = hits.get(object);
      if (!ts) hits.set(object, [t]);
      else if (!ts.some((u) => Math.abs(u - t) <= 1e-9 * (1 + t))) ts.push(t);
    });
    for (const [object, ts] of hits)
      if (ts.length % 2 === 1 && !shells.has(object)) oddRays.set(object, (oddRays.get(object) ?? 0) + 1);
  }
  for (const [object, odd] of oddRays) if (odd >= 5) return object;
  return -1;
}

const shellCache = new WeakMap<Scene, Set<number>>();

/** Objects whose bounding box covers the scene's to within 1 % of its size on every axis. */
function shellObjects(scene: Scene): Set<number> {
  let shells = shellCache.get(scene);
  if (shells) return shells;
  shells = new Set();
  const { min, max } = scene.bbox;
  const slack = [0, 1, 2].map((k) => 0.01 * (max[k]! - min[k]!));
  scene.objects.forEach((o, i) => {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let j = 9 * o.triangleOffset; j < 9 * (o.triangleOffset + o.triangleCount); j++) {
      const k = j % 3;
      lo[k] = Math.min(lo[k]!, scene.positions[j]!);
      hi[k] = Math.max(hi[k]!, scene.positions[j]!);
    }
    if ([0, 1, 2].every((k) => lo[k]! <= min[k]! + slack[k]! && hi[k]! >= max[k]! - slack[k]!))
      shells!.add(i);
  });
  shellCache.set(scene, shells);
  return shells;
}

/** Every triangle the ray p + t·d (t > 0) hits, with its distance, in no particular order. */
function forEachHit(scene: Scene, bvh: Bvh, o: Vec3, d: Vec3, hit: (triangle: number, t: number) => void) {
  const stack = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!rayMeetsBox(bvh.bounds, node, o, d)) continue;
    const a = bvh.nodes[2 * node]!;
    const b = bvh.nodes[2 * node + 1]!;
    if (b <= 0) {
      for (let i = a; i < a - b; i++) {
        const triangle = bvh.triangleOrder[i]!;
        const t = intersectTriangle(scene.positions, triangle, o, d, 1e-9);
        if (t < Infinity) hit(triangle, t);
      }
    } else stack.push(a, b);
  }
}

/** Whether the ray from o along d (no component zero: the directions above) meets node's box. */
function rayMeetsBox(bounds: Float64Array, node: number, o: Vec3, d: Vec3): boolean {
  let t0 = 0;
  let t1 = Infinity;
  for (let k = 0; k < 3; k++) {
    let a = (bounds[6 * node + k]! - o[k]!) / d[k]!;
    let b = (bounds[6 * node + 3 + k]! - o[k]!) / d[k]!;
    if (a > b) [a, b] = [b, a];
    t0 = Math.max(t0, a);
    t1 = Math.min(t1, b);
  }
  return t0 <= t1 * (1 + 1e-12) + 1e-12;
}
