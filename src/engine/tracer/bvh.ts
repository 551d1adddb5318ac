import { norm3 } from '../core/norm.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';

/**
 * Bounding volume hierarchy over the scene's triangles, flattened so that the CPU tracer
 * and the WGSL kernels traverse the same layout:
 * - `bounds`: 6 numbers per node (min xyz, max xyz)
 * - `nodes`: 2 integers per node: for an inner node (left child index, right child index),
 *   for a leaf (first index into `triangleOrder`, −count). Node 0 is the root.
 * - `triangleOrder`: scene triangle indices, leaves reference contiguous runs.
 */
export interface Bvh {
  bounds: Float64Array;
  nodes: Int32Array;
  triangleOrder: Uint32Array;
}

const LEAF_SIZE = 4;

/**
 * Build a BVH by recursive median split along the longest axis of the centroid bounds. With
 * `split` (0 < split < triangle count) the root's two children are triangles [0, split) and
 * [split, n) instead, each built the same way: a timeline frame's static twin and its moving
 * actors, so that refitBvh can follow the actors without loosening the twin's subtree.
 * With `subset`, over those scene triangles only (hullPlanes.ts: the triangles off the hull).
 */
export function buildBvh(scene: Scene, split = 0, subset?: ArrayLike<number>): Bvh {
  const p = scene.positions;
  const n = subset ? subset.length : scene.triangleObject.length;
  const order = subset ? Uint32Array.from(subset) : Uint32Array.from({ length: n }, (_, i) => i);
  // indexed by scene triangle
  const centroid = new Float64Array(3 * scene.triangleObject.length);
  for (const t of order) {
    for (let k = 0; k < 3; k++)
      centroid[3 * t + k] = (p[9 * t + k]! + p[9 * t + 3 + k]! + p[9 * t + 6 + k]!) / 3;
  }
  const bounds: number[] = [];
  const nodes: number[] = [];
  const build = (start: number, end: number): number => {
    const id = nodes.length / 2;
    nodes.push(0, 0);
    const b = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    const cb = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    for (let i = start; i < end; i++) {
      const t = order[i]!;
      for (let v = 0; v < 3; v++) {
        for (let k = 0; k < 3; k++) {
          const x = p[9 * t + 3 * v + k]!;
          b[k] = Math.min(b[k]!, x);
          b[3 + k] = Math.max(b[3 + k]!, x);
        }
      }
      for (let k = 0; k < 3; k++) {
        cb[k] = Math.min(cb[k]!, centroid[3 * t + k]!);
        cb[3 + k] = Math.max(cb[3 + k]!, centroid[3 * t + k]!);
      }
    }
    bounds.push(...b);
    if (end - start <= LEAF_SIZE) {
      nodes[2 * id] = start;
      nodes[2 * id + 1] = -(end - start);
      return id;
    }
    if (start === 0 && end === n && split > 0 && split < n) {
      const left = build(0, split);
      const right = build(split, n);
      nodes[2 * id] = left;
      nodes[2 * id + 1] = right;
      return id;
    }
    const ext = [cb[3]! - cb[0]!, cb[4]! - cb[1]!, cb[5]! - cb[2]!];
    const axis = ext[0]! >= ext[1]! && ext[0]! >= ext[2]! ? 0 : ext[1]! >= ext[2]! ? 1 : 2;
    const sorted = Array.from(order.subarray(start, end)).sort(
      (a, c) => centroid[3 * a + axis]! - centroid[3 * c + axis]!,
    );
    order.set(sorted, start);
    const mid = (start + end) >> 1;
    const left = build(start, mid);
    const right = build(mid, end);
    nodes[2 * id] = left;
    nodes[2 * id + 1] = right;
    return id;
  };
  if (n > 0) build(0, n);
  else {
    bounds.push(0, 0, 0, 0, 0, 0);
    nodes.push(0, 0);
  }
  return { bounds: Float64Array.from(bounds), nodes: Int32Array.from(nodes), triangleOrder: order };
}

/**
 * The same tree (nodes and triangle order) with every node's bounds recomputed from `positions`
 * (the same triangles, moved): leaves from their triangles, inner nodes from their children, in
 * one pass from the last node to the root (buildBvh numbers a node before its children). Exact
 * for any motion, since traversal only uses bounds to cull and tests every hit on the triangles;
 * after large motion the tree may cull less well than a rebuilt one.
 */
export function refitBvh(bvh: Bvh, positions: Float64Array): Bvh {
  const { nodes, triangleOrder } = bvh;
  if (triangleOrder.length === 0) return { ...bvh, bounds: bvh.bounds.slice() };
  const bounds = new Float64Array(bvh.bounds.length);
  for (let id = nodes.length / 2 - 1; id >= 0; id--) {
    const a = nodes[2 * id]!;
    const b = nodes[2 * id + 1]!;
    const o = 6 * id;
    if (b <= 0) {
      bounds.fill(Infinity, o, o + 3);
      bounds.fill(-Infinity, o + 3, o + 6);
      for (let i = a; i < a - b; i++) {
        const t = 9 * triangleOrder[i]!;
        for (let v = 0; v < 9; v += 3) {
          for (let k = 0; k < 3; k++) {
            const x = positions[t + v + k]!;
            if (x < bounds[o + k]!) bounds[o + k] = x;
            if (x > bounds[o + 3 + k]!) bounds[o + 3 + k] = x;
          }
        }
      }
    } else {
      for (let k = 0; k < 3; k++) {
        bounds[o + k] = Math.min(bounds[6 * a + k]!, bounds[6 * b + k]!);
        bounds[o + 3 + k] = Math.max(bounds[6 * a + 3 + k]!, bounds[6 * b + 3 + k]!);
      }
    }
  }
  return { bounds, nodes, triangleOrder };
}

