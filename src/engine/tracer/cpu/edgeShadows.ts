import type { Vec3 } from '../../core/vec3.ts';
import { hullPlanesOf } from './hullPlanes.ts';
import type { TracerGeometry } from './tracerGeometry.ts';
import type { Wedge } from './wedges.ts';

/**
 * Which points of a wedge's edge the transmitter sees, worked out once per edge instead of one
 * occlusion test per receiver.
 *
 * The diffraction point Q(s) = start + s·e moves along the edge with the receiver, and the first
 * leg Tx → Q(s) is blocked by a triangle T exactly when Q(s) lies in T's shadow volume: beyond
 * T's plane and inside the three planes through Tx and T's edges. Each of those four conditions
 * is linear in s, so T shadows an interval of the edge (the shadow volume is convex). The
 * triangles that can shadow the edge are those meeting the fan triangle (Tx, start, end), found
 * in the BVH with a separating-axis test.
 *
 * Two unions of these intervals are kept per edge: `blocked`, each interval shrunk by a margin
 * (a point inside is surely blocked: rayCast.ts segmentOccluded would find T), and `maybe`, each
 * grown by the margin (a point outside every one is surely clear). Only points between the two
 * still need the exact test, so the paths are those of testing every receiver, bit for bit. An
 * edge wholly inside `blocked` is dropped for every receiver: in a city seen from a street
 * corner, most of the 10⁴ edges facing the transmitter are hidden behind the first buildings.
 *
 * The exact test ignores the wedge's own faces (their coplanar groups) and hits at t ≤ eps from
 * the transmitter; the same triangles are ignored here, and a triangle within eps + margin of the
 * transmitter's plane (too close to Tx to decide) blocks nothing and may block everything.
 */
export interface EdgeShadow {
  /** merged open intervals (lo, hi) of s, flat pairs, sorted: Q(s) surely not visible from Tx */
  blocked: Float64Array;
  /** merged closed intervals [lo, hi] of s: outside all of them Q(s) is surely visible */
  maybe: Float64Array;
}

export const BLOCKED = 1;
export const CLEAR = 0;
export const UNDECIDED = -1;

/** Where Q(s) falls: BLOCKED, CLEAR or UNDECIDED (run the exact test). */
export function classifyOnEdge(shadow: EdgeShadow, s: number): number {
  const b = shadow.blocked;
  for (let k = 0; k < b.length && b[k]! < s; k += 2) if (s < b[k + 1]!) return BLOCKED;
  const m = shadow.maybe;
  for (let k = 0; k < m.length && m[k]! <= s; k += 2) if (s <= m[k + 1]!) return UNDECIDED;
  return CLEAR;
}

/** Whether the whole edge [0, length] is surely hidden from the transmitter. */
export function edgeHidden(shadow: EdgeShadow, length: number): boolean {
  const b = shadow.blocked;
  for (let k = 0; k < b.length; k += 2) if (b[k]! < 0 && b[k + 1]! > length) return true;
  return false;
}

/** Sorted, merged intervals as flat pairs; `open`: touching intervals are not merged. */
class Intervals {
  readonly v: number[] = [];
  constructor(private readonly open: boolean) {}

  add(lo: number, hi: number): void {
    const v = this.v;
    // v holds disjoint intervals in order: find those overlapping [lo, hi] and replace them
    let i = 0;
    while (i < v.length && (this.open ? v[i + 1]! <= lo : v[i + 1]! < lo)) i += 2;
    let j = i;
    while (j < v.length && (this.open ? v[j]! < hi : v[j]! <= hi)) {
      lo = Math.min(lo, v[j]!);
      hi = Math.max(hi, v[j + 1]!);
      j += 2;
    }
    v.splice(i, j - i, lo, hi);
  }

  covers(a: number, b: number): boolean {
    const v = this.v;
    for (let k = 0; k < v.length; k += 2) if (v[k]! < a && v[k + 1]! > b) return true;
    return false;
  }
}

const stack = new Int32Array(256);

/**
 * The shadows on wedge `w`'s edge of every triangle between it and `tx` (see the file comment).
 * `eps`: the occlusion test's own (hits nearer than eps to Tx do not count).
 */
