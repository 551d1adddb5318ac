import { norm3 } from '../../core/norm.ts';
import type { CandidateTrie } from './candidates.ts';
import { area2d, hull2d } from './polygon2d.ts';
import type { TracerGeometry } from './tracerGeometry.ts';

/**
 * Beams of the image method's candidates: the one exact culling both backends use, to build the
 * candidate tree (beamTree.ts: a sequence is extended only by faces its beam reaches) and to
 * skip (candidate, receiver) pairs (the CPU solve in tracePaths.ts, the WebGPU listing in
 * gpu/tracePathsGpu.ts).
 *
 * For a candidate (f₁ … fₙ) with transmitter images I₀ = Tx … Iₙ (candidates.ts extendImages),
 * a path the reference accepts has Pₖ₊₁ = Iₖ + t·(Pₖ − Iₖ) with t > 1 (Pₖ lies strictly between
 * Iₖ and Pₖ₊₁) and every Pₖ in its face. So Pₖ lies in the aperture Aₖ = face(fₖ) ∩ beamₖ₋₁, and
 * the receiver Pₙ₊₁ in beamₙ: the cone from Iₙ through Aₙ, beyond the plane of fₙ (seen from Iₙ).
 * Built parent before child, so a prefix whose aperture is empty culls all its extensions.
 *
 * Conservative on purpose (the solver still validates every pair exactly):
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
/**
 * No cone of its own (push with a lean parent): the far side of its face, then its parent's beam at the
 * receiver seen through the face (mirrored in the face's plane for a reflection). A path through
 * node (v, f) runs on the unfolded ray from v's image through v's aperture, so the receiver's
 * mirror (reflection) or the receiver itself (transmission) lies in v's beam: a test as
 * conservative as the node's own cone, for the price of a parent lookup instead of side planes.
 */
export const BEAM_LEAN = 3;

/** Default slack (m): far above rounding and the reference's tolerances, far below a cell. */
export function beamMargin(g: TracerGeometry): number {
  return 1e-3 + 1e-6 * g.size;
}

/**
 * Per face: an in-plane basis (u, w, with u × w = n), the convex hull of its vertices in 2D
 * (counter-clockwise in that basis) and in 3D (exactly on the plane), and whether the face is
 * convex (its area equals its hull's: the hull then stands for the face itself, e.g. as an
 * occluder in occlusion.ts).
 */
export interface FaceFrames {
  /** 6 per face: u xyz, w xyz */
  basis: Float64Array;
  hulls2d: number[][];
  hulls: Float64Array[];
  convex: Uint8Array;
}

const framesCache = new WeakMap<TracerGeometry, FaceFrames>();

export function faceFrames(g: TracerGeometry): FaceFrames {
  const hit = framesCache.get(g);
  if (hit) return hit;
  const p = g.scene.positions;
  const basis = new Float64Array(6 * g.faceCount);
  const hulls2d: number[][] = [];
  const hulls: Float64Array[] = [];
  const convex = new Uint8Array(g.faceCount);
  for (let f = 0; f < g.faceCount; f++) {
    const nx = g.facePlane[4 * f]!,
      ny = g.facePlane[4 * f + 1]!,
      nz = g.facePlane[4 * f + 2]!,
      off = g.facePlane[4 * f + 3]!;
    // u: any unit vector perpendicular to n
    let ux: number, uy: number, uz: number;
    if (Math.abs(nx) < 0.9) {
      ux = 0;
      uy = -nz;
      uz = ny;
    } else {
      ux = nz;
      uy = 0;
      uz = -nx;
    }
    const ul = norm3(ux, uy, uz);
    ux /= ul;
    uy /= ul;
    uz /= ul;
    const wx = ny * uz - nz * uy,
      wy = nz * ux - nx * uz,
      wz = nx * uy - ny * ux;
    basis.set([ux, uy, uz, wx, wy, wz], 6 * f);
    const pts: number[] = [];
    for (let i = g.faceTriStart[f]!; i < g.faceTriStart[f + 1]!; i++) {
      const t = g.faceTriangles[i]!;
      for (let v = 0; v < 3; v++) {
        const o = 9 * t + 3 * v;
        const x = p[o]!,
          y = p[o + 1]!,
          z = p[o + 2]!;
        pts.push(ux * x + uy * y + uz * z, wx * x + wy * y + wz * z);
      }
    }
    const h = hull2d([pts]);
    hulls2d.push(h);
    const out = new Float64Array((3 * h.length) / 2);
    for (let i = 0; i < h.length / 2; i++) {
      // back to 3D, exactly on the face's plane
      const a = h[2 * i]!,
        b = h[2 * i + 1]!;
      out[3 * i] = a * ux + b * wx + off * nx;
      out[3 * i + 1] = a * uy + b * wy + off * ny;
      out[3 * i + 2] = a * uz + b * wz + off * nz;
    }
    hulls.push(out);
    const hullArea = area2d(h);
    convex[f] = Math.abs(hullArea - g.scene.faces[f]!.area) <= 1e-9 * hullArea ? 1 : 0;
  }
  const frames = { basis, hulls2d, hulls, convex };
  framesCache.set(g, frames);
  return frames;
}

