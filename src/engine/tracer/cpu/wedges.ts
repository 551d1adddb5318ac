import { norm3 } from '../../core/norm.ts';
import type { Vec3 } from '../../core/vec3.ts';
import type { Scene } from '../../scene/types.ts';
import type { Interaction } from '../path.ts';
import { hullPlanesOf } from './hullPlanes.ts';
import {
  coplanarFaces,
  meshEdges,
  planeDistance,
  type TracerGeometry,
  tracerGeometry,
} from './tracerGeometry.ts';

/**
 * Diffracting edges of a scene.
 *
 * - A wedge is a mesh edge shared by exactly two faces that are not coplanar (faces A < B).
 * - A free edge belongs to one face only (a plate, a screen, a wall standing alone): a
 *   half-plane, exterior angle 2π (n = 2), `faceB = −1`. Free edges that touch another surface
 *   (a screen standing on a floor, a plate pierced by a wall) are junctions, not edges in air,
 *   and are dropped.
 * - Edges shared by three or more faces (non-manifold) are dropped.
 *
 * Around the edge, angles φ are measured about the unit edge direction e (start → end, right
 * hand) from uA, the unit vector perpendicular to e, in face A, pointing into face A. Face B
 * lies at φ = φB, so the two half-planes split space into region 1 (0 < φ < φB) and region 2
 * (φB < φ < 2π). Both ends of a diffracted path must lie in the same region, whose opening is
 * the exterior angle nπ of the UTD. Regions with nπ ≤ π (concave corners seen from inside, e.g. a
 * room's wall–floor edge) are not diffracting: there the reflections already describe the field
 * (exactly so for a 90° perfectly conducting corner).
 */
export interface Wedge {
  start: Vec3;
  end: Vec3;
  /** unit edge direction start → end */
  e: Vec3;
  length: number;
  faceA: number;
  /** −1 for a free edge */
  faceB: number;
  /** unit vector ⊥ e in face A pointing into the face */
  uA: Vec3;
  /** unit vector ⊥ e in face B pointing into the face (uA for a free edge) */
  uB: Vec3;
  /** angle of face B about e from uA, in (0, 2π); 2π for a free edge */
  phiB: number;
}

const cache = new WeakMap<TracerGeometry, { freeEdges: Wedge[]; wedges: Wedge[] }>();

const sub3 = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot3 = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross3 = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

/** Angle of w about unit e measured from unit u (⊥ e), in [0, 2π). */
export function angleAbout(e: Vec3, u: Vec3, w: Vec3): number {
  const y = cross3(e, u);
  const a = Math.atan2(dot3(w, y), dot3(w, u));
  return a < 0 ? a + 2 * Math.PI : a;
}

/** Wedges (two faces) and free edges (one face) of the scene, in a deterministic order. */
export function sceneWedges(g: TracerGeometry): { wedges: Wedge[]; freeEdges: Wedge[] } {
  const hit = cache.get(g);
  if (hit) return hit;
  const p = g.scene.positions;
  const triFace = g.scene.triangleFace;
  // edge key → list of (triangle, local edge index)
  const edges = meshEdges(g.scene);
  const tol = Math.max(1e-7, 1e-9 * g.size);
  const wedges: Wedge[] = [];
  const freeEdges: Wedge[] = [];
  const vertex = (t: number, v: number): Vec3 => [
    p[9 * t + 3 * v]!,
    p[9 * t + 3 * v + 1]!,
    p[9 * t + 3 * v + 2]!,
  ];
  for (const list of edges.values()) {
    // distinct faces on this edge, with one triangle each
    const faceTri = new Map<number, [number, number]>();
    for (let i = 0; i < list.length; i += 2) {
      const t = list[i]!;
      const f = triFace[t]!;
      if (!faceTri.has(f)) faceTri.set(f, [t, list[i + 1]!]);
    }
    if (faceTri.size > 2) continue;
    const fs = [...faceTri.keys()].sort((a, b) => a - b);
    if (fs.length === 1 && list.length > 2) continue; // interior edge of a face (its diagonal)
    const [tA, kA] = faceTri.get(fs[0]!)!;
    let start = vertex(tA, kA);
    let end = vertex(tA, (kA + 1) % 3);
    // canonical orientation: lexicographically smaller endpoint first (deterministic)
    if (
      start[0] > end[0] ||
      (start[0] === end[0] && (start[1] > end[1] || (start[1] === end[1] && start[2] > end[2])))
    ) {
      [start, end] = [end, start];
    }
    const d = sub3(end, start);
    const length = norm3(d[0], d[1], d[2]);
    if (length <= tol) continue;
    const e: Vec3 = [d[0] / length, d[1] / length, d[2] / length];
    const inward = (t: number, k: number): Vec3 => {
      const w = sub3(vertex(t, (k + 2) % 3), start);
      const a = dot3(w, e);
      const u: Vec3 = [w[0] - a * e[0], w[1] - a * e[1], w[2] - a * e[2]];
      const l = norm3(u[0], u[1], u[2]);
      return [u[0] / l, u[1] / l, u[2] / l];
    };
    const uA = inward(tA, kA);
    if (fs.length === 2) {
      if (coplanarFaces(g, fs[0]!, fs[1]!, tol)) continue;
      const [tB, kB] = faceTri.get(fs[1]!)!;
      const uB = inward(tB, kB);
      const phiB = angleAbout(e, uA, uB);
      if (phiB < 1e-9 || phiB > 2 * Math.PI - 1e-9) continue; // folded onto each other
      wedges.push({ start, end, e, length, faceA: fs[0]!, faceB: fs[1]!, uA, uB, phiB });
    } else {
      const w: Wedge = { start, end, e, length, faceA: fs[0]!, faceB: -1, uA, uB: uA, phiB: 2 * Math.PI };
      if (!touchesOtherSurface(g, w, tol * 10)) freeEdges.push(w);
    }
  }
  const order = (a: Wedge, b: Wedge) =>
    a.faceA - b.faceA ||
    a.faceB - b.faceB ||
    a.start[0] - b.start[0] ||
    a.start[1] - b.start[1] ||
    a.start[2] - b.start[2] ||
    a.end[0] - b.end[0] ||
    a.end[1] - b.end[1] ||
    a.end[2] - b.end[2];
  wedges.sort(order);
  freeEdges.sort(order);
  const result = { wedges, freeEdges };
  cache.set(g, result);
  return result;
}