export function edgeShadow(g: TracerGeometry, w: Wedge, tx: Vec3, eps: number): EdgeShadow {
  const margin = 1e-9 * g.size;
  const group = g.faceGroup;
  const gA = group[w.faceA]!;
  const gB = w.faceB < 0 ? -1 : group[w.faceB]!;
  const pos = g.scene.positions;
  const triFace = g.scene.triangleFace;
  const blocked = new Intervals(true);
  const maybe = new Intervals(false);
  const fan = new FanTriangle(tx, w.start, w.end, margin);
  const shadowOf = (tri: number) =>
    addTriangleShadow(pos, tri, tx, w, eps, margin, blocked, maybe) && blocked.covers(0, w.length);

  const hull = hullPlanesOf(g);
  for (let k = 0; k < hull.count; k++) {
    const hg = hull.group[k]!;
    if (hg === gA || hg === gB) continue;
    // as segmentOccluded: a plane with the whole fan more than its margin on one side cannot block
    const o = 4 * k;
    const p = hull.plane;
    const m = hull.margin[k]!;
    let below = 0;
    let above = 0;
    for (const v of [tx, w.start, w.end]) {
      const d = p[o]! * v[0] + p[o + 1]! * v[1] + p[o + 2]! * v[2] - p[o + 3]!;
      if (d < -m) below++;
      else if (d > m) above++;
    }
    if (below === 3 || above === 3) continue;
    for (let i = hull.triStart[k]!; i < hull.triStart[k + 1]!; i++)
      if (shadowOf(hull.triangles[i]!)) return done(blocked, maybe);
  }

  // the BVH of the other triangles, nearer child first so that the first buildings in front
  // (which usually hide the whole edge) are found first
  const { bounds, nodes, triangleOrder } = hull.inner;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp]!;
    if (!fan.meetsBox(bounds, node)) continue;
    const a = nodes[2 * node]!;
    const b = nodes[2 * node + 1]!;
    if (b <= 0) {
      for (let i = a; i < a - b; i++) {
        const tri = triangleOrder[i]!;
        const fg = group[triFace[tri]!]!;
        if (fg === gA || fg === gB) continue;
        if (shadowOf(tri)) return done(blocked, maybe);
      }
    } else if (sp + 2 > stack.length) {
      // a BVH deeper than the stack: nothing is proven about this edge (never seen: depth ~ log n)
      return { blocked: new Float64Array(0), maybe: Float64Array.of(-Infinity, Infinity) };
    } else if (boxDistance2(bounds, a, tx) <= boxDistance2(bounds, b, tx)) {
      stack[sp++] = b;
      stack[sp++] = a;
    } else {
      stack[sp++] = a;
      stack[sp++] = b;
    }
  }
  return done(blocked, maybe);
}

const done = (blocked: Intervals, maybe: Intervals): EdgeShadow => ({
  blocked: Float64Array.from(blocked.v),
  maybe: Float64Array.from(maybe.v),
});

function boxDistance2(b: Float64Array, node: number, p: Vec3): number {
  const o = 6 * node;
  let d2 = 0;
  for (let k = 0; k < 3; k++) {
    const d = Math.max(b[o + k]! - p[k]!, 0, p[k]! - b[o + 3 + k]!);
    d2 += d * d;
  }
  return d2;
}

/**
 * Adds triangle `tri`'s shadow interval on the edge to `blocked` (shrunk) and `maybe` (grown);
 * true when it added to `blocked`.
 *
 * Conditions on Q(s) = start + s·e for the segment Tx → Q(s) to cross the triangle, each of the
 * form c₀ + c₁·s > 0: Q beyond the triangle's plane (Tx on the other side), and Q inside the
 * three planes through Tx and the triangle's edges, on the side of the third vertex. A crossing
 * point X = Tx + λ(Q − Tx) is λ times as far inside those side planes as Q, with λ ≥ λmin over
 * the edge: the side margins are margin/λmin, so that X itself is `margin` inside or outside.
 */
