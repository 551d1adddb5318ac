import type { Vec3 } from '../../engine/core/vec3.ts';
import type { Scene } from '../../engine/scene/types.ts';
import type { PathGeometry } from '../../engine/tracer/path.ts';

/**
 * Exhaustive image-method reference for one link, written for the tests only and independent of
 * the tracer (src/engine/tracer): it reads the scene's faces and triangles and nothing else, and
 * shares no code with the production search (no BVH, no beams, no trie, no tolerances).
 *
 * Every sequence of faces (f₁ … fₙ), n ≤ maxDepth, with a reflection or a straight-through
 * transmission at each, is enumerated depth first, pruned only by what holds for any receiver
 * and ignores every obstacle: the segment leaving face fₖ lies on a ray from the image Iₖ through
 * a point Pₖ of fₖ, beyond fₖ's plane. So fₖ₊₁ must have a vertex on the far side of fₖ's plane
 * from Iₖ, meet the circular cone with apex Iₖ around fₖ's bounding sphere (a quick test), and
 * meet the pyramid from Iₖ through the part of fₖ such rays can reach (its aperture): Pₖ₊₁ lies
 * in a triangle of fₖ₊₁ clipped by the planes through Iₖ and each edge of the aperture of Pₖ, and
 * that clipped polygon is fₖ₊₁'s aperture for the next face. The apertures of f₁ are its
 * triangles. Clipping keeps a slack of 1e-9 of the scene's size outside every plane, so a path
 * that grazes an aperture's edge is never pruned; only the final solve decides. Without the
 * pyramids (the cone alone) depth 5 in a street canyon did not finish in ten minutes.
 *
 * A sequence is a path when, solving backwards from the receiver (Pₖ = line Iₖ → Pₖ₊₁ ∩ plane
 * fₖ, strictly between them), every Pₖ lies inside a triangle of fₖ, the neighbours are on the
 * same side of fₖ for a reflection and on opposite sides for a transmission, and no triangle
 * outside the planes of a segment's end faces cuts the segment (brute force over all triangles).
 */
export interface OraclePath {
  /** 'r' or 't' and the face index per interaction, e.g. r3-t7 ('los' for none) */
  signature: string;
  length: number;
  points: Vec3[];
}

export interface OracleOptions {
  maxDepth: number;
  reflection?: boolean;
  transmission?: boolean;
  los?: boolean;
  /** prune by the apertures' pyramids (default true; false: the cone alone, to check the pruning) */
  apertures?: boolean;
}

interface FaceData {
  n: Float64Array; // 4 per face: normal, offset
  tris: number[][]; // triangle indices per face
  centre: Float64Array; // 3 per face (bounding sphere)
  radius: Float64Array;
  verts: Float64Array[]; // vertices (xyz…) per face
}

const cache = new WeakMap<Scene, FaceData>();

function faceData(scene: Scene): FaceData {
  const hit = cache.get(scene);
  if (hit) return hit;
  const F = scene.faces.length;
  const p = scene.positions;
  const n = new Float64Array(4 * F);
  const centre = new Float64Array(3 * F);
  const radius = new Float64Array(F);
  const tris: number[][] = [];
  const verts: Float64Array[] = [];
  for (let f = 0; f < F; f++) {
    const face = scene.faces[f]!;
    n.set([...face.normal, face.offset], 4 * f);
    tris.push([...face.triangles]);
    const v = new Float64Array(9 * face.triangles.length);
    face.triangles.forEach((t, i) => {
      v.set(p.subarray(9 * t, 9 * t + 9), 9 * i);
    });
    verts.push(v);
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < v.length; i += 3) {
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a]!, v[i + a]!);
        hi[a] = Math.max(hi[a]!, v[i + a]!);
      }
    }
    const c = [0, 1, 2].map((a) => (lo[a]! + hi[a]!) / 2);
    centre.set(c, 3 * f);
    let r = 0;
    for (let i = 0; i < v.length; i += 3)
      r = Math.max(r, Math.hypot(v[i]! - c[0]!, v[i + 1]! - c[1]!, v[i + 2]! - c[2]!));
    radius[f] = r;
  }
  const d = { n, tris, centre, radius, verts };
  cache.set(scene, d);
  return d;
}

