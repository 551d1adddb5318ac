import { hullPlanesOf } from './hullPlanes.ts';
import type { TracerGeometry } from './tracerGeometry.ts';

/**
 * Allocation-free BVH traversal for the CPU path search (same flat layout as bvh.ts, which the
 * WGSL kernels read). Rays are o + t·d with d a unit vector, so t is in metres. Triangles of up to
 * two faces can be ignored (the faces at the ends of a path segment). Triangles are double-sided.
 */

const stack = new Int32Array(512);

/** Result of the last `castRay`: hit distance and triangle (−1 when nothing was hit). */
export const lastHit = { t: Infinity, triangle: -1 };

const TRI_EPS = 1e-12;

/**
 * The ray hitTriangle tests, [ox, oy, oz, dx, dy, dz, tMin, tMax], and its answer t (index 8).
 * Numbers go through this array, not arguments: hitTriangle and segmentOccluded's traversal are
 * too large for V8 to inline (--trace-turbo-inlining), and a call boxes each number argument on
 * the heap, per triangle tested and per segment (a demo radio map allocated 6 % less without).
 */
const RAY = new Float64Array(9);

/** RAY's origin, unit direction and tMin (tMax is set by the caller). Small: inlined. */
function setRay(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, tMin: number): void {
  const r = RAY;
  r[0] = ox;
  r[1] = oy;
  r[2] = oz;
  r[3] = dx;
  r[4] = dy;
  r[5] = dz;
  r[6] = tMin;
}

/** Möller–Trumbore on scalars: whether RAY hits triangle `tri` at t in (tMin, tMax) (t in RAY[8]). */
function hitTriangle(p: Float64Array, tri: number): boolean {
  const r = RAY;
  const ox = r[0]!,
    oy = r[1]!,
    oz = r[2]!,
    dx = r[3]!,
    dy = r[4]!,
    dz = r[5]!;
  const i = 9 * tri;
  const ax = p[i]!,
    ay = p[i + 1]!,
    az = p[i + 2]!;
  const e1x = p[i + 3]! - ax,
    e1y = p[i + 4]! - ay,
    e1z = p[i + 5]! - az;
  const e2x = p[i + 6]! - ax,
    e2y = p[i + 7]! - ay,
    e2z = p[i + 8]! - az;
  const px = dy * e2z - dz * e2y,
    py = dz * e2x - dx * e2z,
    pz = dx * e2y - dy * e2x;
  const det = e1x * px + e1y * py + e1z * pz;
  if (det > -1e-14 && det < 1e-14) return false;
  const inv = 1 / det;
  const sx = ox - ax,
    sy = oy - ay,
    sz = oz - az;
  const u = (sx * px + sy * py + sz * pz) * inv;
  if (u < -TRI_EPS || u > 1 + TRI_EPS) return false;
  const qx = sy * e1z - sz * e1y,
    qy = sz * e1x - sx * e1z,
    qz = sx * e1y - sy * e1x;
  const v = (dx * qx + dy * qy + dz * qz) * inv;
  if (v < -TRI_EPS || u + v > 1 + TRI_EPS) return false;
  const t = (e2x * qx + e2y * qy + e2z * qz) * inv;
  if (!(t > r[6]! && t < r[7]!)) return false;
  r[8] = t;
  return true;
}

/**
 * Whether the ray ray[o…o+6) (origin, unit direction) hits one of triangles [t0, t1) of `pos` at
 * t in (tMin, tMax): segmentOccluded's triangle test without a BVH, for a few triangles (the
 * moving actors of a timeline frame, dynamics/incremental.ts), so that both decide alike.
 */
export function rayHitsTriangles(
  pos: Float64Array,
  t0: number,
  t1: number,
  ray: Float64Array,
  o: number,
  tMin: number,
  tMax: number,
): boolean {
  setRay(ray[o]!, ray[o + 1]!, ray[o + 2]!, ray[o + 3]!, ray[o + 4]!, ray[o + 5]!, tMin);
  RAY[7] = tMax;
  for (let t = t0; t < t1; t++) if (hitTriangle(pos, t)) return true;
  return false;
}