/** Whether points along a free edge lie on a surface other than the edge's own face. */
function touchesOtherSurface(g: TracerGeometry, w: Wedge, tol: number): boolean {
  for (const s of [0.25, 0.5, 0.75]) {
    const x = w.start[0] + s * w.length * w.e[0];
    const y = w.start[1] + s * w.length * w.e[1];
    const z = w.start[2] + s * w.length * w.e[2];
    if (pointOnSurface(g, x, y, z, tol, w.faceA)) return true;
  }
  return false;
}

/** Traversal stack of pointOnSurface (no allocation per query; it does not recurse). */
const surfaceStack = new Int32Array(512);

/**
 * Whether (x, y, z) lies on a triangle (within tol) of a face other than skipFace (BVH query);
 * with `samePlane` false, faces in skipFace's plane (faceGroup) do not count either.
 */
export function pointOnSurface(
  g: TracerGeometry,
  x: number,
  y: number,
  z: number,
  tol: number,
  skipFace: number,
  samePlane = true,
): boolean {
  // small enough to be inlined where it is called: the numbers reach the traversal through a
  // typed array, not as arguments V8 would box on the heap at every call (rayCast.ts, RAY)
  const q = POINT;
  q[0] = x;
  q[1] = y;
  q[2] = z;
  q[3] = tol;
  return pointOnSurfaceAt(g, skipFace, samePlane);
}

const POINT = new Float64Array(4);

/**
 * pointOnSurface's test, for the point and tolerance in POINT: the scene's hull planes first
 * (hullPlanes.ts: a point farther than a plane's margin from it is on none of its triangles),
 * then a traversal of the BVH of the other triangles.
 */
function pointOnSurfaceAt(g: TracerGeometry, skipFace: number, samePlane: boolean): boolean {
  const x = POINT[0]!,
    y = POINT[1]!,
    z = POINT[2]!,
    tol = POINT[3]!;
  const skipGroup = samePlane || skipFace < 0 ? -1 : g.faceGroup[skipFace]!;
  const hull = hullPlanesOf(g);
  const hp = hull.plane;
  for (let k = 0; k < hull.count; k++) {
    if (hull.group[k] === skipGroup) continue;
    const o = 4 * k;
    const s = hp[o]! * x + hp[o + 1]! * y + hp[o + 2]! * z - hp[o + 3]!;
    if (Math.abs(s) > hull.margin[k]!) continue;
    for (let i = hull.triStart[k]!; i < hull.triStart[k + 1]!; i++) {
      const t = hull.triangles[i]!;
      if (g.scene.triangleFace[t] !== skipFace && onTriangle(g, t, x, y, z, tol)) return true;
    }
  }
  const { bounds, nodes, triangleOrder } = hull.inner;
  const stack = surfaceStack;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp]!;
    const o = 6 * node;
    if (
      x < bounds[o]! - tol ||
      y < bounds[o + 1]! - tol ||
      z < bounds[o + 2]! - tol ||
      x > bounds[o + 3]! + tol ||
      y > bounds[o + 4]! + tol ||
      z > bounds[o + 5]! + tol
    ) {
      continue;
    }
    const a = nodes[2 * node]!;
    const b = nodes[2 * node + 1]!;
    if (b > 0) {
      if (sp + 2 > stack.length) throw new Error('BVH deeper than the traversal stack');
      stack[sp++] = a;
      stack[sp++] = b;
      continue;
    }
    for (let i = a; i < a - b; i++) {
      const t = triangleOrder[i]!;
      const f = g.scene.triangleFace[t]!;
      if (f === skipFace || g.faceGroup[f] === skipGroup) continue;
      if (onTriangle(g, t, x, y, z, tol)) return true;
    }
  }
  return false;
}