const dist = (d: FaceData, f: number, x: number, y: number, z: number) =>
  d.n[4 * f]! * x + d.n[4 * f + 1]! * y + d.n[4 * f + 2]! * z - d.n[4 * f + 3]!;

function samePlane(d: FaceData, a: number, b: number): boolean {
  const c = d.n[4 * a]! * d.n[4 * b]! + d.n[4 * a + 1]! * d.n[4 * b + 1]! + d.n[4 * a + 2]! * d.n[4 * b + 2]!;
  return (
    Math.abs(Math.abs(c) - 1) < 1e-12 && Math.abs(d.n[4 * a + 3]! - Math.sign(c) * d.n[4 * b + 3]!) < 1e-9
  );
}

/** Point (on the plane of face f) inside one of its triangles, by barycentric coordinates. */
function inFace(d: FaceData, f: number, x: number, y: number, z: number): boolean {
  const v = d.verts[f]!;
  for (let i = 0; i < v.length; i += 9) {
    const ux = v[i + 3]! - v[i]!,
      uy = v[i + 4]! - v[i + 1]!,
      uz = v[i + 5]! - v[i + 2]!;
    const wx = v[i + 6]! - v[i]!,
      wy = v[i + 7]! - v[i + 1]!,
      wz = v[i + 8]! - v[i + 2]!;
    const px = x - v[i]!,
      py = y - v[i + 1]!,
      pz = z - v[i + 2]!;
    const uu = ux * ux + uy * uy + uz * uz,
      uw = ux * wx + uy * wy + uz * wz,
      ww = wx * wx + wy * wy + wz * wz;
    const pu = px * ux + py * uy + pz * uz,
      pw = px * wx + py * wy + pz * wz;
    const det = uu * ww - uw * uw;
    const s = (pu * ww - pw * uw) / det;
    const t = (pw * uu - pu * uw) / det;
    if (s >= 0 && t >= 0 && s + t <= 1) return true;
  }
  return false;
}

/** Whether a triangle of the scene (other than those in the planes of faces a, b) cuts segment PQ. */
function blocked(scene: Scene, d: FaceData, P: Vec3, Q: Vec3, a: number, b: number, eps: number): boolean {
  const p = scene.positions;
  const dx = Q[0] - P[0],
    dy = Q[1] - P[1],
    dz = Q[2] - P[2];
  const len = Math.hypot(dx, dy, dz);
  const lo = a < 0 ? eps / len : 0;
  const hi = b < 0 ? 1 - eps / len : 1;
  for (let f = 0; f < scene.faces.length; f++) {
    if ((a >= 0 && (f === a || samePlane(d, f, a))) || (b >= 0 && (f === b || samePlane(d, f, b)))) continue;
    for (const t of d.tris[f]!) {
      // Möller–Trumbore
      const o = 9 * t;
      const e1x = p[o + 3]! - p[o]!,
        e1y = p[o + 4]! - p[o + 1]!,
        e1z = p[o + 5]! - p[o + 2]!;
      const e2x = p[o + 6]! - p[o]!,
        e2y = p[o + 7]! - p[o + 1]!,
        e2z = p[o + 8]! - p[o + 2]!;
      const hx = dy * e2z - dz * e2y,
        hy = dz * e2x - dx * e2z,
        hz = dx * e2y - dy * e2x;
      const det = e1x * hx + e1y * hy + e1z * hz;
      if (det === 0) continue;
      const sx = P[0] - p[o]!,
        sy = P[1] - p[o + 1]!,
        sz = P[2] - p[o + 2]!;
      const u = (sx * hx + sy * hy + sz * hz) / det;
      if (u < 0 || u > 1) continue;
      const qx = sy * e1z - sz * e1y,
        qy = sz * e1x - sx * e1z,
        qz = sx * e1y - sy * e1x;
      const v = (dx * qx + dy * qy + dz * qz) / det;
      if (v < 0 || u + v > 1) continue;
      const s = (e2x * qx + e2y * qy + e2z * qz) / det;
      if (s > lo && s < hi) return true;
    }
  }
  return false;
}