/** Entry distance of the ray into node's box within [0, tMax], or Infinity. */
function boxEntry(
  b: Float64Array,
  node: number,
  ox: number,
  oy: number,
  oz: number,
  ix: number,
  iy: number,
  iz: number,
  tMax: number,
): number {
  const o = 6 * node;
  let t0 = 0;
  let t1 = tMax;
  let a = (b[o]! - ox) * ix;
  let c = (b[o + 3]! - ox) * ix;
  if (a > c) {
    const s = a;
    a = c;
    c = s;
  }
  // NaN (0·∞: the ray lies in a slab plane) fails every comparison and leaves the bound open
  if (a > t0) t0 = a;
  if (c < t1) t1 = c;
  a = (b[o + 1]! - oy) * iy;
  c = (b[o + 4]! - oy) * iy;
  if (a > c) {
    const s = a;
    a = c;
    c = s;
  }
  if (a > t0) t0 = a;
  if (c < t1) t1 = c;
  a = (b[o + 2]! - oz) * iz;
  c = (b[o + 5]! - oz) * iz;
  if (a > c) {
    const s = a;
    a = c;
    c = s;
  }
  if (a > t0) t0 = a;
  if (c < t1) t1 = c;
  return t0 <= t1 * (1 + 1e-12) + 1e-12 ? t0 : Infinity;
}

/**
 * Closest hit along o + t·d for t in (tMin, tMax), ignoring faces `skipA`/`skipB` (−1 = none).
 * Result in `lastHit`; returns whether something was hit.
 */
export function castRay(
  g: TracerGeometry,
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  tMin: number,
  tMax: number,
  skipA: number,
  skipB: number,
): boolean {
  const { bounds, nodes, triangleOrder } = g.bvh;
  const pos = g.scene.positions;
  const triFace = g.scene.triangleFace;
  const ix = 1 / dx,
    iy = 1 / dy,
    iz = 1 / dz;
  let best = tMax;
  let bestTri = -1;
  const r = RAY;
  setRay(ox, oy, oz, dx, dy, dz, tMin);
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp]!;
    if (boxEntry(bounds, node, ox, oy, oz, ix, iy, iz, best) === Infinity) continue;
    const a = nodes[2 * node]!;
    const b = nodes[2 * node + 1]!;
    if (b <= 0) {
      for (let i = a; i < a - b; i++) {
        const tri = triangleOrder[i]!;
        const f = triFace[tri]!;
        if (f === skipA || f === skipB) continue;
        r[7] = best;
        if (hitTriangle(pos, tri)) {
          best = r[8]!;
          bestTri = tri;
        }
      }
    } else {
      stack[sp++] = a;
      stack[sp++] = b;
    }
  }
  lastHit.t = best;
  lastHit.triangle = bestTri;
  return bestTri >= 0;
}

/**
 * Whether the segment from (ax, ay, az) to (bx, by, bz) is blocked. Each end is an antenna
 * (face −1: hits within `eps` metres of it are ignored) or a point on a surface: an interaction
 * on face endA (endB), or on an edge between endA and endA2 (endB, endB2) for diffraction.
 * Faces in the plane of an end's face(s) are ignored (the segment leaves that plane at the end:
 * it can meet them nowhere else); every other surface blocks, however close to the end
 * (watertight rule, docs/physics.md §9: a segment that enters a closed solid through the edge
 * next to its interaction point is blocked). Stops at the first blocking triangle.
 */
export function segmentOccluded(
  g: TracerGeometry,
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  endA: number,
  endB: number,
  eps: number,
  endA2 = -1,
  endB2 = -1,
): boolean {
  // small enough to be inlined where it is called: the numbers reach segmentBlocked through
  // RAY, not as (boxed) arguments
  return setSegment(ax, ay, az, bx, by, bz, endA, endB, eps) && segmentBlocked(g, endA, endB, endA2, endB2);
}

/**
 * RAY for the segment a → b as segmentOccluded tests it (hits within eps of an antenna end
 * ignored); false when nothing of it is left to test. Small: inlined.
 */
function setSegment(
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  endA: number,
  endB: number,
  eps: number,
): boolean {
  let dx = bx - ax,
    dy = by - ay,
    dz = bz - az;
  const len = Math.sqrt(dx * dx + dy * dy + dz * dz);
  const tMin = endA < 0 ? eps : 0;
  const tMax = endB < 0 ? len - eps : len;
  if (tMax <= tMin) return false;
  dx /= len;
  dy /= len;
  dz /= len;
  setRay(ax, ay, az, dx, dy, dz, tMin);
  RAY[7] = tMax;
  return true;
}