/** Whether the point is within tol of the plane of triangle t's face and inside t (tol slack). */
function onTriangle(g: TracerGeometry, t: number, x: number, y: number, z: number, tol: number): boolean {
  if (Math.abs(planeDistance(g, g.scene.triangleFace[t]!, x, y, z)) > tol) return false;
  const te = g.triEdges;
  const e = 12 * t;
  if (te[e]! * x + te[e + 1]! * y + te[e + 2]! * z - te[e + 3]! < -tol) return false;
  if (te[e + 4]! * x + te[e + 5]! * y + te[e + 6]! * z - te[e + 7]! < -tol) return false;
  return te[e + 8]! * x + te[e + 9]! * y + te[e + 10]! * z - te[e + 11]! >= -tol;
}

/**
 * Local UTD frame of a diffraction interaction as seen from the side of `from` (the
 * transmitter, or the previous point): the exterior region is 0 < φ < nπ with φ measured about
 * `e` from `t0`, the unit vector in the 0-face (perpendicular to the edge, pointing into that
 * face). `zeroFace`/`nFace` are the faces bounding the region at φ = 0 and φ = nπ (nFace = −1 for
 * a free edge, where both bounds are the same half-plane). Use `wedgeAngle(frame, p)` for φ and φ'.
 * Returns undefined when `from` is not in a diffracting region of that edge.
 */
export interface WedgeFrame {
  e: Vec3;
  t0: Vec3;
  /** unit normal of the 0-face pointing into the exterior region (= e × t0) */
  n0: Vec3;
  n: number;
  zeroFace: number;
  nFace: number;
  /** a point of the edge (the start) */
  origin: Vec3;
}

export function wedgeFrame(scene: Scene, interaction: Interaction, from: Vec3): WedgeFrame | undefined {
  if (interaction.type !== 'diffraction' || !interaction.edge) return undefined;
  const g = tracerGeometry(scene);
  const w = findWedge(g, interaction);
  if (!w) return undefined;
  return frameOf(w, from);
}

export function frameOf(w: Wedge, from: Vec3): WedgeFrame | undefined {
  const phi = angleAbout(w.e, w.uA, sub3(from, w.start));
  if (phi <= 0 || phi >= 2 * Math.PI) return undefined;
  if (phi < w.phiB) {
    if (w.phiB <= Math.PI) return undefined;
    return {
      e: w.e,
      t0: w.uA,
      n0: cross3(w.e, w.uA),
      n: w.phiB / Math.PI,
      zeroFace: w.faceA,
      nFace: w.faceB,
      origin: w.start,
    };
  }
  if (phi === w.phiB) return undefined;
  const open = 2 * Math.PI - w.phiB;
  if (open <= Math.PI) return undefined;
  return {
    e: w.e,
    t0: w.uB,
    n0: cross3(w.e, w.uB),
    n: open / Math.PI,
    zeroFace: w.faceB,
    nFace: w.faceA,
    origin: w.start,
  };
}

/** φ of point p about the edge in the frame (0 on the 0-face, nπ on the n-face). */
export function wedgeAngle(frame: WedgeFrame, p: Vec3): number {
  return angleAbout(frame.e, frame.t0, sub3(p, frame.origin));
}

function findWedge(g: TracerGeometry, it: Interaction): Wedge | undefined {
  const { wedges, freeEdges } = sceneWedges(g);
  const other = it.edge!.otherFaceIndex;
  const list = other < 0 ? freeEdges : wedges;
  const s = it.edge!.start;
  const lo = other < 0 ? it.faceIndex : Math.min(it.faceIndex, other);
  const hi = other < 0 ? -1 : Math.max(it.faceIndex, other);
  for (const w of list) {
    if (w.faceA !== lo || w.faceB !== hi) continue;
    if (norm3(w.start[0] - s[0], w.start[1] - s[1], w.start[2] - s[2]) < 1e-6) return w;
  }
  return undefined;
}