/**
 * The convex polygon `poly` (flat xyz) clipped to the half-space n·x ≥ c − slack, n a unit
 * vector (Sutherland–Hodgman).
 */
function clipPolygon(poly: number[], nx: number, ny: number, nz: number, c: number, slack: number): number[] {
  const out: number[] = [];
  const m = poly.length / 3;
  for (let i = 0; i < m; i++) {
    const j = (i + 1) % m;
    const ax = poly[3 * i]!,
      ay = poly[3 * i + 1]!,
      az = poly[3 * i + 2]!;
    const bx = poly[3 * j]!,
      by = poly[3 * j + 1]!,
      bz = poly[3 * j + 2]!;
    const da = nx * ax + ny * ay + nz * az - c + slack;
    const db = nx * bx + ny * by + nz * bz - c + slack;
    if (da >= 0) out.push(ax, ay, az);
    if (da >= 0 !== db >= 0) {
      const t = da / (da - db);
      out.push(ax + t * (bx - ax), ay + t * (by - ay), az + t * (bz - az));
    }
  }
  return out;
}

/**
 * The pyramid of rays from I through the convex aperture `ap` (on face f) beyond f's plane: its
 * bounding planes (unit normal and offset, inside: n·x ≥ c) and a bounding cone (apex I, unit
 * axis, sin and cos of its half-angle; undefined when I is within the aperture's bounding sphere).
 */
interface Pyramid {
  planes: number[];
  cone?: { ax: number; ay: number; az: number; sinH: number; cosH: number };
}

