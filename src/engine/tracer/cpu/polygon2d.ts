import { norm2 } from '../../core/norm.ts';

/**
 * Convex polygons in a plane, as flat [x0, y0, x1, y1, …] arrays, counter-clockwise: the few
 * operations occlusion culling needs (occlusion.ts): clip by a half-plane, subtract a convex
 * polygon (into convex pieces), area, convex hull.
 */

/** The part of convex polygon `p` where a·x + b·y ≥ c. */
export function clipHalfPlane(p: readonly number[], a: number, b: number, c: number): number[] {
  const n = p.length / 2;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const xi = p[2 * i]!,
      yi = p[2 * i + 1]!,
      xj = p[2 * j]!,
      yj = p[2 * j + 1]!;
    const hi = a * xi + b * yi - c;
    const hj = a * xj + b * yj - c;
    if (hi >= 0) out.push(xi, yi);
    if (hi >= 0 !== hj >= 0) {
      const t = hi / (hi - hj);
      out.push(xi + t * (xj - xi), yi + t * (yj - yi));
    }
  }
  return out;
}

/** Signed area (counter-clockwise > 0). */
export function area2d(p: readonly number[]): number {
  let s = 0;
  const n = p.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    s += p[2 * i]! * p[2 * j + 1]! - p[2 * j]! * p[2 * i + 1]!;
  }
  return s / 2;
}

/** Longest edge of a polygon. */
function longestEdge(p: readonly number[]): number {
  let m = 0;
  const n = p.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    m = Math.max(m, norm2(p[2 * j]! - p[2 * i]!, p[2 * j + 1]! - p[2 * i + 1]!));
  }
  return m;
}

/** Width of a thin convex polygon (area over its longest edge: about its smallest extent). */
export function thickness(p: readonly number[]): number {
  const l = longestEdge(p);
  return l > 0 ? Math.abs(area2d(p)) / l : 0;
}

/**
 * `piece` minus convex `s` (counter-clockwise), as convex pieces appended to `out`: the part
 * outside s's first edge, then the part inside it but outside the second, and so on.
 * Pieces thinner than `drop` are left out (see occlusion.ts for why that is safe).
 */
export function subtractConvex(
  piece: readonly number[],
  s: readonly number[],
  drop: number,
  out: number[][],
): void {
  let rest: readonly number[] = piece;
  const n = s.length / 2;
  for (let i = 0; i < n && rest.length >= 6; i++) {
    const j = (i + 1) % n;
    const ex = s[2 * j]! - s[2 * i]!,
      ey = s[2 * j + 1]! - s[2 * i + 1]!;
    // inward normal of a counter-clockwise edge: (−ey, ex)
    const a = -ey,
      b = ex,
      c = a * s[2 * i]! + b * s[2 * i + 1]!;
    // wholly inside this edge: nothing outside it (at most a zero-width sliver on the line),
    // rest unchanged; wholly outside: rest is a piece as it is and nothing is left inside
    let inside = 0;
    for (let k = 0; k < rest.length; k += 2) if (a * rest[k]! + b * rest[k + 1]! - c >= 0) inside++;
    if (2 * inside === rest.length) continue;
    if (inside === 0) {
      if (thickness(rest) > drop) out.push(rest as number[]);
      return;
    }
    const outside = clipHalfPlane(rest, -a, -b, -c);
    if (outside.length >= 6 && thickness(outside) > drop) out.push(outside);
    rest = clipHalfPlane(rest, a, b, c);
  }
}

/** Whether two convex polygons' bounding boxes overlap. */
export function boxesOverlap(p: readonly number[], q: readonly number[]): boolean {
  let px0 = Infinity,
    py0 = Infinity,
    px1 = -Infinity,
    py1 = -Infinity;
  for (let i = 0; i < p.length; i += 2) {
    px0 = Math.min(px0, p[i]!);
    px1 = Math.max(px1, p[i]!);
    py0 = Math.min(py0, p[i + 1]!);
    py1 = Math.max(py1, p[i + 1]!);
  }
  for (let i = 0; i < q.length; i += 2) {
    if (q[i]! >= px0 && q[i]! <= px1 && q[i + 1]! >= py0 && q[i + 1]! <= py1) return true;
  }
  let qx0 = Infinity,
    qy0 = Infinity,
    qx1 = -Infinity,
    qy1 = -Infinity;
  for (let i = 0; i < q.length; i += 2) {
    qx0 = Math.min(qx0, q[i]!);
    qx1 = Math.max(qx1, q[i]!);
    qy0 = Math.min(qy0, q[i + 1]!);
    qy1 = Math.max(qy1, q[i + 1]!);
  }
  return px0 <= qx1 && qx0 <= px1 && py0 <= qy1 && qy0 <= py1;
}

/** Convex hull (Andrew's monotone chain) of the vertices of `pieces`, counter-clockwise. */
export function hull2d(pieces: readonly (readonly number[])[]): number[] {
  let n = 0;
  for (const p of pieces) n += p.length >> 1;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let m = 0;
  for (const p of pieces)
    for (let i = 0; i < p.length; i += 2) {
      xs[m] = p[i]!;
      ys[m++] = p[i + 1]!;
    }
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => xs[a]! - xs[b]! || ys[a]! - ys[b]!);
  if (n < 3) {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(xs[idx[i]!]!, ys[idx[i]!]!);
    return out;
  }
  // cross product of (a − o) and (b − o), points by index
  const cross = (o: number, a: number, b: number) =>
    (xs[a]! - xs[o]!) * (ys[b]! - ys[o]!) - (ys[a]! - ys[o]!) * (xs[b]! - xs[o]!);
  const chain = new Int32Array(2 * n + 2);
  let k = 0;
  // lower chain, then the upper one on top of it (Andrew's monotone chain)
  for (let i = 0; i < n; i++) {
    const q = idx[i]!;
    while (k >= 2 && cross(chain[k - 2]!, chain[k - 1]!, q) <= 0) k--;
    chain[k++] = q;
  }
  const lowerEnd = k - 1;
  const upperStart = k;
  for (let i = n - 1; i >= 0; i--) {
    const q = idx[i]!;
    while (k - upperStart >= 2 && cross(chain[k - 2]!, chain[k - 1]!, q) <= 0) k--;
    chain[k++] = q;
  }
  const out: number[] = [];
  // each chain without its last point (the first point of the other)
  for (let i = 0; i < lowerEnd; i++) out.push(xs[chain[i]!]!, ys[chain[i]!]!);
  for (let i = upperStart; i < k - 1; i++) out.push(xs[chain[i]!]!, ys[chain[i]!]!);
  return out;
}