/**
 * Convex hull of each face's vertices, in its plane, counter-clockwise about the face normal
 * (3 numbers per vertex).
 */
export function faceHulls(g: TracerGeometry): Float64Array[] {
  return faceFrames(g).hulls;
}

/** Sutherland–Hodgman: the part of convex polygon `poly` (3 per vertex) where N·x − d ≥ 0. */
export function clipPolygon(
  poly: ArrayLike<number>,
  nx: number,
  ny: number,
  nz: number,
  d: number,
): number[] {
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
 * clipPolygon of the first `n` numbers of `poly` into `out` (room for 2n numbers); the
 * number of values written.
 */
function clipPolygonInto(
  poly: Float64Array,
  n: number,
  nx: number,
  ny: number,
  nz: number,
  d: number,
  out: Float64Array,
): number {
  let k = 0;
  for (let i = 0; i < n; i += 3) {
    const j = i + 3 < n ? i + 3 : 0;
    const ax = poly[i]!,
      ay = poly[i + 1]!,
      az = poly[i + 2]!;
    const bx = poly[j]!,
      by = poly[j + 1]!,
      bz = poly[j + 2]!;
    const ha = nx * ax + ny * ay + nz * az - d;
    const hb = nx * bx + ny * by + nz * bz - d;
    if (ha >= 0) {
      out[k++] = ax;
      out[k++] = ay;
      out[k++] = az;
    }
    if (ha >= 0 !== hb >= 0) {
      const t = ha / (ha - hb);
      out[k++] = ax + t * (bx - ax);
      out[k++] = ay + t * (by - ay);
      out[k++] = az + t * (bz - az);
    }
  }
  return k;
}

/**
 * Beams of the nodes of a candidate trie, grown node by node in trie order (a node's beam
 * depends on its parent's beam, its face and its image only).
 */
export class CandidateBeams {
  /** per node: BEAM_EMPTY, BEAM_CONE or BEAM_ALL (valid for indices < size) */
  kind = new Uint8Array(1024);
  /** half-spaces of node v are [start[v], start[v + 1]) */
  start = new Int32Array(1025);
  planes = new Float64Array(4 * 8 * 1024);
  /**
   * 6 per node: bounding box (min xyz, max xyz) of the aperture (where the node's last
   * interaction point can be), widened by the margin; node 0: the source
   */
  aperture = new Float64Array(6 * 1024);
  size = 0;
  private count = 0;
  private readonly hulls: Float64Array[];

  /** per BEAM_LEAN node: its parent, and its face when a reflection (−1: a transmission) */
  via = new Int32Array(1024);
  mirror = new Int32Array(1024);

  constructor(
    readonly g: TracerGeometry,
    readonly margin = beamMargin(g),
  ) {
    this.hulls = faceHulls(g);
  }

  /** Node 0 (the source at `at`): every point. */
  root(at: readonly number[]): void {
    this.truncate(0);
    this.reserve(1);
    this.kind[0] = BEAM_ALL;
    this.start[0] = 0;
    this.start[1] = 0;
    for (let a = 0; a < 3; a++) {
      this.aperture[a] = at[a]!;
      this.aperture[3 + a] = at[a]!;
    }
    this.size = 1;
  }

  /**
   * Take the beams of `size` nodes built elsewhere (another thread: sharedCandidates.ts), as
   * copies: this object may grow them, the sender's arrays stay as they are.
   */
  adopt(
    kind: Uint8Array,
    start: Int32Array,
    planes: Float64Array,
    aperture: Float64Array,
    size: number,
  ): void {
    this.kind = kind.slice();
    this.start = start.slice();
    this.planes = planes.slice();
    this.aperture = aperture.slice();
    this.size = size;
    this.count = this.start[size]!;
  }

  /** Forget the nodes from `size` on. */
  truncate(size: number): void {
    this.size = Math.min(this.size, size);
    this.count = this.start[this.size] ?? 0;
  }

  /**
   * Where an extension of node `v` by face f can interact: the convex hull of f clipped to v's
   * beam (3 numbers per vertex), or null when they do not meet. A polygon that degenerates to a
   * line or a point (touching: measure zero, the margin makes real apertures wide) gives the
   * whole hull back rather than a cone from a degenerate polygon.
   */
  apertureOn(v: number, f: number): ArrayLike<number> | null {
    const hull = this.hulls[f]!;
    const k = this.kind[v]!;
    if (k === BEAM_EMPTY) return null;
    if (k === BEAM_ALL) return hull;
    // clipped polygons go to two scratch buffers in turn (no allocation per clip): the result
    // is valid until the next call, which is all its callers need (push copies what it keeps)
    let poly: Float64Array = hull;
    let n = hull.length;
    let scratch = 0;
    const planes = this.planes;
    for (let i = this.start[v]!; i < this.start[v + 1]! && n > 0; i++) {
      const nx = planes[4 * i]!,
        ny = planes[4 * i + 1]!,
        nz = planes[4 * i + 2]!,
        d = planes[4 * i + 3]!;
      // most faces are wholly outside (empty) or inside (unchanged): clip only the others
      let inside = 0;
      for (let j = 0; j < n; j += 3)
        if (nx * poly[j]! + ny * poly[j + 1]! + nz * poly[j + 2]! - d >= 0) inside++;
      if (inside === 0) return null;
      if (inside < n / 3) {
        // each edge gives at most two vertices (a convex polygon gains at most one)
        if (this.clipped[scratch]!.length < 2 * n) this.clipped[scratch] = new Float64Array(4 * n);
        const out = this.clipped[scratch]!;
        n = clipPolygonInto(poly, n, nx, ny, nz, d, out);
        poly = out;
        scratch ^= 1;
      }
    }
    if (n === 0) return null;
    if (n < 9) return hull;
    return poly === hull ? hull : poly.subarray(0, n);
  }

  /** The convex hull of face f (3 numbers per vertex): the aperture of a node not clipped. */
  hull(f: number): Float64Array {
    return this.hulls[f]!;
  }

  private readonly clipped = [new Float64Array(64), new Float64Array(64)];

  /**
   * Append the beam of node `size` (its interaction on face f, source image `image`), whose
   * aperture is `poly` (from apertureOn, or null for an empty beam). `leanParent` ≥ 0 (the
   * node's parent; `reflection`: its interaction type): no side planes, a BEAM_LEAN node tested
   * through its parent's beam (the aperture box is still recorded). A grazing apex or a
   * degenerate aperture gives BEAM_ALL either way.
   */
  push(
    f: number,
    image: ArrayLike<number>,
    ix: number,
    poly: ArrayLike<number> | null,
    leanParent = -1,
    reflection = false,
  ): void {
    const v = this.size;
    this.reserve(v + 1);
    this.size = v + 1;
    this.start[v] = this.count;
    this.start[v + 1] = this.count;
    if (!poly) {
      this.kind[v] = BEAM_EMPTY;
      return;
    }
    const g = this.g;
    const margin = this.margin;
    for (let a = 0; a < 3; a++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = a; i < poly.length; i += 3) {
        lo = Math.min(lo, poly[i]!);
        hi = Math.max(hi, poly[i]!);
      }
      this.aperture[6 * v + a] = lo - margin;
      this.aperture[6 * v + 3 + a] = hi + margin;
    }
    const fnx = g.facePlane[4 * f]!,
      fny = g.facePlane[4 * f + 1]!,
      fnz = g.facePlane[4 * f + 2]!,
      foff = g.facePlane[4 * f + 3]!;
    const iX = image[ix]!,
      iY = image[ix + 1]!,
      iZ = image[ix + 2]!;
    const dI = fnx * iX + fny * iY + fnz * iZ - foff;
    if (Math.abs(dI) < margin || poly.length < 9) {
      this.kind[v] = BEAM_ALL;
      return;
    }
    if (leanParent >= 0) {
      this.kind[v] = BEAM_LEAN;
      this.via[v] = leanParent;
      this.mirror[v] = reflection ? f : -1;
    } else {
      this.kind[v] = BEAM_CONE;
      this.sidePlanes(poly, fnx, fny, fnz, iX, iY, iZ);
    }
    // beyond the face's plane, seen from the apex (with the same slack)
    const s = dI > 0 ? -1 : 1;
    this.plane(s * fnx, s * fny, s * fnz, s * foff - margin);
    this.start[v + 1] = this.count;
  }

  /**
   * The side planes of a cone from apex (iX, iY, iZ) through aperture `poly` on a face with
   * normal (fnx, fny, fnz), each edge pushed out by the margin.
   */
  private sidePlanes(
    poly: ArrayLike<number>,
    fnx: number,
    fny: number,
    fnz: number,
    iX: number,
    iY: number,
    iZ: number,
  ): void {
    const margin = this.margin;
    const m = poly.length / 3;
    const [cx, cy, cz] = polygonCentroid(poly);
    for (let i = 0; i < m; i++) {
      const j = (i + 1) % m;
      const ex = poly[3 * j]! - poly[3 * i]!,
        ey = poly[3 * j + 1]! - poly[3 * i + 1]!,
        ez = poly[3 * j + 2]! - poly[3 * i + 2]!;
      // outward in-plane normal of the edge
      let ox = ey * fnz - ez * fny,
        oy = ez * fnx - ex * fnz,
        oz = ex * fny - ey * fnx;
      const ol = norm3(ox, oy, oz);
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
      const ax = poly[3 * i]! + margin * ox - iX,
        ay = poly[3 * i + 1]! + margin * oy - iY,
        az = poly[3 * i + 2]! + margin * oz - iZ;
      // side plane through the apex and the pushed edge: normal ∝ (A − I) × e
      let nx = ay * ez - az * ey,
        ny = az * ex - ax * ez,
        nz = ax * ey - ay * ex;
      const nl = norm3(nx, ny, nz);
      if (!(nl > 0)) continue;
      nx /= nl;
      ny /= nl;
      nz /= nl;
      // inside is the centroid's side
      if (nx * (cx - iX) + ny * (cy - iY) + nz * (cz - iZ) < 0) {
        nx = -nx;
        ny = -ny;
        nz = -nz;
      }
      this.plane(nx, ny, nz, nx * iX + ny * iY + nz * iZ);
    }
  }

  /** Append a copy of node u's beam in `from` as node `size` (BeamTree's reuse). */
  copy(from: CandidateBeams, u: number): void {
    const v = this.size;
    this.reserve(v + 1);
    this.size = v + 1;
    // a BEAM_LEAN node is tested through its parent in `from`: here it holds everything (wider,
    // so no sequence is lost; the solver validates each candidate)
    this.kind[v] = from.kind[u] === BEAM_LEAN ? BEAM_ALL : from.kind[u]!;
    this.start[v] = this.count;
    const pl = from.planes;
    for (let i = from.start[u]!; i < from.start[u + 1]!; i++)
      this.plane(pl[4 * i]!, pl[4 * i + 1]!, pl[4 * i + 2]!, pl[4 * i + 3]!);
    this.start[v + 1] = this.count;
    this.aperture.set(from.aperture.subarray(6 * u, 6 * u + 6), 6 * v);
  }

  /** Beams of trie nodes [size, trie.size), each from its parent's (nodes found by shot rays). */
  extend(trie: CandidateTrie, images: Float64Array): void {
    for (let v = this.size; v < trie.size; v++) {
      const f = trie.face[v]!;
      this.push(f, images, 3 * v, this.apertureOn(trie.parent[v]!, f));
    }
  }

  private plane(x: number, y: number, z: number, d: number): void {
    if (4 * this.count + 4 > this.planes.length) {
      const grown = new Float64Array(2 * this.planes.length);
      grown.set(this.planes);
      this.planes = grown;
    }
    const o = 4 * this.count++;
    this.planes[o] = x;
    this.planes[o + 1] = y;
    this.planes[o + 2] = z;
    this.planes[o + 3] = d;
  }

  private reserve(n: number): void {
    if (n + 1 <= this.kind.length) return;
    const cap = Math.max(n + 1, 2 * this.kind.length);
    const kind = new Uint8Array(cap);
    kind.set(this.kind);
    this.kind = kind;
    const start = new Int32Array(cap + 1);
    start.set(this.start);
    this.start = start;
    const aperture = new Float64Array(6 * cap);
    aperture.set(this.aperture);
    this.aperture = aperture;
    const via = new Int32Array(cap);
    via.set(this.via);
    this.via = via;
    const mirror = new Int32Array(cap);
    mirror.set(this.mirror);
    this.mirror = mirror;
  }
}

