import type { CandidateTrie } from '../cpu/candidates.ts';
import type { TracerGeometry } from '../cpu/tracerGeometry.ts';

/**
 * Beam culling of the image method's candidates, once per transmitter (exact geometry on the
 * host, so the GPU only tests the (candidate, receiver) pairs that can be paths).
 *
 * For a candidate (f₁ … fₙ) with transmitter images I₀ = Tx … Iₙ (cpu/specular.ts), a path the
 * reference accepts has Pₖ₊₁ = Iₖ + t·(Pₖ − Iₖ) with t > 1 (Pₖ lies strictly between Iₖ and
 * Pₖ₊₁) and every Pₖ in its face. So Pₖ lies in the aperture Aₖ = face(fₖ) ∩ beamₖ₋₁, and the
 * receiver Pₙ₊₁ in beamₙ: the cone from Iₙ through Aₙ, beyond the plane of fₙ (seen from Iₙ).
 * Built parent before child over the candidate trie (parent[i] < i), so a prefix whose aperture
 * is empty culls all its extensions at the cost of one test each.
 *
 * Conservative on purpose (the kernels still validate every pair exactly):
 * - a face is replaced by the convex hull of its vertices (a face with a hole keeps the hole's
 *   area);
 * - each aperture edge is pushed outwards by `margin` in its plane before its side plane through
 *   the apex is formed, and the far-side condition gets the same slack, so float rounding or the
 *   reference's in-face tolerance (≤ 1e-7 m scale) can never drop a path;
 * - an apex closer than `margin` to its aperture plane (a grazing cone) gets no cone: that node
 *   keeps every receiver, and its children start again from their whole face.
 * Half-space i of a node: planes[4i..4i+3] = (N, d), inside where N·x − d ≥ 0, |N| = 1.
 */
export const BEAM_EMPTY = 0;
export const BEAM_CONE = 1;
/** no bound: every receiver (LoS, or a grazing apex) */
export const BEAM_ALL = 2;

export interface CandidateBeams {
  /** per trie node: BEAM_EMPTY, BEAM_CONE or BEAM_ALL */
  kind: Uint8Array;
  /** half-spaces of node v are [start[v], start[v + 1]) */
  start: Int32Array;
  planes: Float64Array;
  /**
   * 6 per node: bounding box (min xyz, max xyz) of the aperture (where the node's last
   * interaction point can be), widened by the margin; node 0: the transmitter
   */
  aperture: Float64Array;
  margin: number;
}

/** Default slack (m): far above rounding and the reference's tolerances, far below a cell. */
export function beamMargin(g: TracerGeometry): number {
  return 1e-3 + 1e-6 * g.size;
}

const hullCache = new WeakMap<TracerGeometry, Float64Array[]>();

/**
 * Convex hull of each face's vertices, in its plane, counter-clockwise about the face normal
 * (3 numbers per vertex).
 */
export function faceHulls(g: TracerGeometry): Float64Array[] {
  const hit = hullCache.get(g);
  if (hit) return hit;
  const p = g.scene.positions;
  const hulls: Float64Array[] = [];
  for (let f = 0; f < g.faceCount; f++) {
    const nx = g.facePlane[4 * f]!,
      ny = g.facePlane[4 * f + 1]!,
      nz = g.facePlane[4 * f + 2]!,
      off = g.facePlane[4 * f + 3]!;
    // in-plane basis (u, w) with u × w = n
    let ux: number, uy: number, uz: number;
    if (Math.abs(nx) < 0.9) {
      // u = normalize(x̂ × n)… any vector perpendicular to n
      ux = 0;
      uy = -nz;
      uz = ny;
    } else {
      ux = nz;
      uy = 0;
      uz = -nx;
    }
    const ul = Math.hypot(ux, uy, uz);
    ux /= ul;
    uy /= ul;
    uz /= ul;
    const wx = ny * uz - nz * uy,
      wy = nz * ux - nx * uz,
      wz = nx * uy - ny * ux;
    const pts: [number, number][] = [];
    for (let i = g.faceTriStart[f]!; i < g.faceTriStart[f + 1]!; i++) {
      const t = g.faceTriangles[i]!;
      for (let v = 0; v < 3; v++) {
        const o = 9 * t + 3 * v;
        const x = p[o]!,
          y = p[o + 1]!,
          z = p[o + 2]!;
        pts.push([ux * x + uy * y + uz * z, wx * x + wy * y + wz * z]);
      }
    }
    const h = convexHull2d(pts);
    const out = new Float64Array(3 * h.length);
    h.forEach(([a, b], i) => {
      // back to 3D, exactly on the face's plane
      out[3 * i] = a * ux + b * wx + off * nx;
      out[3 * i + 1] = a * uy + b * wy + off * ny;
      out[3 * i + 2] = a * uz + b * wz + off * nz;
    });
    hulls.push(out);
  }
  hullCache.set(g, hulls);
  return hulls;
}

/** Andrew's monotone chain: counter-clockwise, no collinear points. */
function convexHull2d(points: [number, number][]): [number, number][] {
  const pts = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
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
  return lower.concat(upper);
}

