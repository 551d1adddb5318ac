import { norm3 } from '../../core/norm.ts';
import { clipPolygon, faceFrames } from './beams.ts';
import { hull2d, subtractConvex } from './polygon2d.ts';
import type { TracerGeometry } from './tracerGeometry.ts';

/**
 * Occlusion culling for the candidate tree (beamTree.ts): the part of an aperture that the
 * beam can reach unobstructed.
 *
 * Node v of the tree sends rays from its apex I (the source's image) through its aperture on
 * face f_v. A child on face f can only have its interaction point y in the aperture
 * Q = hull(f) ∩ beam(v), and the segment from the previous point (on f_v's plane; the source
 * itself for the root) to y runs along the ray from I to y. An occluder O (a convex face, or a
 * triangle of a non-convex one), clipped to the slab strictly between those two planes (each by
 * `margin`; for the root also at least `margin` in front of the source), casts from I a convex
 * shadow on f's plane: a ray to a point of it crosses O between the two ends of the segment, at
 * least `margin` from both, so the exact solver (specular.ts, segmentOccluded) rejects every path
 * through it. Q minus the shadows of the occluders nearer than f is the visible part; the child
 * keeps its convex hull (a superset: conservative), or is dropped when nothing is visible.
 *
 * Shadows are not shrunk at their edges. Two faces sharing an edge cast shadows that meet
 * along its projection; the float64 projections of the shared vertices agree to rounding
 * (~1e-12 m), and the pieces left between them, thinner than `drop` (1e-9 of the scene size),
 * are dropped: any ray through such a sliver crosses one of the two faces or their common edge,
 * which the solver's hit test (triangles widened by a relative 1e-9) reports as blocked. The
 * one thing this treats as closed that the solver would not is a gap narrower than `drop`
 * between two separate surfaces.
 * At most MAX_PIECES pieces are kept; beyond that the remaining occluders are skipped (only less
 * culling).
 */
const MAX_PIECES = 48;

export class OcclusionCuller {
  private readonly frames;
  /** per face: bounding sphere centre xyz and radius */
  private readonly sphere: Float64Array;
  readonly drop: number;
  // per prepared node: its candidate faces sorted by nearest distance (count of them) and their
  // direction cones in that order, read one after the other by `visible`'s loop
  private count = 0;
  private face = new Int32Array(0);
  private near = new Float64Array(0);
  private dir = new Float64Array(0);
  private halfAngle = new Float64Array(0);
  private cosHalf = new Float64Array(0);
  private sinHalf = new Float64Array(0);
  /** the candidates' near distances in the caller's order, before sorting (scratch) */
  private nearOf = new Float64Array(0);
  /** per face: whether it is a candidate of the prepared node */
  private candidate = new Uint8Array(0);
  private ix = 0;
  private iy = 0;
  private iz = 0;
  private fv = -1;
  /** sign making σ(n_v·x − off_v) > 0 beyond the aperture plane */
  private sv = 0;

  constructor(
    private readonly g: TracerGeometry,
    private readonly margin: number,
  ) {
    this.frames = faceFrames(g);
    this.drop = 1e-9 * g.size;
    const F = g.faceCount;
    this.sphere = new Float64Array(4 * F);
    const hulls = this.frames.hulls;
    for (let f = 0; f < F; f++) {
      const h = hulls[f]!;
      const m = h.length / 3;
      let cx = 0,
        cy = 0,
        cz = 0;
      for (let i = 0; i < m; i++) {
        cx += h[3 * i]! / m;
        cy += h[3 * i + 1]! / m;
        cz += h[3 * i + 2]! / m;
      }
      let r = 0;
      for (let i = 0; i < m; i++)
        r = Math.max(r, norm3(h[3 * i]! - cx, h[3 * i + 1]! - cy, h[3 * i + 2]! - cz));
      this.sphere.set([cx, cy, cz, r * (1 + 1e-9) + 1e-9 * g.size], 4 * f);
    }
    this.candidate = new Uint8Array(F);
  }

