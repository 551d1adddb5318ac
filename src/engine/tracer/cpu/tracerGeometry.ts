import { norm3 } from '../../core/norm.ts';
import type { Scene } from '../../scene/types.ts';
import { type Bvh, buildBvh } from '../bvh.ts';
import type { HullPlanes } from './hullPlanes.ts';

/**
 * Flat, allocation-free view of a scene for the CPU path search (and the layout the WGSL port
 * mirrors): face planes, per-triangle inside tests, and the BVH.
 *
 * Point-in-triangle uses three in-plane "edge planes" per triangle: for edge (a → b) of a
 * triangle with unit normal n, m = normalize(n × (b − a)) points into the triangle, and a point p
 * on the plane is inside when m·p − m·a ≥ −tol for the three edges. Distances are in metres,
 * so the tolerance is a length, independent of the triangle's size.
 *
 * Watertight rule (docs/physics.md §9): an edge of a triangle is *open* when no other triangle
 * of the same face, or of a face in the same plane, shares it — the face's boundary: a free edge,
 * an edge shared with a face at an angle (a wedge: the corner of a closed solid), or a junction.
 * A specular point must lie at least tol inside open edges (slack tol elsewhere), so a point on a
 * wedge edge or a vertex is nobody's reflection point: diffraction covers it, and a reflection can
 * never leave through the corner of a closed solid.
 */
export interface TracerGeometry {
  scene: Scene;
  bvh: Bvh;
  faceCount: number;
  /** 4 per face: unit normal xyz (winding), plane offset (n·x = offset on the face) */
  facePlane: Float64Array;
  /** triangles of face f are faceTriangles[faceTriStart[f] .. faceTriStart[f+1]) */
  faceTriStart: Int32Array;
  faceTriangles: Int32Array;
  /** 6 per face: axis-aligned bounds (min xyz, max xyz) for a quick reject */
  faceBounds: Float64Array;
  /** 12 per triangle: 3 × (inward in-plane edge normal xyz, offset) */
  triEdges: Float64Array;
  /** per triangle, bit e set when edge e (vertex e → e + 1) is open (see above) */
  triOpenEdges: Uint8Array;
  /** per face: the lowest index of the faces in exactly the same plane (either orientation) */
  faceGroup: Int32Array;
  faceObject: Int32Array;
  /** scene size (bbox diagonal), for relative tolerances */
  size: number;
  /** the planes bounding the scene and a BVH of the rest (hullPlanes.ts; built on first use) */
  hull: HullPlanes | undefined;
}

const cache = new WeakMap<Scene, WeakMap<Bvh, TracerGeometry>>();
const defaultBvh = new WeakMap<Scene, Bvh>();

/** Precompute (once per scene and BVH) what the path search needs; builds a BVH when none is given. */
export function tracerGeometry(scene: Scene, bvh?: Bvh): TracerGeometry {
  let b = bvh ?? defaultBvh.get(scene);
  if (!b) {
    b = buildBvh(scene);
    defaultBvh.set(scene, b);
  }
  let perScene = cache.get(scene);
  if (!perScene) {
    perScene = new WeakMap();
    cache.set(scene, perScene);
  }
  const hit = perScene.get(b);
  if (hit) return hit;
  const g = buildTracerGeometry(scene, b);
  perScene.set(b, g);
  return g;
}