/** Sutherland–Hodgman: the part of convex polygon `poly` (3 per vertex) where N·x − d ≥ 0. */
function clipPolygon(poly: ArrayLike<number>, nx: number, ny: number, nz: number, d: number): number[] {
  const n = poly.length / 3;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const ax = poly[3 * i]!,
      ay = poly[3 * i + 1]!,
      az = poly[3 * i + 2]!;
    const bx = poly[3 * j]!,
      by = poly[3 * j + 1]!,
      bz = poly[3 * j + 2]!;
    const ha = nx * ax + ny * ay + nz * az - d;
    const hb = nx * bx + ny * by + nz * bz - d;
    if (ha >= 0) out.push(ax, ay, az);
    if (ha >= 0 !== hb >= 0) {
      const t = ha / (ha - hb);
      out.push(ax + t * (bx - ax), ay + t * (by - ay), az + t * (bz - az));
    }
  }
  return out;
}

/**
 * Beams of every node of the candidate trie (node 0 = LoS: BEAM_ALL). `images` are the
 * transmitter images per node (SpecularSolver.images).
 */
export function candidateBeams(
  g: TracerGeometry,
  trie: CandidateTrie,
  images: Float64Array,
  margin = beamMargin(g),
): CandidateBeams {
  const n = trie.size;
  const hulls = faceHulls(g);
  const kind = new Uint8Array(n);
  const start = new Int32Array(n + 1);
  let planes = new Float64Array(4 * 8 * Math.max(1, n));
  let count = 0;
  const push = (x: number, y: number, z: number, d: number) => {
    if (4 * count + 4 > planes.length) {
      const grown = new Float64Array(2 * planes.length);
      grown.set(planes);
      planes = grown;
    }
    planes[4 * count] = x;
    planes[4 * count + 1] = y;
    planes[4 * count + 2] = z;
    planes[4 * count + 3] = d;
    count++;
  };
  const aperture = new Float64Array(6 * n);
  kind[0] = BEAM_ALL;
  start[0] = 0;
  start[1] = 0;
  for (let a = 0; a < 3; a++) {
    aperture[a] = images[a]!;
    aperture[3 + a] = images[a]!;
  }
  for (let v = 1; v < n; v++) {
    start[v] = count;
    const p = trie.parent[v]!;
    if (kind[p] === BEAM_EMPTY) {
      kind[v] = BEAM_EMPTY;
      continue;
    }
    const f = trie.face[v]!;
    const hull = hulls[f]!;
    let poly: ArrayLike<number> = hull;
    if (kind[p] === BEAM_CONE) {
      for (let i = start[p]!; i < start[p + 1]! && poly.length > 0; i++) {
        const nx = planes[4 * i]!,
          ny = planes[4 * i + 1]!,
          nz = planes[4 * i + 2]!,
          d = planes[4 * i + 3]!;
        // most faces are wholly outside (empty) or inside (unchanged): clip only the others
        let inside = 0;
        for (let j = 0; j < poly.length; j += 3)
          if (nx * poly[j]! + ny * poly[j + 1]! + nz * poly[j + 2]! - d >= 0) inside++;
        if (inside === 0) poly = [];
        else if (inside < poly.length / 3) poly = clipPolygon(poly, nx, ny, nz, d);
      }
      if (poly.length === 0) {
        kind[v] = BEAM_EMPTY;
        continue;
      }
      // touching in a line or a point (measure zero: the margin makes real apertures wide):
      // keep the whole face rather than build a cone from a degenerate polygon
      if (poly.length < 9) poly = hull;
    }
    for (let a = 0; a < 3; a++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = a; i < poly.length; i += 3) {
        lo = Math.min(lo, poly[i]!);
        hi = Math.max(hi, poly[i]!);
      }
      aperture[6 * v + a] = lo - margin;
      aperture[6 * v + 3 + a] = hi + margin;
    }
    const fnx = g.facePlane[4 * f]!,
      fny = g.facePlane[4 * f + 1]!,
      fnz = g.facePlane[4 * f + 2]!,
      foff = g.facePlane[4 * f + 3]!;
    const ix = images[3 * v]!,
      iy = images[3 * v + 1]!,
      iz = images[3 * v + 2]!;
    const dI = fnx * ix + fny * iy + fnz * iz - foff;
    if (Math.abs(dI) < margin || poly.length < 9) {
      kind[v] = BEAM_ALL;
      continue;
    }
    kind[v] = BEAM_CONE;
    const m = poly.length / 3;
    const [cx, cy, cz] = polygonCentroid(poly);
    for (let i = 0; i < m; i++) {
      const j = (i + 1) % m;
      const ex = poly[3 * j]! - poly[3 * i]!,
        ey = poly[3 * j + 1]! - poly[3 * i + 1]!,
        ez = poly[3 * j + 2]! - poly[3 * i + 2]!;
      // outward in-plane normal of the edge (polygon counter-clockwise about the face normal;
      // the orientation is fixed below anyway)
      let ox = ey * fnz - ez * fny,
        oy = ez * fnx - ex * fnz,
        oz = ex * fny - ey * fnx;
      const ol = Math.hypot(ox, oy, oz);
      // a zero-length edge adds no side plane (dropping a half-space only widens the beam)
      if (!(ol > 1e-12)) continue;
      ox /= ol;
      oy /= ol;
      oz /= ol;
      // the outward direction is the one pointing away from the centroid
      const away = ox * (poly[3 * i]! - cx) + oy * (poly[3 * i + 1]! - cy) + oz * (poly[3 * i + 2]! - cz);
      if (away < 0) {
        ox = -ox;
        oy = -oy;
        oz = -oz;
      }
      const ax = poly[3 * i]! + margin * ox - ix,
        ay = poly[3 * i + 1]! + margin * oy - iy,
        az = poly[3 * i + 2]! + margin * oz - iz;
      // side plane through the apex and the pushed edge: normal ∝ (A − I) × e
      let nx = ay * ez - az * ey,
        ny = az * ex - ax * ez,
        nz = ax * ey - ay * ex;
      const nl = Math.hypot(nx, ny, nz);
      if (!(nl > 0)) continue;
      nx /= nl;
      ny /= nl;
      nz /= nl;
      // inside is the centroid's side
      if (nx * (cx - ix) + ny * (cy - iy) + nz * (cz - iz) < 0) {
        nx = -nx;
        ny = -ny;
        nz = -nz;
      }
      push(nx, ny, nz, nx * ix + ny * iy + nz * iz);
    }
    // beyond the face's plane, seen from the apex (with the same slack)
    const s = dI > 0 ? -1 : 1;
    push(s * fnx, s * fny, s * fnz, s * foff - margin);
  }
  start[n] = count;
  return { kind, start, planes: planes.subarray(0, 4 * count), aperture, margin };
}

