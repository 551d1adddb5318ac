import { norm3 } from '../../core/norm.ts';
import { BEAM_CONE, type CandidateBeams, polygonCentroid } from '../cpu/beams.ts';
import { type CandidateTrie, REFLECTION } from '../cpu/candidates.ts';
import type { TracerGeometry } from '../cpu/tracerGeometry.ts';

/**
 * Receivers a candidate certainly cannot reach because one of its segments is blocked: its
 * shadows, so the GPU is not asked about pairs the reference rejects for visibility (in the
 * street canyon most pairs inside a beam are behind a building).
 *
 * Segment k of candidate (f₁ … fₙ) (from Pₖ to Pₖ₊₁, P₀ = Tx, Pₙ₊₁ = Rx) lies on the ray from
 * the image Iₖ, strictly beyond the plane of fₖ and before the plane of fₖ₊₁ (seen from Iₖ;
 * cpu/specular.ts). A triangle O of another face, clipped to that slab (with a margin) and shrunk
 * by the margin, casts from Iₖ a convex shadow cone: if the ray from Iₖ through the receiver's
 * preimage passes through it, the segment crosses O's interior at least `margin` away from its
 * ends and from O's edges, so the reference's segmentOccluded (eps ≪ margin) reports it blocked
 * — whenever the rest of the path is valid; an invalid path is rejected anyway. For the last
 * segment the receiver must also lie beyond O's plane. The cone, built in the frame of segment
 * k, is mapped to the receiver's frame by the reflections fₖ₊₁ … fₙ (the preimage of the
 * receiver in frame k is its mirror image through them, apex Iₖ ↦ Iₙ).
 * Occluders are single triangles, not whole faces: a ray through the edge two triangles share
 * can miss both in the reference's float64 test, so only a triangle's interior is certain.
 * Only triangles that meet the region segment k can occupy (the previous and next beams) are
 * kept. Every approximation drops shadows (never adds them), so culling stays exact: a shadowed
 * pair is one the reference rejects.
 *
 * Shadows of node v: half-space sets, inside where N·x − d ≥ 0 for all of a set's planes.
 *
 * The same pass proves segments clear: segment k lies in the bounding box of its end points'
 * apertures (the transmitter for k = 0, the receivers' box for k = n) and in the cone above; if
 * no triangle but those of the faces it starts and ends on meets that region, the reference
 * finds nothing on it for any receiver, and the GPU skips its visibility test (bit k of
 * mask[v] clear).
 */
/** What the host knows of node v's visibility, for receivers in the box the shadows were built for. */
export interface NodeVisibility {
  /** shadows, packed [planeCount, ylo, yhi, (N, d) × planeCount] each; null when none */
  shadows: Float64Array | null;
  /**
   * hit cones, packed [segment k, planeCount, ylo, yhi, (N, d) × planeCount] each (y range on a
   * horizontal receiver rectangle, else unbounded; see withRows): outside every cone of
   * segment k, that segment is certainly clear (the GPU skips its visibility test)
   */
  cones: Float64Array | null;
  /** segments whose visibility the host cannot bound at all (bit k): always tested */
  always: number;
}

export class BeamShadows {
  private readonly cache: (NodeVisibility | undefined)[];
  /** per triangle: area (m²); slivers are not used as occluders */
  private readonly area: Float64Array;
  /** per face: its coplanar group (tracerGeometry's faceGroup) */
  private readonly group: Int32Array;
  /** nodes computed, shadows and hit cones built (statistics) */
  nodes = 0;
  shadows = 0;
  cones = 0;

  /** `receivers`: a box (min xyz, max xyz) holding every receiver these shadows are used for */
  constructor(
    private readonly g: TracerGeometry,
    private readonly trie: CandidateTrie,
    private readonly images: Float64Array,
    private readonly beams: CandidateBeams,
    readonly receivers: readonly number[],
    private readonly margin = beams.margin,
  ) {
    this.cache = new Array(trie.size);
    this.group = g.faceGroup;
    const p = g.scene.positions;
    const nTri = g.scene.triangleFace.length;
    this.area = new Float64Array(nTri);
    for (let t = 0; t < nTri; t++) {
      const o = 9 * t;
      const e1x = p[o + 3]! - p[o]!,
        e1y = p[o + 4]! - p[o + 1]!,
        e1z = p[o + 5]! - p[o + 2]!;
      const e2x = p[o + 6]! - p[o]!,
        e2y = p[o + 7]! - p[o + 1]!,
        e2z = p[o + 8]! - p[o + 2]!;
      this.area[t] = 0.5 * norm3(e1y * e2z - e1z * e2y, e1z * e2x - e1x * e2z, e1x * e2y - e1y * e2x);
    }
  }