function buildTracerGeometry(scene: Scene, bvh: Bvh): TracerGeometry {
  const p = scene.positions;
  const faceCount = scene.faces.length;
  const nTri = scene.triangleObject.length;
  const facePlane = new Float64Array(4 * faceCount);
  const faceTriStart = new Int32Array(faceCount + 1);
  const faceBounds = new Float64Array(6 * faceCount);
  const faceObject = new Int32Array(faceCount);
  let total = 0;
  for (let f = 0; f < faceCount; f++) total += scene.faces[f]!.triangles.length;
  const faceTriangles = new Int32Array(total);
  let k = 0;
  for (let f = 0; f < faceCount; f++) {
    const face = scene.faces[f]!;
    facePlane[4 * f] = face.normal[0];
    facePlane[4 * f + 1] = face.normal[1];
    facePlane[4 * f + 2] = face.normal[2];
    facePlane[4 * f + 3] = face.offset;
    faceObject[f] = face.objectIndex;
    faceTriStart[f] = k;
    const bb = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
    for (const t of face.triangles) {
      faceTriangles[k++] = t;
      for (let v = 0; v < 3; v++) {
        for (let a = 0; a < 3; a++) {
          const x = p[9 * t + 3 * v + a]!;
          if (x < bb[a]!) bb[a] = x;
          if (x > bb[3 + a]!) bb[3 + a] = x;
        }
      }
    }
    faceBounds.set(bb, 6 * f);
  }
  faceTriStart[faceCount] = k;

  const triEdges = new Float64Array(12 * nTri);
  for (let t = 0; t < nTri; t++) {
    const o = 9 * t;
    const e1x = p[o + 3]! - p[o]!,
      e1y = p[o + 4]! - p[o + 1]!,
      e1z = p[o + 5]! - p[o + 2]!;
    const e2x = p[o + 6]! - p[o]!,
      e2y = p[o + 7]! - p[o + 1]!,
      e2z = p[o + 8]! - p[o + 2]!;
    // triangle normal by winding (the edge normals below are inward whatever the winding)
    const nx = e1y * e2z - e1z * e2y,
      ny = e1z * e2x - e1x * e2z,
      nz = e1x * e2y - e1y * e2x;
    for (let e = 0; e < 3; e++) {
      const a = o + 3 * e;
      const b = o + 3 * ((e + 1) % 3);
      const dx = p[b]! - p[a]!,
        dy = p[b + 1]! - p[a + 1]!,
        dz = p[b + 2]! - p[a + 2]!;
      let mx = ny * dz - nz * dy,
        my = nz * dx - nx * dz,
        mz = nx * dy - ny * dx;
      const l = norm3(mx, my, mz);
      if (l > 0) {
        mx /= l;
        my /= l;
        mz /= l;
      }
      triEdges[12 * t + 4 * e] = mx;
      triEdges[12 * t + 4 * e + 1] = my;
      triEdges[12 * t + 4 * e + 2] = mz;
      triEdges[12 * t + 4 * e + 3] = mx * p[a]! + my * p[a + 1]! + mz * p[a + 2]!;
    }
  }
  const { min, max } = scene.bbox;
  const size = norm3(max[0] - min[0], max[1] - min[1], max[2] - min[2]) || 1;
  const faceGroup = coplanarGroups(scene);
  const triOpenEdges = new Uint8Array(nTri);
  const triFace = scene.triangleFace;
  for (const list of meshEdges(scene).values()) {
    for (let i = 0; i < list.length; i += 2) {
      const t = list[i]!;
      const f = triFace[t]!;
      let shared = false;
      for (let j = 0; j < list.length && !shared; j += 2) {
        if (j === i) continue;
        const o = triFace[list[j]!]!;
        shared = o === f || faceGroup[o] === faceGroup[f];
      }
      if (!shared) triOpenEdges[t]! |= 1 << list[i + 1]!;
    }
  }
  return {
    scene,
    bvh,
    faceCount,
    facePlane,
    faceTriStart,
    faceTriangles,
    faceBounds,
    triEdges,
    triOpenEdges,
    faceGroup,
    faceObject,
    size,
    hull: undefined,
  };
}

/**
 * Tolerances relative to the scene size: `tol` for plane-side, coplanarity and in-face tests,
 * `occlusionEps` for the clearance of visibility tests at an antenna (also the smallest accepted
 * hit distance of shot rays, so a ray does not re-hit the point it leaves).
 */
export function tracerTolerances(g: { size: number }): { tol: number; occlusionEps: number } {
  return { tol: Math.max(1e-7, 1e-9 * g.size), occlusionEps: Math.max(1e-6, 1e-8 * g.size) };
}

/**
 * Mesh edges by position: key (the two end points quantised to 1 µm, ordered) → [triangle,
 * local edge index, …] of the triangles having that edge, so that meshes without shared vertex
 * indices (triangle soups, separate objects) still connect.
 */
export function meshEdges(scene: Scene): Map<string, number[]> {
  const p = scene.positions;
  const nTri = scene.triangleFace.length;
  const q = (x: number) => Math.round(x * 1e6);
  const vkey = (t: number, v: number) =>
    `${q(p[9 * t + 3 * v]!)},${q(p[9 * t + 3 * v + 1]!)},${q(p[9 * t + 3 * v + 2]!)}`;
  const edges = new Map<string, number[]>();
  for (let t = 0; t < nTri; t++) {
    const keys = [vkey(t, 0), vkey(t, 1), vkey(t, 2)];
    for (let k = 0; k < 3; k++) {
      const a = keys[k]!;
      const b = keys[(k + 1) % 3]!;
      if (a === b) continue;
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      const list = edges.get(key);
      if (list) list.push(t, k);
      else edges.set(key, [t, k]);
    }
  }
  return edges;
}

/**
 * Per face, the lowest index of the faces in the same plane: normals (anti)parallel to 1e-12
 * and offsets equal to 1e-12 of the scene size (e.g. the two sides of a ground plate). A segment
 * leaving a face's plane meets such a face only at its end point, so visibility tests ignore
 * them there (rayCast.ts, bvhTraversal.wgsl).
 */