function addTriangleShadow(
  p: Float64Array,
  tri: number,
  tx: Vec3,
  w: Wedge,
  eps: number,
  margin: number,
  blocked: Intervals,
  maybe: Intervals,
): boolean {
  const i = 9 * tri;
  const [sx, sy, sz] = w.start;
  const [ex, ey, ez] = w.e;
  const L = w.length;
  const ax = p[i]!,
    ay = p[i + 1]!,
    az = p[i + 2]!;
  const e1x = p[i + 3]! - ax,
    e1y = p[i + 4]! - ay,
    e1z = p[i + 5]! - az;
  const e2x = p[i + 6]! - ax,
    e2y = p[i + 7]! - ay,
    e2z = p[i + 8]! - az;
  let nx = e1y * e2z - e1z * e2y,
    ny = e1z * e2x - e1x * e2z,
    nz = e1x * e2y - e1y * e2x;
  const nLen = Math.sqrt(nx * nx + ny * ny + nz * nz);
  // a degenerate triangle has det = 0 in the exact test: it never blocks
  if (!(nLen > 0)) return false;
  nx /= nLen;
  ny /= nLen;
  nz /= nLen;
  const hT = nx * (tx[0] - ax) + ny * (tx[1] - ay) + nz * (tx[2] - az);
  const aT = Math.abs(hT);
  if (!(aT > margin)) {
    // the transmitter (nearly) in the triangle's plane: undecided along the whole edge
    maybe.add(-Infinity, Infinity);
    return false;
  }
  const sigma = hT > 0 ? 1 : -1;
  // beyond the plane: −σ·h(Q) > 0, h(Q(s)) = h0 + s·h1
  const h0 = nx * (sx - ax) + ny * (sy - ay) + nz * (sz - az);
  const h1 = nx * ex + ny * ey + nz * ez;
  let bLo = -Infinity,
    bHi = Infinity,
    mLo = -Infinity,
    mHi = Infinity;
  // c0 + c1·s > m (blocked) and > −m (maybe)
  const clip = (c0: number, c1: number, m: number) => {
    if (c1 > 0) {
      bLo = Math.max(bLo, (m - c0) / c1);
      mLo = Math.max(mLo, (-m - c0) / c1);
    } else if (c1 < 0) {
      bHi = Math.min(bHi, (m - c0) / c1);
      mHi = Math.min(mHi, (-m - c0) / c1);
    } else {
      if (!(c0 > m)) bHi = -Infinity;
      if (!(c0 >= -m)) mHi = -Infinity;
    }
  };
  clip(-sigma * h0, -sigma * h1, margin);
  // the smallest λ = |hT| / (|hT| + |h(Q)|) over the edge: Q farthest beyond the plane
  const hFar = Math.max(0, -sigma * h0, -sigma * (h0 + L * h1));
  const sideMargin = (margin * (aT + hFar)) / aT;
  const vx = [ax, ax + e1x, ax + e2x];
  const vy = [ay, ay + e1y, ay + e2y];
  const vz = [az, az + e1z, az + e2z];
  for (let k = 0; k < 3; k++) {
    const a = k;
    const b = (k + 1) % 3;
    const c = (k + 2) % 3;
    // plane through Tx and the edge (a, b): normal (Va − Tx) × (Vb − Tx)
    const pax = vx[a]! - tx[0],
      pay = vy[a]! - tx[1],
      paz = vz[a]! - tx[2];
    const pbx = vx[b]! - tx[0],
      pby = vy[b]! - tx[1],
      pbz = vz[b]! - tx[2];
    let mx = pay * pbz - paz * pby,
      my = paz * pbx - pax * pbz,
      mz = pax * pby - pay * pbx;
    const mLen = Math.sqrt(mx * mx + my * my + mz * mz);
    if (!(mLen > 0)) {
      maybe.add(-Infinity, Infinity);
      return false;
    }
    mx /= mLen;
    my /= mLen;
    mz /= mLen;
    const side = mx * (vx[c]! - tx[0]) + my * (vy[c]! - tx[1]) + mz * (vz[c]! - tx[2]);
    const tau = side > 0 ? 1 : -1;
    const c0 = tau * (mx * (sx - tx[0]) + my * (sy - tx[1]) + mz * (sz - tx[2]));
    const c1 = tau * (mx * ex + my * ey + mz * ez);
    clip(c0, c1, sideMargin);
  }
  if (mLo <= mHi) maybe.add(mLo, mHi);
  // surely blocked needs a crossing farther than eps from Tx (t ≥ |hT|) and a determinant well
  // clear of the exact test's 1e-14 cut: |det| = 2·area·(|hT| + |h(Q)|)/|Q − Tx|
  const lenMax = Math.max(
    Math.hypot(sx - tx[0], sy - tx[1], sz - tx[2]),
    Math.hypot(w.end[0] - tx[0], w.end[1] - tx[1], w.end[2] - tx[2]),
  );
  if (aT > eps + margin && (nLen * aT) / lenMax > 1e-12 && bLo < bHi) {
    blocked.add(bLo, bHi);
    return true;
  }
  return false;
}