function pyramidOf(d: FaceData, f: number, I: Vec3, ap: number[]): Pyramid {
  // beyond f's plane: −sign(dist(I))·(n·x − offset) ≥ 0
  const s = Math.sign(dist(d, f, I[0], I[1], I[2]));
  const planes = [-s * d.n[4 * f]!, -s * d.n[4 * f + 1]!, -s * d.n[4 * f + 2]!, -s * d.n[4 * f + 3]!];
  const m = ap.length / 3;
  let gx = 0,
    gy = 0,
    gz = 0;
  for (let i = 0; i < m; i++) {
    gx += ap[3 * i]! / m;
    gy += ap[3 * i + 1]! / m;
    gz += ap[3 * i + 2]! / m;
  }
  for (let i = 0; i < m; i++) {
    const j = (i + 1) % m;
    const ax = ap[3 * i]! - I[0],
      ay = ap[3 * i + 1]! - I[1],
      az = ap[3 * i + 2]! - I[2];
    const bx = ap[3 * j]! - I[0],
      by = ap[3 * j + 1]! - I[1],
      bz = ap[3 * j + 2]! - I[2];
    // the side plane through I and the edge a–b, its normal towards the aperture's centroid
    let nx = ay * bz - az * by,
      ny = az * bx - ax * bz,
      nz = ax * by - ay * bx;
    const l = Math.hypot(nx, ny, nz);
    if (!(l > 1e-300)) continue; // an edge in line with I bounds nothing
    nx /= l;
    ny /= l;
    nz /= l;
    if (nx * (gx - I[0]) + ny * (gy - I[1]) + nz * (gz - I[2]) < 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    planes.push(nx, ny, nz, nx * I[0] + ny * I[1] + nz * I[2]);
  }
  let r = 0;
  for (let i = 0; i < m; i++)
    r = Math.max(r, Math.hypot(ap[3 * i]! - gx, ap[3 * i + 1]! - gy, ap[3 * i + 2]! - gz));
  const al = Math.hypot(gx - I[0], gy - I[1], gz - I[2]);
  if (al <= r) return { planes };
  const sinH = r / al;
  return {
    planes,
    cone: {
      ax: (gx - I[0]) / al,
      ay: (gy - I[1]) / al,
      az: (gz - I[2]) / al,
      sinH,
      cosH: Math.sqrt(1 - sinH * sinH),
    },
  };
}

/** Whether face f's bounding sphere lies wholly outside one of the pyramid's planes. */
function sphereOutside(d: FaceData, p: Pyramid, f: number, slack: number): boolean {
  const cx = d.centre[3 * f]!,
    cy = d.centre[3 * f + 1]!,
    cz = d.centre[3 * f + 2]!;
  const r = d.radius[f]!;
  for (let k = 0; k < p.planes.length; k += 4)
    if (p.planes[k]! * cx + p.planes[k + 1]! * cy + p.planes[k + 2]! * cz - p.planes[k + 3]! < -r - slack)
      return true;
  return false;
}

/** Whether point x lies inside the pyramid (within slack of every plane). */
function insidePyramid(p: Pyramid, x: Vec3, slack: number): boolean {
  for (let k = 0; k < p.planes.length; k += 4)
    if (p.planes[k]! * x[0] + p.planes[k + 1]! * x[1] + p.planes[k + 2]! * x[2] - p.planes[k + 3]! < -slack)
      return false;
  return true;
}

/** The part of triangle `tri` (9 numbers) inside the pyramid (with slack), or undefined if none. */
function clipToPyramid(p: Pyramid, tri: number[], slack: number): number[] | undefined {
  // a plane with the three corners outside: nothing to clip
  for (let k = 0; k < p.planes.length; k += 4) {
    const nx = p.planes[k]!,
      ny = p.planes[k + 1]!,
      nz = p.planes[k + 2]!,
      c = p.planes[k + 3]! - slack;
    if (
      nx * tri[0]! + ny * tri[1]! + nz * tri[2]! < c &&
      nx * tri[3]! + ny * tri[4]! + nz * tri[5]! < c &&
      nx * tri[6]! + ny * tri[7]! + nz * tri[8]! < c
    )
      return undefined;
  }
  let poly = tri;
  for (let k = 0; k < p.planes.length && poly.length >= 9; k += 4)
    poly = clipPolygon(poly, p.planes[k]!, p.planes[k + 1]!, p.planes[k + 2]!, p.planes[k + 3]!, slack);
  return poly.length >= 9 ? poly : undefined;
}

/**
 * The convex hull of points (flat xyz) lying in the plane of face f, as a polygon (flat xyz,
 * in order): monotone chain on the two coordinates the plane's normal leaves the most room.
 */
function planarHull(d: FaceData, f: number, pts: number[]): number[] {
  const ax = Math.abs(d.n[4 * f]!),
    ay = Math.abs(d.n[4 * f + 1]!),
    az = Math.abs(d.n[4 * f + 2]!);
  // drop the coordinate along which the normal is largest
  const [u, v] = ax >= ay && ax >= az ? [1, 2] : ay >= az ? [0, 2] : [0, 1];
  const idx = Array.from({ length: pts.length / 3 }, (_, i) => i).sort(
    (a, b) => pts[3 * a + u]! - pts[3 * b + u]! || pts[3 * a + v]! - pts[3 * b + v]!,
  );
  const cross = (o: number, a: number, b: number) =>
    (pts[3 * a + u]! - pts[3 * o + u]!) * (pts[3 * b + v]! - pts[3 * o + v]!) -
    (pts[3 * a + v]! - pts[3 * o + v]!) * (pts[3 * b + u]! - pts[3 * o + u]!);
  const chain = (order: number[]) => {
    const h: number[] = [];
    for (const i of order) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, i) <= 0) h.pop();
      h.push(i);
    }
    h.pop();
    return h;
  };
  const hull = [...chain(idx), ...chain([...idx].reverse())];
  if (hull.length < 3) return pts; // degenerate (all in a line): keep every point
  return hull.flatMap((i) => [pts[3 * i]!, pts[3 * i + 1]!, pts[3 * i + 2]!]);
}