/** The triangle that blocked the last segment segmentBlocked found blocked. */
let blockedBy = -1;

/**
 * segmentOccluded with a shadow cache: `memo[k]` holds the triangle that blocked this caller's
 * previous segment in slot k (−1: none), and is tried first — neighbouring receivers of a map
 * are mostly hidden from an edge by the same wall. A hit on it is a hit segmentOccluded would
 * count (same ignored faces, same t range), so the answer is the same; a miss falls back to the
 * whole test, which refreshes the memo.
 */
export function segmentOccludedMemo(
  g: TracerGeometry,
  ax: number,
  ay: number,
  az: number,
  bx: number,
  by: number,
  bz: number,
  endA: number,
  endB: number,
  eps: number,
  endA2: number,
  endB2: number,
  memo: Int32Array,
  k: number,
): boolean {
  if (!setSegment(ax, ay, az, bx, by, bz, endA, endB, eps)) return false;
  const t = memo[k]!;
  if (t >= 0) {
    const group = g.faceGroup;
    const fg = group[g.scene.triangleFace[t]!]!;
    const ignored =
      (endA >= 0 && fg === group[endA]) ||
      (endB >= 0 && fg === group[endB]) ||
      (endA2 >= 0 && fg === group[endA2]) ||
      (endB2 >= 0 && fg === group[endB2]);
    if (!ignored && hitTriangle(g.scene.positions, t)) return true;
  }
  if (!segmentBlocked(g, endA, endB, endA2, endB2)) return false;
  memo[k] = blockedBy;
  return true;
}

/**
 * segmentOccluded's test, on the ray in RAY: first the scene's hull planes (hullPlanes.ts; a
 * plane with both ends of the tested stretch more than its margin on one side cannot block),
 * then a traversal of the BVH of the other triangles.
 */
function segmentBlocked(
  g: TracerGeometry,
  endA: number,
  endB: number,
  endA2: number,
  endB2: number,
): boolean {
  const r = RAY;
  const ax = r[0]!,
    ay = r[1]!,
    az = r[2]!,
    tMax = r[7]!;
  const pos = g.scene.positions;
  const triFace = g.scene.triangleFace;
  const group = g.faceGroup;
  const gA = endA < 0 ? -1 : group[endA]!;
  const gA2 = endA2 < 0 ? -1 : group[endA2]!;
  const gB = endB < 0 ? -1 : group[endB]!;
  const gB2 = endB2 < 0 ? -1 : group[endB2]!;
  const hull = hullPlanesOf(g);
  const hp = hull.plane;
  for (let k = 0; k < hull.count; k++) {
    const hg = hull.group[k]!;
    if (hg === gA || hg === gB || hg === gA2 || hg === gB2) continue;
    const o = 4 * k;
    const sa = hp[o]! * ax + hp[o + 1]! * ay + hp[o + 2]! * az - hp[o + 3]!;
    const sb = sa + tMax * (hp[o]! * r[3]! + hp[o + 1]! * r[4]! + hp[o + 2]! * r[5]!);
    const m = hull.margin[k]!;
    if ((sa < -m && sb < -m) || (sa > m && sb > m)) continue;
    for (let i = hull.triStart[k]!; i < hull.triStart[k + 1]!; i++) {
      if (hitTriangle(pos, hull.triangles[i]!)) {
        blockedBy = hull.triangles[i]!;
        return true;
      }
    }
  }
  const { bounds, nodes, triangleOrder } = hull.inner;
  const ix = 1 / r[3]!,
    iy = 1 / r[4]!,
    iz = 1 / r[5]!;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp]!;
    if (boxEntry(bounds, node, ax, ay, az, ix, iy, iz, tMax) === Infinity) continue;
    const a = nodes[2 * node]!;
    const b = nodes[2 * node + 1]!;
    if (b <= 0) {
      for (let i = a; i < a - b; i++) {
        const tri = triangleOrder[i]!;
        const fg = group[triFace[tri]!]!;
        if (fg === gA || fg === gB || fg === gA2 || fg === gB2) continue;
        if (hitTriangle(pos, tri)) {
          blockedBy = tri;
          return true;
        }
      }
    } else {
      stack[sp++] = a;
      stack[sp++] = b;
    }
  }
  return false;
}