/** The fan triangle (Tx, edge start, edge end), tested against boxes (separating axes), grown by `slack`. */
class FanTriangle {
  private readonly v: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** triangle normal and the 9 edge × box-axis directions */
  private readonly axes: Float64Array;

  constructor(
    a: Vec3,
    b: Vec3,
    c: Vec3,
    private readonly slack: number,
  ) {
    this.v = Float64Array.of(...a, ...b, ...c);
    this.lo = Float64Array.from([0, 1, 2], (k) => Math.min(a[k]!, b[k]!, c[k]!));
    this.hi = Float64Array.from([0, 1, 2], (k) => Math.max(a[k]!, b[k]!, c[k]!));
    const edges = [
      [b[0] - a[0], b[1] - a[1], b[2] - a[2]],
      [c[0] - b[0], c[1] - b[1], c[2] - b[2]],
      [a[0] - c[0], a[1] - c[1], a[2] - c[2]],
    ] as const;
    const axes: number[] = [];
    const [f0, f1] = edges;
    axes.push(f0[1] * f1[2] - f0[2] * f1[1], f0[2] * f1[0] - f0[0] * f1[2], f0[0] * f1[1] - f0[1] * f1[0]);
    for (const f of edges) {
      // f × x̂, f × ŷ, f × ẑ
      axes.push(0, f[2], -f[1], -f[2], 0, f[0], f[1], -f[0], 0);
    }
    this.axes = Float64Array.from(axes);
  }

  /** False only when the box and the (grown) triangle are surely apart. */
  meetsBox(bounds: Float64Array, node: number): boolean {
    const o = 6 * node;
    const { lo, hi, slack, v, axes } = this;
    for (let k = 0; k < 3; k++)
      if (bounds[o + k]! > hi[k]! + slack || bounds[o + 3 + k]! < lo[k]! - slack) return false;
    const cx = 0.5 * (bounds[o]! + bounds[o + 3]!),
      cy = 0.5 * (bounds[o + 1]! + bounds[o + 4]!),
      cz = 0.5 * (bounds[o + 2]! + bounds[o + 5]!);
    const hx = 0.5 * (bounds[o + 3]! - bounds[o]!) + slack,
      hy = 0.5 * (bounds[o + 4]! - bounds[o + 1]!) + slack,
      hz = 0.5 * (bounds[o + 5]! - bounds[o + 2]!) + slack;
    for (let k = 0; k < axes.length; k += 3) {
      const x = axes[k]!,
        y = axes[k + 1]!,
        z = axes[k + 2]!;
      const r = hx * Math.abs(x) + hy * Math.abs(y) + hz * Math.abs(z);
      let pMin = Infinity;
      let pMax = -Infinity;
      for (let j = 0; j < 9; j += 3) {
        const pj = x * (v[j]! - cx) + y * (v[j + 1]! - cy) + z * (v[j + 2]! - cz);
        if (pj < pMin) pMin = pj;
        if (pj > pMax) pMax = pj;
      }
      // the slack is already in the box's half extents (a box grown by slack on every side)
      if (pMin > r || pMax < -r) return false;
    }
    return true;
  }
}