/** Every specular (reflected/transmitted) path and the LoS from tx to rx, sorted by length. */
export function imageMethodPaths(scene: Scene, tx: Vec3, rx: Vec3, options: OracleOptions): OraclePath[] {
  return imageMethodPathsToMany(scene, tx, [rx], options)[0]!;
}

/**
 * The same for several receivers of one transmitter: the sequences (and their pruning) depend on
 * the transmitter only, so they are enumerated once and solved for every receiver.
 */
export function imageMethodPathsToMany(
  scene: Scene,
  tx: Vec3,
  rxs: readonly Vec3[],
  options: OracleOptions,
): OraclePath[][] {
  const d = faceData(scene);
  const F = scene.faces.length;
  const types: number[] = [];
  if (options.reflection ?? true) types.push(0);
  if (options.transmission ?? false) types.push(1);
  const { min, max } = scene.bbox;
  const eps = 1e-7 * Math.max(1, Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]));
  const outs: OraclePath[][] = rxs.map(() => []);
  rxs.forEach((rx, r) => {
    if ((options.los ?? true) && !blocked(scene, d, tx, rx, -1, -1, eps))
      outs[r]!.push({
        signature: 'los',
        length: Math.hypot(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]),
        points: [],
      });
  });
  const faces: number[] = [];
  const kinds: number[] = [];
  const images: Vec3[] = [tx];
  const solve = (rx: Vec3, out: OraclePath[]) => {
    const n = faces.length;
    const pts: Vec3[] = new Array(n + 2);
    pts[0] = tx;
    pts[n + 1] = rx;
    for (let k = n; k >= 1; k--) {
      const f = faces[k - 1]!;
      const I = images[k]!;
      const Q = pts[k + 1]!;
      const di = dist(d, f, I[0], I[1], I[2]);
      const dq = dist(d, f, Q[0], Q[1], Q[2]);
      if (di * dq >= 0) return; // not strictly on both sides: no crossing between I and Q
      const s = di / (di - dq);
      const P: Vec3 = [I[0] + s * (Q[0] - I[0]), I[1] + s * (Q[1] - I[1]), I[2] + s * (Q[2] - I[2])];
      if (!inFace(d, f, P[0], P[1], P[2])) return;
      pts[k] = P;
    }
    for (let k = 1; k <= n; k++) {
      const f = faces[k - 1]!;
      const a = pts[k - 1]!;
      const b = pts[k + 1]!;
      const sa = dist(d, f, a[0], a[1], a[2]);
      const sb = dist(d, f, b[0], b[1], b[2]);
      if (kinds[k - 1] === 0 ? !(sa * sb > 0) : !(sa * sb < 0)) return;
    }
    let length = 0;
    for (let k = 0; k <= n; k++) {
      const a = pts[k]!;
      const b = pts[k + 1]!;
      if (blocked(scene, d, a, b, k > 0 ? faces[k - 1]! : -1, k < n ? faces[k]! : -1, eps)) return;
      length += Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
    }
    const signature = faces.map((f, i) => `${kinds[i] === 0 ? 'r' : 't'}${f}`).join('-');
    out.push({ signature, length, points: pts.slice(1, n + 1) });
  };
  /**
   * Faces with a vertex strictly on one side of face p's plane (not p, not coplanar with it), for
   * side +1 at index 2p + 1 and −1 at 2p: built once per face and side, when first needed.
   */
  const beyondLists: (number[] | undefined)[] = [];
  const facesBeyond = (p: number, side: number): number[] => {
    const key = 2 * p + (side > 0 ? 1 : 0);
    let list = beyondLists[key];
    if (list) return list;
    list = [];
    for (let f = 0; f < F; f++) {
      if (f === p || samePlane(d, f, p)) continue;
      const v = d.verts[f]!;
      for (let i = 0; i < v.length; i += 3) {
        if (side * dist(d, p, v[i]!, v[i + 1]!, v[i + 2]!) > 0) {
          list.push(f);
          break;
        }
      }
    }
    beyondLists[key] = list;
    return list;
  };
  const allFaces = Array.from({ length: F }, (_, f) => f);
  /** the faces that may follow prev from image I: a vertex on the far side of prev's plane from I */
  const followers = (prev: number, I: Vec3): number[] =>
    prev < 0 ? allFaces : facesBeyond(prev, dist(d, prev, I[0], I[1], I[2]) > 0 ? -1 : 1);
  /**
   * Whether f's bounding sphere meets the cone from image I around prev's bounding sphere (every
   * ray from I through prev). With the cone's axis a (unit), its half-angle h and f's angular
   * radius s seen from I, the test angle(a, c_f − I) ≤ h + s is done on cosines (no inverse
   * trigonometry per face): cos(angle) ≥ cos h cos s − sin h sin s.
   */
  const coneAround = (prev: number, I: Vec3) => {
    const ax = d.centre[3 * prev]! - I[0],
      ay = d.centre[3 * prev + 1]! - I[1],
      az = d.centre[3 * prev + 2]! - I[2];
    const al = Math.hypot(ax, ay, az);
    if (al <= d.radius[prev]!) return undefined; // I inside prev's sphere: every direction
    const sinH = d.radius[prev]! / al;
    return { ax: ax / al, ay: ay / al, az: az / al, sinH, cosH: Math.sqrt(1 - sinH * sinH) };
  };
  const inCone = (cone: ReturnType<typeof coneAround>, I: Vec3, f: number): boolean => {
    if (!cone) return true;
    const sx = d.centre[3 * f]! - I[0],
      sy = d.centre[3 * f + 1]! - I[1],
      sz = d.centre[3 * f + 2]! - I[2];
    const sl = Math.hypot(sx, sy, sz);
    if (sl <= d.radius[f]!) return true;
    const sinS = d.radius[f]! / sl;
    const cosS = Math.sqrt(1 - sinS * sinS);
    // h, s < π/2, so h + s < π where the cosine decreases: compare cosines
    const cosSum = cone.cosH * cosS - cone.sinH * sinS;
    const c = (cone.ax * sx + cone.ay * sy + cone.az * sz) / sl;
    return c >= cosSum - 1e-9;
  };
  const slack = 1e-9 * Math.max(1, Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]));
  /** the triangles of face f as polygons: the apertures of a first face */
  const triangleLists: number[][][] = [];
  const trianglesOf = (f: number): number[][] => {
    let out = triangleLists[f];
    if (out) return out;
    const v = d.verts[f]!;
    out = [];
    for (let i = 0; i < v.length; i += 9) out.push(Array.from(v.subarray(i, i + 9)));
    triangleLists[f] = out;
    return out;
  };
  /** apertures[k]: the parts of face faces[k − 1] rays of the sequence so far can reach */
  const apertures: number[][][] = [[]];
  const visit = () => {
    const depth = faces.length;
    const prev = depth > 0 ? faces[depth - 1]! : -1;
    const I = images[depth]!;
    // an image in its face's plane: every ray from it grazes the face, no path ends or goes on
    if (prev >= 0 && dist(d, prev, I[0], I[1], I[2]) === 0) return;
    const pyramids =
      prev >= 0 && options.apertures !== false
        ? apertures[depth]!.map((ap) => pyramidOf(d, prev, I, ap))
        : [];
    // the last segment runs from the aperture away from I: a receiver outside every pyramid
    // (with slack) has no path with this sequence
    if (depth > 0)
      for (let r = 0; r < rxs.length; r++)
        if (pyramids.length === 0 || pyramids.some((p) => insidePyramid(p, rxs[r]!, slack)))
          solve(rxs[r]!, outs[r]!);
    if (depth === options.maxDepth) return;
    const cone = prev >= 0 ? coneAround(prev, I) : undefined;
    for (const f of followers(prev, I)) {
      if (prev < 0 ? dist(d, f, I[0], I[1], I[2]) === 0 : !inCone(cone, I, f)) continue;
      let next: number[][];
      if (prev < 0 || options.apertures === false) next = trianglesOf(f);
      else {
        // the pieces of f's triangles inside the pyramid, as one aperture: their convex hull
        // (a superset of the pieces: still conservative, and the apertures do not multiply)
        const pieces: number[] = [];
        const leaf = depth + 1 === options.maxDepth;
        let near = false;
        for (const pyr of pyramids) {
          if ((pyr.cone && !inCone(pyr.cone, I, f)) || sphereOutside(d, pyr, f, slack)) continue;
          near = true;
          // a last face needs no aperture: the solve of each receiver is as cheap as the clipping
          if (leaf) break;
          for (const tri of trianglesOf(f)) {
            const part = clipToPyramid(pyr, tri, slack);
            if (part) pieces.push(...part);
          }
        }
        if (leaf ? !near : pieces.length === 0) continue;
        next = leaf ? [] : [planarHull(d, f, pieces)];
      }
      for (const type of types) {
        let J = I;
        if (type === 0) {
          const s = dist(d, f, I[0], I[1], I[2]);
          J = [I[0] - 2 * s * d.n[4 * f]!, I[1] - 2 * s * d.n[4 * f + 1]!, I[2] - 2 * s * d.n[4 * f + 2]!];
        }
        faces.push(f);
        kinds.push(type);
        images.push(J);
        apertures.push(next);
        visit();
        faces.pop();
        kinds.pop();
        images.pop();
        apertures.pop();
      }
    }
  };
  visit();
  for (const out of outs) out.sort((a, b) => a.length - b.length);
  return outs;
}