export function coplanarGroups(scene: Scene): Int32Array {
  const n = scene.faces.length;
  const group = new Int32Array(n);
  const { min, max } = scene.bbox;
  const size = Math.max(1, norm3(max[0] - min[0], max[1] - min[1], max[2] - min[2]));
  // bucket by |offset| rounded, then compare exactly within a bucket and its neighbours
  const key = (f: number) => Math.round(Math.abs(scene.faces[f]!.offset) / (1e-9 * size));
  const buckets = new Map<number, number[]>();
  for (let f = 0; f < n; f++) {
    group[f] = f;
    const face = scene.faces[f]!;
    const k = key(f);
    for (const kk of [k - 1, k, k + 1]) {
      for (const o of buckets.get(kk) ?? []) {
        if (group[f] !== f) break;
        const other = scene.faces[o]!;
        const c =
          face.normal[0] * other.normal[0] +
          face.normal[1] * other.normal[1] +
          face.normal[2] * other.normal[2];
        if (Math.abs(c) >= 1 - 1e-12 && Math.abs(face.offset - Math.sign(c) * other.offset) <= 1e-12 * size)
          group[f] = group[o]!;
      }
    }
    const list = buckets.get(k);
    if (list) list.push(f);
    else buckets.set(k, [f]);
  }
  return group;
}

/** Signed distance of (x, y, z) to the plane of face f (positive on the normal's side). */
export function planeDistance(g: TracerGeometry, f: number, x: number, y: number, z: number): number {
  const o = 4 * f;
  return g.facePlane[o]! * x + g.facePlane[o + 1]! * y + g.facePlane[o + 2]! * z - g.facePlane[o + 3]!;
}

/**
 * Whether the point (assumed on the plane of face f) lies inside one of the face's triangles:
 * at least `tol` metres inside the face's open edges (see above), with `tol` of slack on the
 * edges it shares with triangles of its own plane (so a point on such a seam belongs to both).
 */
export function insideFace(
  g: TracerGeometry,
  f: number,
  x: number,
  y: number,
  z: number,
  tol: number,
): boolean {
  // small enough to be inlined where it is called: the numbers reach the test through a typed
  // array, not as arguments V8 would box on the heap (rayCast.ts, RAY)
  const q = INSIDE;
  q[0] = x;
  q[1] = y;
  q[2] = z;
  q[3] = tol;
  return insideFaceAt(g, f);
}

const INSIDE = new Float64Array(4);

/** insideFace for the point and tolerance in INSIDE. */
function insideFaceAt(g: TracerGeometry, f: number): boolean {
  const x = INSIDE[0]!,
    y = INSIDE[1]!,
    z = INSIDE[2]!,
    tol = INSIDE[3]!;
  const bb = 6 * f;
  const fb = g.faceBounds;
  if (
    x < fb[bb]! - tol ||
    y < fb[bb + 1]! - tol ||
    z < fb[bb + 2]! - tol ||
    x > fb[bb + 3]! + tol ||
    y > fb[bb + 4]! + tol ||
    z > fb[bb + 5]! + tol
  ) {
    return false;
  }
  const te = g.triEdges;
  for (let i = g.faceTriStart[f]!; i < g.faceTriStart[f + 1]!; i++) {
    const t = g.faceTriangles[i]!;
    const o = 12 * t;
    const open = g.triOpenEdges[t]!;
    if (te[o]! * x + te[o + 1]! * y + te[o + 2]! * z - te[o + 3]! < (open & 1 ? tol : -tol)) continue;
    if (te[o + 4]! * x + te[o + 5]! * y + te[o + 6]! * z - te[o + 7]! < (open & 2 ? tol : -tol)) continue;
    if (te[o + 8]! * x + te[o + 9]! * y + te[o + 10]! * z - te[o + 11]! < (open & 4 ? tol : -tol)) continue;
    return true;
  }
  return false;
}

/** Whether faces a and b lie in one plane (same or opposite normal, same offset). */
export function coplanarFaces(g: TracerGeometry, a: number, b: number, tol: number): boolean {
  const pa = 4 * a;
  const pb = 4 * b;
  const c =
    g.facePlane[pa]! * g.facePlane[pb]! +
    g.facePlane[pa + 1]! * g.facePlane[pb + 1]! +
    g.facePlane[pa + 2]! * g.facePlane[pb + 2]!;
  if (Math.abs(c) < 1 - 1e-9) return false;
  return Math.abs(g.facePlane[pa + 3]! - Math.sign(c) * g.facePlane[pb + 3]!) <= tol;
}