  /** Shadows and hit cones of node v, computed on first use and kept. */
  of(v: number): NodeVisibility {
    let hit = this.cache[v];
    if (!hit) {
      hit = this.compute(v);
      this.cache[v] = hit;
    }
    return hit;
  }

  /** Whether (x, y, z) lies in one of node v's shadows (the pair cannot be a path). */
  blocked(v: number, x: number, y: number, z: number): boolean {
    const s = this.of(v).shadows;
    return s !== null && inShadow(s, x, y, z);
  }

  /** Bits of the segments of node v whose visibility must be tested for a receiver at (x, y, z). */
  segmentsToTest(v: number, x: number, y: number, z: number): number {
    const nv = this.of(v);
    return nv.always | (nv.cones ? coneBits(nv.cones, x, y, z) : 0);
  }

  private compute(v: number): NodeVisibility {
    const { trie, beams, margin } = this;
    const fp = this.g.facePlane;
    const n = trie.depth[v]!;
    // ancestors u[k] at depth k (u[0] = root)
    const u = new Int32Array(n + 1);
    for (let k = n, w = v; k >= 0; k--, w = trie.parent[w]!) u[k] = w;
    this.nodes++;
    // receivers: the given box or, when it is a horizontal rectangle (radio maps), the part of
    // it inside the node's beam, a much smaller box for the last segment
    const rcv = this.receivers.slice();
    let footprint: number[] | null = null;
    if (rcv[2] === rcv[5] && beams.kind[v] === BEAM_CONE) {
      const z = rcv[2]!;
      let poly = [rcv[0]!, rcv[1]!, z, rcv[3]!, rcv[1]!, z, rcv[3]!, rcv[4]!, z, rcv[0]!, rcv[4]!, z];
      for (let i = beams.start[v]!; i < beams.start[v + 1]! && poly.length > 0; i++)
        poly = clip(
          poly,
          beams.planes[4 * i]!,
          beams.planes[4 * i + 1]!,
          beams.planes[4 * i + 2]!,
          beams.planes[4 * i + 3]!,
        );
      if (poly.length === 0) return { shadows: null, cones: null, always: 0 };
      footprint = poly;
      for (let a = 0; a < 2; a++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = a; i < poly.length; i += 3) {
          lo = Math.min(lo, poly[i]!);
          hi = Math.max(hi, poly[i]!);
        }
        rcv[a] = Math.max(rcv[a]!, lo - margin);
        rcv[3 + a] = Math.min(rcv[3 + a]!, hi + margin);
      }
    }
    const shadows: number[] = [];
    const cones: number[] = [];
    let always = 0;
    for (let k = 0; k <= n; k++) {
      // segment k in its own frame; the segments before the last one depend only on the node
      // they end at, so siblings share them
      let seg: SegmentVisibility;
      if (k < n) {
        const w = u[k + 1]!;
        seg = this.segments.get(w) ?? this.segment(w, -1, rcv);
        this.segments.set(w, seg);
      } else seg = this.segment(-1, v, rcv);
      if (seg.always) always |= 1 << k;
      // into the receiver's frame: reflections fₖ₊₁ … fₙ in that order
      const c0 = cones.length;
      const s0 = shadows.length;
      for (const [src, dst, tagged] of [
        [seg.cones, cones, true],
        [seg.shadows, shadows, false],
      ] as const) {
        let i = 0;
        while (i < src.length) {
          const count = src[i]!;
          if (tagged) dst.push(k);
          dst.push(count);
          for (let r = i + 1; r < i + 1 + 4 * count; r++) dst.push(src[r]!);
          i += 1 + 4 * count;
        }
      }
      for (let j = k + 1; j <= n; j++) {
        if (trie.type[u[j]!] !== REFLECTION) continue;
        const fj = trie.face[u[j]!]!;
        mirrorPacked(cones, c0, true, fp, fj);
        mirrorPacked(shadows, s0, false, fp, fj);
      }
    }
    const sh = withRows(shadows, false, footprint);
    const co = withRows(cones, true, footprint);
    return {
      shadows: sh.length > 0 ? Float64Array.from(sh) : null,
      cones: co.length > 0 ? Float64Array.from(co) : null,
      always,
    };
  }

  /** Segments ending at a node, in their own frame (see segment()). */
  private readonly segments = new Map<number, SegmentVisibility>();

  /**
   * Hit cones and shadows of one segment, in its own (real) frame: the segment that ends on
   * node `end`'s last face and starts at its parent's (end ≥ 0), or the last segment of node
   * `last`, from its last face (or the transmitter) to the receivers in box `rcv`.
   */
  private segment(end: number, last: number, rcv: number[]): SegmentVisibility {
    const { g, trie, images, beams, margin } = this;
    const fp = g.facePlane;
    const pos = g.scene.positions;
    const tris = this.area.length;
    const ap = beams.aperture;
    const from = end >= 0 ? trie.parent[end]! : last;
    const out: SegmentVisibility = { cones: [], shadows: [], always: false };
    const box = new Float64Array(6);
    // segment runs between its end points: in the box of both apertures
    for (let a = 0; a < 3; a++) {
      const lo2 = end >= 0 ? ap[6 * end + a]! : rcv[a]! - margin;
      const hi2 = end >= 0 ? ap[6 * end + 3 + a]! : rcv[3 + a]! + margin;
      box[a] = Math.min(ap[6 * from + a]!, lo2);
      box[3 + a] = Math.max(ap[6 * from + 3 + a]!, hi2);
    }
    const ix = images[3 * from]!,
      iy = images[3 * from + 1]!,
      iz = images[3 * from + 2]!;
    // the slab of the segment (beyond its first face, before its last, seen from the apex):
    // shrunk by the margin for shadows, widened by it for hit cones
    const slab: number[] = [];
    const wide: number[] = [];
    const fk = from > 0 ? trie.face[from]! : -1;
    const fk1 = end >= 0 ? trie.face[end]! : -1;
    for (const [f, beyond] of [
      [fk, true],
      [fk1, false],
    ] as const) {
      if (f < 0) continue;
      const d = fp[4 * f]! * ix + fp[4 * f + 1]! * iy + fp[4 * f + 2]! * iz - fp[4 * f + 3]!;
      if (Math.abs(d) <= 2 * margin) {
        out.always = true;
        return out;
      }
      const s = d > 0 === beyond ? -1 : 1;
      const nx = s * fp[4 * f]!,
        ny = s * fp[4 * f + 1]!,
        nz = s * fp[4 * f + 2]!,
        off = s * fp[4 * f + 3]!;
      slab.push(nx, ny, nz, off + margin);
      wide.push(nx, ny, nz, off - margin);
    }
    // Faces in the plane of the face the segment starts (ends) on meet it only at that end,
    // within 2e-12·size / cos(incidence): the reference's end clearance (≥ 1e-8·size) ignores
    // them when cos > 1e-3. cos ≥ |distance of the apex to the plane| / |apex − end point|.
    const far = (w: number) => {
      let d2 = 0;
      for (let a = 0; a < 3; a++) {
        const i = images[3 * from + a]!;
        const e = Math.max(Math.abs(ap[6 * w + a]! - i), Math.abs(ap[6 * w + 3 + a]! - i));
        d2 += e * e;
      }
      return Math.sqrt(d2);
    };
    const planeDist = (f: number) =>
      Math.abs(fp[4 * f]! * ix + fp[4 * f + 1]! * iy + fp[4 * f + 2]! * iz - fp[4 * f + 3]!);
    const groupStart = fk >= 0 && planeDist(fk) > 1e-3 * far(from) ? this.group[fk]! : -1;
    const groupEnd = fk1 >= 0 && planeDist(fk1) > 1e-3 * far(end) ? this.group[fk1]! : -1;
    // where the segment can be: inside the cone of the next beam's aperture (mirrored back
    // into this frame) or, for the last segment, in the node's own beam
    const region: number[] = [];
    const rb = end >= 0 ? end : last;
    if (beams.kind[rb] === BEAM_CONE) {
      const stop = beams.start[rb + 1]! - (end >= 0 ? 1 : 0); // without the next beam's far side
      for (let i = beams.start[rb]!; i < stop; i++) {
        const q = beams.planes.subarray(4 * i, 4 * i + 4);
        if (end >= 0 && trie.type[rb] === REFLECTION)
          region.push(...mirrorPlane(fp, fk1, q[0]!, q[1]!, q[2]!, q[3]!));
        else region.push(q[0]!, q[1]!, q[2]!, q[3]!);
      }
    }
    region.push(...wide);
    const isLast = end < 0;
    for (let t = 0; t < tris; t++) {
      const f = g.scene.triangleFace[t]!;
      if (f === fk || f === fk1 || this.group[f] === groupStart || this.group[f] === groupEnd) continue;
      const o = 9 * t;
      // outside its box or one of the region's half-spaces: the segment never meets it
      let outside = false;
      for (let a = 0; a < 3 && !outside; a++) {
        const lo = box[a]!;
        const hi = box[3 + a]!;
        const p0 = pos[o + a]!,
          p1 = pos[o + 3 + a]!,
          p2 = pos[o + 6 + a]!;
        outside = (p0 < lo && p1 < lo && p2 < lo) || (p0 > hi && p1 > hi && p2 > hi);
      }
      for (let r = 0; r < region.length && !outside; r += 4) {
        const nx = region[r]!,
          ny = region[r + 1]!,
          nz = region[r + 2]!,
          d = region[r + 3]!;
        outside =
          nx * pos[o]! + ny * pos[o + 1]! + nz * pos[o + 2]! - d < 0 &&
          nx * pos[o + 3]! + ny * pos[o + 4]! + nz * pos[o + 5]! - d < 0 &&
          nx * pos[o + 6]! + ny * pos[o + 7]! + nz * pos[o + 8]! - d < 0;
      }
      if (outside) continue;
      const tri = [
        pos[o]!,
        pos[o + 1]!,
        pos[o + 2]!,
        pos[o + 3]!,
        pos[o + 4]!,
        pos[o + 5]!,
        pos[o + 6]!,
        pos[o + 7]!,
        pos[o + 8]!,
      ];
      // hit cone: where the segment may cross this triangle
      let poly = tri;
      for (let r = 0; r < wide.length && poly.length >= 9; r += 4)
        poly = clip(poly, wide[r]!, wide[r + 1]!, wide[r + 2]!, wide[r + 3]!);
      if (poly.length === 0) continue; // wholly outside the slab: never on the segment
      const cone = poly.length >= 9 ? triangleCone(poly, fp, f, ix, iy, iz, margin, isLast, false) : null;
      if (!cone) {
        out.always = true;
        continue;
      }
      for (const x of cone) out.cones.push(x);
      this.cones++;
      // shadow: where the segment certainly crosses it
      if (this.area[t]! < 1e-6) continue;
      poly = tri;
      for (let r = 0; r < slab.length && poly.length >= 9; r += 4)
        poly = clip(poly, slab[r]!, slab[r + 1]!, slab[r + 2]!, slab[r + 3]!);
      if (poly.length < 9) continue;
      const shadow = triangleCone(poly, fp, f, ix, iy, iz, margin, isLast, true);
      if (!shadow) continue;
      for (const x of shadow) out.shadows.push(x);
      this.shadows++;
    }
    return out;
  }
}