  /** Set up for the children of a node: apex, aperture face (−1 for the source) and candidates. */
  prepare(apex: ArrayLike<number>, at: number, fv: number, faces: readonly number[]): void {
    const { g, sphere } = this;
    for (let i = 0; i < this.count; i++) this.candidate[this.face[i]!] = 0;
    const ix = apex[at]!,
      iy = apex[at + 1]!,
      iz = apex[at + 2]!;
    this.ix = ix;
    this.iy = iy;
    this.iz = iz;
    this.fv = fv;
    this.sv =
      fv >= 0
        ? g.facePlane[4 * fv]! * ix +
            g.facePlane[4 * fv + 1]! * iy +
            g.facePlane[4 * fv + 2]! * iz -
            g.facePlane[4 * fv + 3]! >
          0
          ? -1
          : 1
        : 0;
    const n = faces.length;
    if (this.near.length < n) {
      this.face = new Int32Array(2 * n);
      this.near = new Float64Array(2 * n);
      this.dir = new Float64Array(6 * n);
      this.halfAngle = new Float64Array(2 * n);
      this.cosHalf = new Float64Array(2 * n);
      this.sinHalf = new Float64Array(2 * n);
      this.nearOf = new Float64Array(2 * n);
    }
    const nearOf = this.nearOf;
    for (let k = 0; k < n; k++) {
      const f = faces[k]!;
      const d = norm3(sphere[4 * f]! - ix, sphere[4 * f + 1]! - iy, sphere[4 * f + 2]! - iz);
      nearOf[k] = Math.max(0, d - sphere[4 * f + 3]!);
    }
    const idx: number[] = new Array(n);
    for (let k = 0; k < n; k++) idx[k] = k;
    idx.sort((a, b) => nearOf[a]! - nearOf[b]!);
    const { face, near, dir, halfAngle, cosHalf, sinHalf } = this;
    for (let i = 0; i < n; i++) {
      const f = faces[idx[i]!]!;
      const dx = sphere[4 * f]! - ix,
        dy = sphere[4 * f + 1]! - iy,
        dz = sphere[4 * f + 2]! - iz;
      const d = norm3(dx, dy, dz);
      const r = sphere[4 * f + 3]!;
      face[i] = f;
      this.candidate[f] = 1;
      near[i] = nearOf[idx[i]!]!;
      dir[3 * i] = d > 0 ? dx / d : 0;
      dir[3 * i + 1] = d > 0 ? dy / d : 0;
      dir[3 * i + 2] = d > 0 ? dz / d : 0;
      halfAngle[i] = d > r ? Math.asin(r / d) : Math.PI;
      // cos and sin of the half-angle, for the cone test cos(a + b) without a cosine per pair
      cosHalf[i] = d > r ? Math.sqrt(d * d - r * r) / d : -1;
      sinHalf[i] = d > r ? r / d : 0;
    }
    this.count = n;
  }