/**
 * Compare a tracer's specular paths (LoS, reflections, transmissions) for one link with the
 * reference: the reference paths it misses and the paths it has that the reference does not.
 * Two paths match when they have the same interaction types, the same points (1e-6 m) and the
 * same length (1e-6 m): where two surfaces coincide (a building's bottom on the floor) the
 * reference lists the crossing once per face and the tracer once, on either face.
 */
export function compareWithReference(
  found: readonly PathGeometry[],
  reference: readonly OraclePath[],
): { missed: string[]; extra: string[] } {
  const types = (sig: string) => (sig === 'los' ? '' : sig.replace(/\d+/g, ''));
  const mine = found
    .filter((p) => p.kind === 'los' || p.kind === 'specular')
    .map((p) => ({
      signature:
        p.interactions.map((i) => `${i.type === 'reflection' ? 'r' : 't'}${i.faceIndex}`).join('-') || 'los',
      length: p.length,
      points: p.interactions.map((i) => i.point),
    }));
  const same = (a: { signature: string; length: number; points: Vec3[] }, b: typeof a) =>
    types(a.signature) === types(b.signature) &&
    Math.abs(a.length - b.length) <= 1e-6 &&
    a.points.every(
      (p, k) => Math.hypot(p[0] - b.points[k]![0], p[1] - b.points[k]![1], p[2] - b.points[k]![2]) <= 1e-6,
    );
  const missed = reference.filter((r) => !mine.some((m) => same(r, m))).map((r) => r.signature);
  const extra = mine.filter((m) => !reference.some((r) => same(r, m))).map((m) => m.signature);
  return { missed, extra };
}