/** Vertex mean of a flat polygon (x, y, z per vertex): a point inside a convex one. */
export function polygonCentroid(poly: ArrayLike<number>): [number, number, number] {
  const m = poly.length / 3;
  let cx = 0,
    cy = 0,
    cz = 0;
  for (let i = 0; i < m; i++) {
    cx += poly[3 * i]! / m;
    cy += poly[3 * i + 1]! / m;
    cz += poly[3 * i + 2]! / m;
  }
  return [cx, cy, cz];
}

/** Whether point (x, y, z) lies in node v's beam (a receiver that node could reach). */
export function beamContains(b: CandidateBeams, v: number, x: number, y: number, z: number): boolean {
  const k = b.kind[v]!;
  if (k === BEAM_ALL) return true;
  if (k === BEAM_EMPTY) return false;
  const pl = b.planes;
  for (let i = b.start[v]!; i < b.start[v + 1]!; i++) {
    if (pl[4 * i]! * x + pl[4 * i + 1]! * y + pl[4 * i + 2]! * z - pl[4 * i + 3]! < 0) return false;
  }
  return true;
}

/** Horizontal receiver grid: cell centres (xmin + (ix + ½)·cell, ymin + (iy + ½)·cell, z). */
export interface FootprintGrid {
  xmin: number;
  ymin: number;
  cellSize: number;
  nx: number;
  z: number;
}

/**
 * Node v's footprint on row iy of the grid: the cells [ix0, ix1] (inclusive) whose centres lie
 * in the beam, or ix0 > ix1 when none. The beam restricted to the row is an interval of x
 * (convex), cut by each half-space in turn.
 */
export function footprintRow(
  b: CandidateBeams,
  v: number,
  grid: FootprintGrid,
  iy: number,
  out: Int32Array,
): void {
  const k = b.kind[v]!;
  out[0] = 0;
  out[1] = grid.nx - 1;
  if (k === BEAM_ALL) return;
  if (k === BEAM_EMPTY) {
    out[1] = -1;
    return;
  }
  const y = grid.ymin + (iy + 0.5) * grid.cellSize;
  let lo = -Infinity;
  let hi = Infinity;
  const pl = b.planes;
  for (let i = b.start[v]!; i < b.start[v + 1]!; i++) {
    const a = pl[4 * i]!;
    const c = pl[4 * i + 1]! * y + pl[4 * i + 2]! * grid.z - pl[4 * i + 3]!;
    // a·x + c ≥ 0
    if (a > 1e-12) lo = Math.max(lo, -c / a);
    else if (a < -1e-12) hi = Math.min(hi, -c / a);
    else if (c < -1e-9) {
      out[1] = -1;
      return;
    }
  }
  if (!(lo <= hi)) {
    out[1] = -1;
    return;
  }
  // centre of cell ix is xmin + (ix + ½)·cell; a relative slack against the division's rounding
  const cs = grid.cellSize;
  const eps = 1e-9;
  out[0] = Math.max(0, Math.ceil((lo - grid.xmin) / cs - 0.5 - eps));
  out[1] = Math.min(grid.nx - 1, Math.floor((hi - grid.xmin) / cs - 0.5 + eps));
}