  /**
   * The visible part's hull of aperture `q` (3D polygon on the plane of face f, a candidate of
   * the prepared node), or null when every point of it is in shadow.
   */
  visible(f: number, q: ArrayLike<number>): ArrayLike<number> | null {
    const { g, frames, margin } = this;
    if (!this.candidate[f]) return q;
    const B = frames.basis;
    const ux = B[6 * f]!,
      uy = B[6 * f + 1]!,
      uz = B[6 * f + 2]!,
      wx = B[6 * f + 3]!,
      wy = B[6 * f + 4]!,
      wz = B[6 * f + 5]!;
    const nx = g.facePlane[4 * f]!,
      ny = g.facePlane[4 * f + 1]!,
      nz = g.facePlane[4 * f + 2]!,
      off = g.facePlane[4 * f + 3]!;
    const { ix, iy, iz, fv } = this;
    const dI = nx * ix + ny * iy + nz * iz - off;
    if (!(Math.abs(dI) > 2 * margin)) return q;
    const sf = dI > 0 ? 1 : -1;
    let pieces: number[][] = [[]];
    for (let i = 0; i < q.length; i += 3) {
      const x = q[i]!,
        y = q[i + 1]!,
        z = q[i + 2]!;
      pieces[0]!.push(ux * x + uy * y + uz * z, wx * x + wy * y + wz * z);
    }
    // the aperture's bounding sphere (tighter than the face's: an aperture is often a small part
    // of a wall), widened like the faces' spheres; every ray from the apex through q lies in its
    // direction cone, and a shadowing occluder meets such a ray nearer than q's far side
    const m = q.length / 3;
    let qx = 0,
      qy = 0,
      qz = 0;
    for (let i = 0; i < q.length; i += 3) {
      qx += q[i]! / m;
      qy += q[i + 1]! / m;
      qz += q[i + 2]! / m;
    }
    let qr = 0;
    for (let i = 0; i < q.length; i += 3)
      qr = Math.max(qr, norm3(q[i]! - qx, q[i + 1]! - qy, q[i + 2]! - qz));
    qr = qr * (1 + 1e-9) + 1e-9 * g.size;
    const qd = norm3(qx - ix, qy - iy, qz - iz);
    const farF = qd + qr;
    const dx = qd > 0 ? (qx - ix) / qd : 0,
      dy = qd > 0 ? (qy - iy) / qd : 0,
      dz = qd > 0 ? (qz - iz) / qd : 0;
    const aF = qd > qr ? Math.asin(qr / qd) : Math.PI;
    const cF = qd > qr ? Math.sqrt(qd * qd - qr * qr) / qd : -1;
    const sF = qd > qr ? qr / qd : 0;
    const { face, near, dir, halfAngle, cosHalf, sinHalf, count } = this;
    let subtracted = 0;
    for (let j = 0; j < count; j++) {
      if (near[j]! >= farF) break;
      const o = face[j]!;
      if (o === f || o === fv) continue;
      // direction cones from the apex must overlap
      const c = dx * dir[3 * j]! + dy * dir[3 * j + 1]! + dz * dir[3 * j + 2]!;
      const sum = aF + halfAngle[j]!;
      if (sum < Math.PI && c < cF * cosHalf[j]! - sF * sinHalf[j]!) continue;
      for (const poly of this.occluders(o)) {
        // the slab: beyond the aperture plane, in front of f, ahead of the apex
        let p: ArrayLike<number> = poly;
        if (fv >= 0) {
          const s = this.sv;
          p = clipInside(
            p,
            s * g.facePlane[4 * fv]!,
            s * g.facePlane[4 * fv + 1]!,
            s * g.facePlane[4 * fv + 2]!,
            s * g.facePlane[4 * fv + 3]! + margin,
          );
          if (p.length < 9) continue;
        }
        p = clipInside(p, sf * nx, sf * ny, sf * nz, sf * off + margin);
        if (p.length < 9) continue;
        const ahead = fv >= 0 ? 1e-9 * Math.abs(dI) : margin;
        p = clipInside(p, -sf * nx, -sf * ny, -sf * nz, -sf * off - (Math.abs(dI) - ahead));
        if (p.length < 9) continue;
        // central projection from the apex onto f's plane, in f's 2D basis
        const s: number[] = [];
        for (let i = 0; i < p.length; i += 3) {
          const dx = p[i]! - ix,
            dy = p[i + 1]! - iy,
            dz = p[i + 2]! - iz;
          const t = -dI / (nx * dx + ny * dy + nz * dz);
          const x = ix + t * dx,
            y = iy + t * dy,
            z = iz + t * dz;
          s.push(ux * x + uy * y + uz * z, wx * x + wy * y + wz * z);
        }
        let sa = 0;
        for (let i = 0; i < s.length; i += 2) {
          const j = (i + 2) % s.length;
          sa += s[i]! * s[j + 1]! - s[j]! * s[i + 1]!;
        }
        if (sa === 0) continue;
        if (sa < 0) {
          for (let i = 0, j = s.length - 2; i < j; i += 2, j -= 2) {
            const x = s[i]!,
              y = s[i + 1]!;
            s[i] = s[j]!;
            s[i + 1] = s[j + 1]!;
            s[j] = x;
            s[j + 1] = y;
          }
        }
        // a shadow whose box misses a piece leaves that piece as it is (no clipping, no copy)
        let sx0 = Infinity,
          sy0 = Infinity,
          sx1 = -Infinity,
          sy1 = -Infinity;
        for (let i = 0; i < s.length; i += 2) {
          const x = s[i]!,
            y = s[i + 1]!;
          if (x < sx0) sx0 = x;
          if (x > sx1) sx1 = x;
          if (y < sy0) sy0 = y;
          if (y > sy1) sy1 = y;
        }
        let next: number[][] | null = null;
        for (let k = 0; k < pieces.length; k++) {
          const piece = pieces[k]!;
          if (boxMisses(piece, sx0, sy0, sx1, sy1)) {
            next?.push(piece);
            continue;
          }
          if (!next) next = pieces.slice(0, k);
          subtractConvex(piece, s, this.drop, next);
        }
        if (!next) continue;
        pieces = next;
        subtracted++;
        if (pieces.length === 0) return null;
        if (pieces.length > MAX_PIECES) return backTo3d(hull2d(pieces), f, B, nx, ny, nz, off);
      }
    }
    if (subtracted === 0) return q;
    return backTo3d(hull2d(pieces), f, B, nx, ny, nz, off);
  }