/**
 * The packed cones ([k,] count, planes…) with their y range on the receivers' plane inserted
 * after the count ([k,] count, ylo, yhi, planes…), so that rows outside it skip them. With a
 * footprint (the node's beam on a horizontal receiver rectangle, a convex polygon), cones that
 * miss it are dropped and the range is that of their intersection; otherwise it is unbounded.
 */
function withRows(c: number[], tagged: boolean, footprint: number[] | null): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < c.length) {
    const first = i + (tagged ? 2 : 1);
    const end = first + 4 * c[first - 1]!;
    let ylo = -Infinity;
    let yhi = Infinity;
    if (footprint) {
      let poly = footprint;
      for (let r = first; r < end && poly.length > 0; r += 4)
        poly = clip(poly, c[r]!, c[r + 1]!, c[r + 2]!, c[r + 3]!);
      if (poly.length === 0) {
        i = end;
        continue;
      }
      ylo = Infinity;
      yhi = -Infinity;
      for (let j = 1; j < poly.length; j += 3) {
        ylo = Math.min(ylo, poly[j]!);
        yhi = Math.max(yhi, poly[j]!);
      }
    }
    for (let r = i; r < first; r++) out.push(c[r]!);
    out.push(ylo, yhi);
    for (let r = first; r < end; r++) out.push(c[r]!);
    i = end;
  }
  return out;
}