/**
 * Beams of every node of a candidate trie (node 0 = LoS: BEAM_ALL). `images` are the source
 * images per node (candidates.ts extendImages).
 */
export function candidateBeams(
  g: TracerGeometry,
  trie: CandidateTrie,
  images: Float64Array,
  margin = beamMargin(g),
): CandidateBeams {
  const beams = new CandidateBeams(g, margin);
  beams.root([images[0]!, images[1]!, images[2]!]);
  beams.extend(trie, images);
  return beams;
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
  if (k !== BEAM_LEAN) return true;
  const f = b.mirror[v]!;
  if (f < 0) return beamContains(b, b.via[v]!, x, y, z);
  const fp = b.g.facePlane;
  const nx = fp[4 * f]!,
    ny = fp[4 * f + 1]!,
    nz = fp[4 * f + 2]!;
  const d2 = 2 * (nx * x + ny * y + nz * z - fp[4 * f + 3]!);
  return beamContains(b, b.via[v]!, x - d2 * nx, y - d2 * ny, z - d2 * nz);
}

/**
 * N·c − d of half-space k of `pl` at the corner c of the box at boxes[o…o+6) (min xyz, max xyz)
 * farthest along N (`far`) or nearest. Every point of the box gives a value between the two, in
 * floating point too: product by product and sum by sum, rounding being monotonic.
 */