  /** Convex polygons standing for face o: its hull when convex, else its triangles. */
  private occluders(o: number): ArrayLike<number>[] {
    const known = this.occluderPolys[o];
    if (known) return known;
    const g = this.g;
    const out: ArrayLike<number>[] = [];
    if (this.frames.convex[o]) out.push(this.frames.hulls[o]!);
    else
      for (let i = g.faceTriStart[o]!; i < g.faceTriStart[o + 1]!; i++) {
        const t = g.faceTriangles[i]!;
        out.push(g.scene.positions.subarray(9 * t, 9 * t + 9));
      }
    this.occluderPolys[o] = out;
    return out;
  }

  /** occluders(o), built once per face */
  private readonly occluderPolys: (ArrayLike<number>[] | undefined)[] = [];
}

function backTo3d(
  h: number[],
  f: number,
  B: Float64Array,
  nx: number,
  ny: number,
  nz: number,
  off: number,
): ArrayLike<number> | null {
  if (h.length < 6) return null;
  const ux = B[6 * f]!,
    uy = B[6 * f + 1]!,
    uz = B[6 * f + 2]!,
    wx = B[6 * f + 3]!,
    wy = B[6 * f + 4]!,
    wz = B[6 * f + 5]!;
  const out = new Float64Array((3 * h.length) / 2);
  for (let i = 0; i < h.length / 2; i++) {
    const a = h[2 * i]!,
      b = h[2 * i + 1]!;
    out[3 * i] = a * ux + b * wx + off * nx;
    out[3 * i + 1] = a * uy + b * wy + off * ny;
    out[3 * i + 2] = a * uz + b * wz + off * nz;
  }
  return out;
}

/** Whether the box of polygon `p` (2D) misses the box [x0, x1] × [y0, y1]. */
function boxMisses(p: readonly number[], x0: number, y0: number, x1: number, y1: number): boolean {
  let px0 = Infinity,
    py0 = Infinity,
    px1 = -Infinity,
    py1 = -Infinity;
  for (let i = 0; i < p.length; i += 2) {
    const x = p[i]!,
      y = p[i + 1]!;
    if (x < px0) px0 = x;
    if (x > px1) px1 = x;
    if (y < py0) py0 = y;
    if (y > py1) py1 = y;
  }
  return px1 < x0 || x1 < px0 || py1 < y0 || y1 < py0;
}

/**
 * clipPolygon, but a polygon wholly inside the half-space comes back as it is and one wholly
 * outside as NONE (no copy, no allocation).
 */
function clipInside(p: ArrayLike<number>, nx: number, ny: number, nz: number, d: number): ArrayLike<number> {
  let inside = 0;
  for (let i = 0; i < p.length; i += 3) if (nx * p[i]! + ny * p[i + 1]! + nz * p[i + 2]! - d >= 0) inside++;
  if (inside === 0) return NONE;
  return 3 * inside === p.length ? p : clipPolygon(p, nx, ny, nz, d);
}

const NONE = new Float64Array(0);