/** One segment's hit cones and shadows ([count, planes…] each) in its own frame. */
interface SegmentVisibility {
  cones: number[];
  shadows: number[];
  /** a triangle the host cannot bound: the GPU always tests this segment */
  always: boolean;
}

/**
 * Reflect, in the plane of face f, the planes of the packed cones from index `from` on
 * ([k, count, planes…] when `tagged`, else [count, planes…]); as mirrorPlane, in place.
 */
function mirrorPacked(c: number[], from: number, tagged: boolean, fp: Float64Array, f: number): void {
  const fx = fp[4 * f]!,
    fy = fp[4 * f + 1]!,
    fz = fp[4 * f + 2]!,
    fo = fp[4 * f + 3]!;
  let i = from;
  while (i < c.length) {
    const first = i + (tagged ? 2 : 1);
    const end = first + 4 * c[first - 1]!;
    for (let r = first; r < end; r += 4) {
      const m = 2 * (c[r]! * fx + c[r + 1]! * fy + c[r + 2]! * fz);
      c[r] = c[r]! - m * fx;
      c[r + 1] = c[r + 1]! - m * fy;
      c[r + 2] = c[r + 2]! - m * fz;
      c[r + 3] = c[r + 3]! - m * fo;
    }
    i = end;
  }
}

