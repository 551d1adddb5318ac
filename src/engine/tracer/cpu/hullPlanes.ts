import { type Bvh, buildBvh } from '../bvh.ts';
import type { TracerGeometry } from './tracerGeometry.ts';

/**
 * Planes that bound the scene: a room's floor, walls and ceiling, a city's ground. Every vertex
 * of the scene lies on their inner side, so nearly every segment between two points of the scene
 * stays strictly inside and cannot meet them — yet their large triangles sit in the bounding
 * boxes of the whole BVH, and on the demo room a visibility test visited ~22 BVH nodes and ~10
 * triangles, most of them walls. The visibility tests (rayCast.ts segmentOccluded, wedges.ts
 * pointOnSurface) therefore test these planes first, by the side of the segment's two ends,
 * and traverse a BVH of the other triangles only.
 *
 * The result is the same as testing every triangle (whichever planes are chosen): a segment whose
 * ends are both more than `margin` on one side of a plane cannot meet a triangle lying within
 * `margin` of it. `margin` holds the group's triangles' largest distance from the plane (twice,
 * plus slack: a point test accepts points up to tol off a face's own plane) and 4·tol.
 */
export interface HullPlanes {
  count: number;
  /** 4 per plane: unit normal (out of the scene), offset: n·x − offset ≤ 0 for the whole scene */
  plane: Float64Array;
  /** per plane: points farther than this from the plane cannot be on or reach its triangles */
  margin: Float64Array;
  /** per plane: its coplanar group (tracerGeometry faceGroup) */
  group: Int32Array;
  /** the plane's triangles are triangles[triStart[k] .. triStart[k+1]) */
  triStart: Int32Array;
  triangles: Int32Array;
  /** BVH over every triangle not on a hull plane */
  inner: Bvh;
}

/** Largest planes examined (by area): scenes are bounded by a few large ones. */
const CANDIDATES = 32;
/** At most this many hull planes are tested one by one before the BVH. */
const MAX_PLANES = 8;

/** The scene's hull planes (computed once per tracer geometry, on first use). */
export function hullPlanesOf(g: TracerGeometry): HullPlanes {
  g.hull ??= buildHullPlanes(g);
  return g.hull;
}

function buildHullPlanes(g: TracerGeometry): HullPlanes {
  const { scene, faceGroup, facePlane } = g;
  const pos = scene.positions;
  const nTri = scene.triangleFace.length;
  const tol = Math.max(1e-7, 1e-9 * g.size);
  // a vertex up to this far outside still counts as inside (exactness does not depend on it)
  const slack = 1e-6 * g.size;
  const area = new Map<number, number>();
  for (let f = 0; f < g.faceCount; f++) {
    const k = faceGroup[f]!;
    area.set(k, (area.get(k) ?? 0) + scene.faces[f]!.area);
  }
  const candidates = [...area.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, CANDIDATES)
    .map(([k]) => k);
  const planes: { group: number; n: [number, number, number]; d: number }[] = [];
  for (const k of candidates) {
    if (planes.length >= MAX_PLANES) break;
    const nx = facePlane[4 * k]!,
      ny = facePlane[4 * k + 1]!,
      nz = facePlane[4 * k + 2]!,
      d = facePlane[4 * k + 3]!;
    let below = false;
    let above = false;
    for (let i = 0; i < pos.length && !(below && above); i += 3) {
      const s = nx * pos[i]! + ny * pos[i + 1]! + nz * pos[i + 2]! - d;
      if (s > slack) above = true;
      else if (s < -slack) below = true;
    }
    if (!above) planes.push({ group: k, n: [nx, ny, nz], d });
    else if (!below) planes.push({ group: k, n: [-nx, -ny, -nz], d: -d });
  }
  const count = planes.length;
  const plane = new Float64Array(4 * count);
  const margin = new Float64Array(count);
  const group = new Int32Array(count);
  const slot = new Map<number, number>();
  planes.forEach((p, i) => {
    plane.set([...p.n, p.d], 4 * i);
    group[i] = p.group;
    slot.set(p.group, i);
  });
  const triStart = new Int32Array(count + 1);
  const perPlane: number[][] = planes.map(() => []);
  const inner: number[] = [];
  for (let t = 0; t < nTri; t++) {
    const i = slot.get(faceGroup[scene.triangleFace[t]!]!);
    if (i === undefined) {
      inner.push(t);
      continue;
    }
    perPlane[i]!.push(t);
    for (let v = 0; v < 9; v += 3) {
      const o = 9 * t + v;
      const s = Math.abs(
        plane[4 * i]! * pos[o]! +
          plane[4 * i + 1]! * pos[o + 1]! +
          plane[4 * i + 2]! * pos[o + 2]! -
          plane[4 * i + 3]!,
      );
      if (s > margin[i]!) margin[i] = s;
    }
  }
  for (let i = 0; i < count; i++) margin[i] = 2 * margin[i]! + 4 * tol;
  const triangles = new Int32Array(nTri - inner.length);
  let n = 0;
  for (let i = 0; i < count; i++) {
    triStart[i] = n;
    for (const t of perPlane[i]!) triangles[n++] = t;
  }
  triStart[count] = n;
  return { count, plane, margin, group, triStart, triangles, inner: buildBvh(scene, 0, inner) };
}