function boxCorner(pl: Float64Array, k: number, boxes: Float64Array, o: number, far: boolean): number {
  const nx = pl[4 * k]!;
  const ny = pl[4 * k + 1]!;
  const nz = pl[4 * k + 2]!;
  const x = nx >= 0 === far ? boxes[o + 3]! : boxes[o]!;
  const y = ny >= 0 === far ? boxes[o + 4]! : boxes[o + 1]!;
  const z = nz >= 0 === far ? boxes[o + 5]! : boxes[o + 2]!;
  return nx * x + ny * y + nz * z - pl[4 * k + 3]!;
}

/**
 * Whether the box at boxes[o…o+6) (min xyz, max xyz) lies wholly outside one of the half-spaces
 * [p0, p1) of `pl` (N·x − d ≥ 0 inside): its corner farthest along N is outside (exact, boxCorner).
 */
export function boxOutsideBeam(
  pl: Float64Array,
  p0: number,
  p1: number,
  boxes: Float64Array,
  o: number,
): boolean {
  for (let k = p0; k < p1; k++) if (boxCorner(pl, k, boxes, o, true) < 0) return true;
  return false;
}

/**
 * Whether the box at boxes[o…o+6) lies wholly inside every half-space [p0, p1): its corner
 * nearest along each N is inside. Then no triangle within the box is outside one of them
 * (triangleOutsideBeam), exactly (boxCorner).
 */