/** Bits k of the hit cones ([k, count, ylo, yhi, planes…] each) that contain a point. */
export function coneBits(c: Float64Array, x: number, y: number, z: number): number {
  let bits = 0;
  let i = 0;
  while (i < c.length) {
    const k = c[i]!;
    const end = i + 4 + 4 * c[i + 1]!;
    let inside = true;
    for (let r = i + 4; r < end; r += 4) {
      if (c[r]! * x + c[r + 1]! * y + c[r + 2]! * z - c[r + 3]! < 0) {
        inside = false;
        break;
      }
    }
    if (inside) bits |= 1 << k;
    i = end;
  }
  return bits;
}

/**
 * OR into bits[ix] (ix0 ≤ ix ≤ ix1, grid row iy) the segment bits of the hit cones containing the
 * cell centre. Cones are convex: an interval of x per row; the cones' margin dwarfs rounding.
 */
export function markConeBits(
  c: Float64Array,
  grid: { xmin: number; ymin: number; cellSize: number; z: number },
  iy: number,
  ix0: number,
  ix1: number,
  bits: Uint32Array,
): void {
  const y = grid.ymin + (iy + 0.5) * grid.cellSize;
  const cs = grid.cellSize;
  let i = 0;
  while (i < c.length) {
    const bit = 1 << c[i]!;
    const end = i + 4 + 4 * c[i + 1]!;
    // rows outside the cone's y range (widened against rounding) skip it
    if (y < c[i + 2]! - 1e-6 * cs || y > c[i + 3]! + 1e-6 * cs) {
      i = end;
      continue;
    }
    let lo = -Infinity;
    let hi = Infinity;
    for (let r = i + 4; r < end && lo <= hi; r += 4) {
      const a = c[r]!;
      const d = c[r + 1]! * y + c[r + 2]! * grid.z - c[r + 3]!;
      if (a > 1e-12) lo = Math.max(lo, -d / a);
      else if (a < -1e-12) hi = Math.min(hi, -d / a);
      else if (d < 0) hi = -Infinity;
    }
    i = end;
    if (!(lo <= hi)) continue;
    // widened by 1e-6 cell against rounding (the cone's own margin is far wider)
    const a0 = Math.max(ix0, Math.ceil((lo - grid.xmin) / cs - 0.5 - 1e-6));
    const a1 = Math.min(ix1, Math.floor((hi - grid.xmin) / cs - 0.5 + 1e-6));
    for (let ix = a0; ix <= a1; ix++) bits[ix]! |= bit;
  }
}