/** Möller–Trumbore; returns t > tMin of the hit or Infinity. Double-sided. */
export function intersectTriangle(
  positions: Float64Array,
  t: number,
  o: Vec3,
  d: Vec3,
  tMin: number,
): number {
  const i = 9 * t;
  const ax = positions[i]!,
    ay = positions[i + 1]!,
    az = positions[i + 2]!;
  const e1x = positions[i + 3]! - ax,
    e1y = positions[i + 4]! - ay,
    e1z = positions[i + 5]! - az;
  const e2x = positions[i + 6]! - ax,
    e2y = positions[i + 7]! - ay,
    e2z = positions[i + 8]! - az;
  const px = d[1] * e2z - d[2] * e2y,
    py = d[2] * e2x - d[0] * e2z,
    pz = d[0] * e2y - d[1] * e2x;
  const det = e1x * px + e1y * py + e1z * pz;
  if (Math.abs(det) < 1e-14) return Infinity;
  const inv = 1 / det;
  const sx = o[0] - ax,
    sy = o[1] - ay,
    sz = o[2] - az;
  const u = (sx * px + sy * py + sz * pz) * inv;
  if (u < -1e-12 || u > 1 + 1e-12) return Infinity;
  const qx = sy * e1z - sz * e1y,
    qy = sz * e1x - sx * e1z,
    qz = sx * e1y - sy * e1x;
  const v = (d[0] * qx + d[1] * qy + d[2] * qz) * inv;
  if (v < -1e-12 || u + v > 1 + 1e-12) return Infinity;
  const hit = (e2x * qx + e2y * qy + e2z * qz) * inv;
  return hit > tMin ? hit : Infinity;
}

function slab(bounds: Float64Array, node: number, o: Vec3, inv: Vec3, tMax: number): number {
  let t0 = 0;
  let t1 = tMax;
  for (let k = 0; k < 3; k++) {
    let a = (bounds[6 * node + k]! - o[k]) * inv[k];
    let b = (bounds[6 * node + 3 + k]! - o[k]) * inv[k];
    if (a > b) [a, b] = [b, a];
    if (Number.isNaN(a)) a = -Infinity; // 0·∞ when the ray lies in a slab plane
    if (Number.isNaN(b)) b = Infinity;
    t0 = Math.max(t0, a);
    t1 = Math.min(t1, b);
    if (t0 > t1 * (1 + 1e-12) + 1e-12) return Infinity;
  }
  return t0;
}

export interface RayHit {
  /** distance along the (unit) direction */
  t: number;
  triangle: number;
}

/**
 * Closest hit of the ray o + t·d (d unit) with t in (tMin, tMax), skipping triangles for which
 * `ignore` returns true (e.g. the face the ray starts on). Returns undefined when nothing is hit.
 */
export function closestHit(
  scene: Scene,
  bvh: Bvh,
  o: Vec3,
  d: Vec3,
  tMin = 1e-9,
  tMax = Infinity,
  ignore?: (triangle: number) => boolean,
): RayHit | undefined {
  const inv: Vec3 = [1 / d[0], 1 / d[1], 1 / d[2]];
  const stack = [0];
  let best = tMax;
  let bestTri = -1;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (slab(bvh.bounds, node, o, inv, best) === Infinity) continue;
    const a = bvh.nodes[2 * node]!;
    const b = bvh.nodes[2 * node + 1]!;
    if (b <= 0) {
      for (let i = a; i < a - b; i++) {
        const tri = bvh.triangleOrder[i]!;
        if (ignore?.(tri)) continue;
        const t = intersectTriangle(scene.positions, tri, o, d, tMin);
        if (t < best) {
          best = t;
          bestTri = tri;
        }
      }
    } else {
      stack.push(a, b);
    }
  }
  return bestTri >= 0 ? { t: best, triangle: bestTri } : undefined;
}

/**
 * Whether the open segment from `a` to `b` is blocked by any triangle, ignoring hits within
 * `epsilon` metres of either end and triangles for which `ignore` returns true.
 */
export function segmentBlocked(
  scene: Scene,
  bvh: Bvh,
  a: Vec3,
  b: Vec3,
  epsilon = 1e-6,
  ignore?: (triangle: number) => boolean,
): boolean {
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const len = norm3(d[0], d[1], d[2]);
  if (len <= 2 * epsilon) return false;
  const u: Vec3 = [d[0] / len, d[1] / len, d[2] / len];
  return closestHit(scene, bvh, a, u, epsilon, len - epsilon, ignore) !== undefined;
}

/**
 * Every hit of the ray o + t·d (d unit) with t in (tMin, tMax) on the triangles `accept` keeps,
 * in no particular order (one traversal; for crossing counts and see-through picking).
 */
export function allHits(
  scene: Scene,
  bvh: Bvh,
  o: Vec3,
  d: Vec3,
  accept: (triangle: number) => boolean,
  tMin = 1e-9,
  tMax = Infinity,
): RayHit[] {
  const inv: Vec3 = [1 / d[0], 1 / d[1], 1 / d[2]];
  const stack = [0];
  const out: RayHit[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (slab(bvh.bounds, node, o, inv, tMax) === Infinity) continue;
    const a = bvh.nodes[2 * node]!;
    const b = bvh.nodes[2 * node + 1]!;
    if (b <= 0) {
      for (let i = a; i < a - b; i++) {
        const tri = bvh.triangleOrder[i]!;
        if (!accept(tri)) continue;
        const t = intersectTriangle(scene.positions, tri, o, d, tMin);
        if (t < tMax) out.push({ t, triangle: tri });
      }
    } else {
      stack.push(a, b);
    }
  }
  return out;
}
