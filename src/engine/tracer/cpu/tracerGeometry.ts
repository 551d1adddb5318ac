import type { Scene } from '../../scene/types.ts';
import { type Bvh, buildBvh } from '../bvh.ts';

/**
 * Flat, allocation-free view of a scene for the CPU path search (and the layout the WGSL port
 * mirrors): face planes, per-triangle inside tests, and the BVH.
 *
 * Point-in-triangle uses three in-plane "edge planes" per triangle: for edge (a → b) of a
 * triangle with unit normal n, m = normalize(n × (b − a)) points into the triangle, and a point p
 * on the plane is inside when m·p − m·a ≥ −tol for the three edges. Distances are in metres,
 * so the tolerance is a length, independent of the triangle's size.
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
  faceObject: Int32Array;
  /** scene size (bbox diagonal), for relative tolerances */
  size: number;
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
      const l = Math.hypot(mx, my, mz);
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
  const size = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) || 1;
  return {
    scene,
    bvh,
    faceCount,
    facePlane,
    faceTriStart,
    faceTriangles,
    faceBounds,
    triEdges,
    faceObject,
    size,
  };
}

/** Signed distance of (x, y, z) to the plane of face f (positive on the normal's side). */
export function planeDistance(g: TracerGeometry, f: number, x: number, y: number, z: number): number {
  const o = 4 * f;
  return g.facePlane[o]! * x + g.facePlane[o + 1]! * y + g.facePlane[o + 2]! * z - g.facePlane[o + 3]!;
}

/**
 * Whether the point (assumed on the plane of face f) lies inside one of the face's triangles,
 * with `tol` metres of slack on the edges (so a point on a shared edge belongs to both faces).
 */
export function insideFace(
  g: TracerGeometry,
  f: number,
  x: number,
  y: number,
  z: number,
  tol: number,
): boolean {
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
    const o = 12 * g.faceTriangles[i]!;
    if (te[o]! * x + te[o + 1]! * y + te[o + 2]! * z - te[o + 3]! < -tol) continue;
    if (te[o + 4]! * x + te[o + 5]! * y + te[o + 6]! * z - te[o + 7]! < -tol) continue;
    if (te[o + 8]! * x + te[o + 9]! * y + te[o + 10]! * z - te[o + 11]! < -tol) continue;
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