/** Whether a point is inside one of the packed shadows ([count, ylo, yhi, planes…] each). */
export function inShadow(s: Float64Array, x: number, y: number, z: number): boolean {
  let i = 0;
  while (i < s.length) {
    const end = i + 3 + 4 * s[i]!;
    let inside = true;
    for (let r = i + 3; r < end; r += 4) {
      if (s[r]! * x + s[r + 1]! * y + s[r + 2]! * z - s[r + 3]! < 0) {
        inside = false;
        break;
      }
    }
    if (inside) return true;
    i = end;
  }
  return false;
}

/** Plane (N, d) reflected in the plane of face f: N' = N − 2(N·n)n, d' = d − 2(N·n)·offset. */
function mirrorPlane(fp: Float64Array, f: number, nx: number, ny: number, nz: number, d: number): number[] {
  const fx = fp[4 * f]!,
    fy = fp[4 * f + 1]!,
    fz = fp[4 * f + 2]!;
  const c = 2 * (nx * fx + ny * fy + nz * fz);
  return [nx - c * fx, ny - c * fy, nz - c * fz, d - c * fp[4 * f + 3]!];
}

/** Sutherland–Hodgman: the part of a convex polygon (3 per vertex) where N·x − d ≥ 0. */
function clip(poly: number[], nx: number, ny: number, nz: number, d: number): number[] {
  const n = poly.length / 3;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const ha = nx * poly[3 * i]! + ny * poly[3 * i + 1]! + nz * poly[3 * i + 2]! - d;
    const hb = nx * poly[3 * j]! + ny * poly[3 * j + 1]! + nz * poly[3 * j + 2]! - d;
    if (ha >= 0) out.push(poly[3 * i]!, poly[3 * i + 1]!, poly[3 * i + 2]!);
    if (ha >= 0 !== hb >= 0) {
      const t = ha / (ha - hb);
      for (let a = 0; a < 3; a++) out.push(poly[3 * i + a]! + t * (poly[3 * j + a]! - poly[3 * i + a]!));
    }
  }
  return out;
}

/**
 * Cone from apex (ix, iy, iz) through convex polygon `poly` (in the plane of face f), each edge
 * moved by `margin`: inwards for a shadow (`shrink`: where rays certainly cross the polygon's
 * interior), outwards for a hit cone (where rays may cross it). For the last segment
 * (`beyond`) the receiver must also lie beyond the polygon's plane: by the margin for a shadow,
 * up to the margin before it for a hit cone. Packed [count, planes…]; null when the apex is
 * (nearly) in the plane, or a shadow's polygon is too thin for the margin.
 */