export function boxInsideBeam(
  pl: Float64Array,
  p0: number,
  p1: number,
  boxes: Float64Array,
  o: number,
): boolean {
  for (let k = p0; k < p1; k++) if (boxCorner(pl, k, boxes, o, false) < 0) return false;
  return true;
}

/** Whether triangle t (9 numbers per triangle in `pos`) lies wholly outside one of the half-spaces [p0, p1). */
export function triangleOutsideBeam(
  pl: Float64Array,
  p0: number,
  p1: number,
  pos: Float64Array,
  t: number,
): boolean {
  const q = 9 * t;
  for (let k = p0; k < p1; k++) {
    const nx = pl[4 * k]!;
    const ny = pl[4 * k + 1]!;
    const nz = pl[4 * k + 2]!;
    const d = pl[4 * k + 3]!;
    if (
      nx * pos[q]! + ny * pos[q + 1]! + nz * pos[q + 2]! - d < 0 &&
      nx * pos[q + 3]! + ny * pos[q + 4]! + nz * pos[q + 5]! - d < 0 &&
      nx * pos[q + 6]! + ny * pos[q + 7]! + nz * pos[q + 8]! - d < 0
    )
      return true;
  }
  return false;
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
  // a lean node's test needs each receiver mirrored: the whole row (conservative)
  if (k === BEAM_ALL || k === BEAM_LEAN) return;
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
