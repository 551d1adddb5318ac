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
    m = Math.max(m, Math.hypot(p[2 * j]! - p[2 * i]!, p[2 * j + 1]! - p[2 * i + 1]!));
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
  const pts: [number, number][] = [];
  for (const p of pieces) for (let i = 0; i < p.length; i += 2) pts.push([p[i]!, p[i + 1]!]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts.flat();
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const q of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0)
      lower.pop();
    lower.push(q);
  }
  const upper: [number, number][] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const q = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0)
      upper.pop();
    upper.push(q);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper).flat();
}