function triangleCone(
  poly: number[],
  fp: Float64Array,
  f: number,
  ix: number,
  iy: number,
  iz: number,
  margin: number,
  beyond: boolean,
  shrink: boolean,
): number[] | null {
  const fnx = fp[4 * f]!,
    fny = fp[4 * f + 1]!,
    fnz = fp[4 * f + 2]!,
    foff = fp[4 * f + 3]!;
  const dI = fnx * ix + fny * iy + fnz * iz - foff;
  if (Math.abs(dI) <= 2 * margin) return null;
  const m = poly.length / 3;
  const [cx, cy, cz] = polygonCentroid(poly);
  const out: number[] = [0];
  for (let i = 0; i < m; i++) {
    const j = (i + 1) % m;
    const ex = poly[3 * j]! - poly[3 * i]!,
      ey = poly[3 * j + 1]! - poly[3 * i + 1]!,
      ez = poly[3 * j + 2]! - poly[3 * i + 2]!;
    let mx = fny * ez - fnz * ey,
      my = fnz * ex - fnx * ez,
      mz = fnx * ey - fny * ex;
    const ml = norm3(mx, my, mz);
    // a vanishing edge (clipping can leave one): its neighbours bound a hit cone; a shadow
    // needs every edge
    if (!(ml > 1e-9)) {
      if (shrink) return null;
      continue;
    }
    mx /= ml;
    my /= ml;
    mz /= ml;
    // inward: towards the centroid
    const toC = mx * (cx - poly[3 * i]!) + my * (cy - poly[3 * i + 1]!) + mz * (cz - poly[3 * i + 2]!);
    if (toC < 0) {
      mx = -mx;
      my = -my;
      mz = -mz;
    }
    // too thin to shrink: the centroid is within the margin of this edge (or a degenerate
    // polygon, whose outward side is unknown)
    if (Math.abs(toC) <= (shrink ? 2 * margin : 1e-9)) return null;
    const shift = shrink ? margin : -margin;
    const ax = poly[3 * i]! + shift * mx - ix,
      ay = poly[3 * i + 1]! + shift * my - iy,
      az = poly[3 * i + 2]! + shift * mz - iz;
    let nx = ay * ez - az * ey,
      ny = az * ex - ax * ez,
      nz = ax * ey - ay * ex;
    const nl = norm3(nx, ny, nz);
    if (!(nl > 0)) return null;
    nx /= nl;
    ny /= nl;
    nz /= nl;
    if (nx * (cx - ix) + ny * (cy - iy) + nz * (cz - iz) < 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    out.push(nx, ny, nz, nx * ix + ny * iy + nz * iz);
    out[0]!++;
  }
  if (out[0]! < 3) return null;
  // every shrunk side must keep the centroid inside, or the shrunk polygon is empty
  for (let r = 1; r < out.length; r += 4) {
    if (out[r]! * cx + out[r + 1]! * cy + out[r + 2]! * cz - out[r + 3]! <= 0) return null;
  }
  if (beyond) {
    const s = dI > 0 ? -1 : 1;
    out.push(s * fnx, s * fny, s * fnz, s * foff + (shrink ? margin : -margin));
    out[0]!++;
  }
  return out;
}

/**
 * Mark in `mark` (1 per cell of the row) the cells ix0 … ix1 of grid row iy whose centres lie in
 * one of the packed shadows; returns how many were marked. Each shadow is convex, so on a row
 * it is an interval of x (a shadow's margin dwarfs the rounding of the interval ends).
 */
export function markShadowedCells(
  s: Float64Array,
  grid: { xmin: number; ymin: number; cellSize: number; z: number },
  iy: number,
  ix0: number,
  ix1: number,
  mark: Uint8Array,
): number {
  const y = grid.ymin + (iy + 0.5) * grid.cellSize;
  const cs = grid.cellSize;
  let marked = 0;
  let i = 0;
  while (i < s.length) {
    const end = i + 3 + 4 * s[i]!;
    // rows outside the shadow's y range skip it
    if (y < s[i + 1]! || y > s[i + 2]!) {
      i = end;
      continue;
    }
    let lo = -Infinity;
    let hi = Infinity;
    for (let r = i + 3; r < end && lo <= hi; r += 4) {
      const a = s[r]!;
      const c = s[r + 1]! * y + s[r + 2]! * grid.z - s[r + 3]!;
      if (a > 1e-12) lo = Math.max(lo, -c / a);
      else if (a < -1e-12) hi = Math.min(hi, -c / a);
      else if (c < 0) hi = -Infinity;
    }
    i = end;
    if (!(lo <= hi)) continue;
    const a0 = Math.max(ix0, Math.ceil((lo - grid.xmin) / cs - 0.5));
    const a1 = Math.min(ix1, Math.floor((hi - grid.xmin) / cs - 0.5));
    for (let ix = a0; ix <= a1; ix++) {
      if (mark[ix] === 0) {
        mark[ix] = 1;
        marked++;
      }
    }
  }
  return marked;
}
