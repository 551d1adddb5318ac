import { norm2 } from '../core/norm.ts';
import type { Vec3 } from '../core/vec3.ts';
import { NORMAL_TOLERANCE, OFFSET_TOLERANCE } from './faces.ts';
import type { Face, SceneObject } from './types.ts';

/**
 * Coincident surfaces: faces of different objects that lie in one plane and overlap with a
 * positive area (a floor and the bottoms of the buildings standing on it, a window pane drawn on
 * its wall, two rooms' walls back to back). The tracer finds the same interaction on both, and
 * which of the two it keeps would otherwise be an accident of rounding.
 *
 * The rule (docs/physics.md §4): where coincident faces overlap, every surface interaction takes
 * the material of the **smaller** face — the detail lying on the larger surface (the building on
 * the ground, the window on the wall) — and between faces of equal area, the one of the object
 * listed first. Each face records the coincident faces that take precedence over it
 * (`Face.overlappedBy`, by rule order); the field resolves the material at the interaction point
 * (`surfaceOwner`). The scene warns once per pair of objects (the first MAX_LISTED_PAIRS, then a
 * count).
 *
 * Bounded work on any input: triangles are grouped by plane (sort on the plane offset), paired
 * only within a plane by a sweep over their extent, and the triangle pairs compared are capped
 * (MAX_PAIR_TESTS, well under a second); beyond it the check stops and says so.
 */
export const MAX_PAIR_TESTS = 20_000_000;
/** Pairs of objects named one by one in the warnings; the rest are counted in one more line. */
export const MAX_LISTED_PAIRS = 10;

interface Plane {
  /** index of the normal's largest component: the coordinate dropped to project onto the plane */
  axis: number;
  /** normal and offset with that component made positive */
  n: Vec3;
  d: number;
}

/** The normal's largest component (allocation-free: faceContains runs per interaction of a map). */
function dropAxis(n: Vec3): number {
  const x = Math.abs(n[0]);
  const y = Math.abs(n[1]);
  const z = Math.abs(n[2]);
  return x >= y && x >= z ? 0 : y >= z ? 1 : 2;
}

function canonicalPlane(f: Face): Plane {
  const axis = dropAxis(f.normal);
  const s = f.normal[axis]! < 0 ? -1 : 1;
  return { axis, n: [s * f.normal[0], s * f.normal[1], s * f.normal[2]], d: s * f.offset };
}

/** Projected 2-D corners (u, v) of triangle t, dropping coordinate `axis`. */
function project(positions: Float64Array, t: number, axis: number, out: Float64Array): void {
  const u = axis === 0 ? 1 : 0;
  const v = axis === 2 ? 1 : 2;
  for (let k = 0; k < 3; k++) {
    out[2 * k] = positions[9 * t + 3 * k + u]!;
    out[2 * k + 1] = positions[9 * t + 3 * k + v]!;
  }
}

/** Whether two 2-D triangles overlap by more than `eps` across every separating axis. */
export function trianglesOverlap(a: Float64Array, b: Float64Array, eps: number): boolean {
  for (const tri of [a, b]) {
    for (let k = 0; k < 3; k++) {
      const x0 = tri[2 * k]!;
      const y0 = tri[2 * k + 1]!;
      const x1 = tri[(2 * k + 2) % 6]!;
      const y1 = tri[(2 * k + 3) % 6]!;
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (!(len > 0)) return false;
      const nx = (y0 - y1) / len;
      const ny = (x1 - x0) / len;
      let minA = Infinity;
      let maxA = -Infinity;
      let minB = Infinity;
      let maxB = -Infinity;
      for (let j = 0; j < 3; j++) {
        const pa = nx * a[2 * j]! + ny * a[2 * j + 1]!;
        const pb = nx * b[2 * j]! + ny * b[2 * j + 1]!;
        minA = Math.min(minA, pa);
        maxA = Math.max(maxA, pa);
        minB = Math.min(minB, pb);
        maxB = Math.max(maxB, pb);
      }
      if (maxA <= minB + eps || maxB <= minA + eps) return false;
    }
  }
  return true;
}

export interface CoincidentFaces {
  /** pairs of faces (lower index first) of different objects that are coplanar and overlap */
  pairs: [number, number][];
  /** false when the check stopped at MAX_PAIR_TESTS */
  complete: boolean;
}

/** Coplanar, overlapping faces of different objects (see the file comment). */
export function findCoincidentFaces(
  positions: Float64Array,
  triangleFace: Uint32Array,
  faces: readonly Face[],
  sceneSize: number,
  maxPairTests = MAX_PAIR_TESTS,
): CoincidentFaces {
  const tol = OFFSET_TOLERANCE * Math.max(1, sceneSize);
  const planes = faces.map(canonicalPlane);
  const nTri = triangleFace.length;
  const order = Array.from({ length: nTri }, (_, t) => t);
  const planeOf = (t: number) => planes[triangleFace[t]!]!;
  order.sort((a, b) => planeOf(a).axis - planeOf(b).axis || planeOf(a).d - planeOf(b).d);
  const found = new Set<string>();
  const pairs: [number, number][] = [];
  let tests = 0;
  const A = new Float64Array(6);
  const B = new Float64Array(6);
  let start = 0;
  while (start < nTri) {
    // a run of triangles whose planes have the same dominant axis and offsets within tol
    let end = start + 1;
    while (
      end < nTri &&
      planeOf(order[end]!).axis === planeOf(order[start]!).axis &&
      planeOf(order[end]!).d - planeOf(order[end - 1]!).d <= tol
    )
      end++;
    const run = order.slice(start, end);
    start = end;
    if (run.length < 2) continue;
    const objects = new Set(run.map((t) => faces[triangleFace[t]!]!.objectIndex));
    if (objects.size < 2) continue;
    const axis = planeOf(run[0]!).axis;
    // 2-D extents, then a sweep along u
    const box = new Float64Array(4 * run.length);
    run.forEach((t, i) => {
      project(positions, t, axis, A);
      box[4 * i] = Math.min(A[0]!, A[2]!, A[4]!);
      box[4 * i + 1] = Math.max(A[0]!, A[2]!, A[4]!);
      box[4 * i + 2] = Math.min(A[1]!, A[3]!, A[5]!);
      box[4 * i + 3] = Math.max(A[1]!, A[3]!, A[5]!);
    });
    const byU = run.map((_, i) => i).sort((i, j) => box[4 * i]! - box[4 * j]!);
    const active: number[] = [];
    for (const i of byU) {
      const t = run[i]!;
      const fi = triangleFace[t]!;
      const pi = planes[fi]!;
      for (let k = active.length - 1; k >= 0; k--) {
        if (++tests > maxPairTests) return { pairs, complete: false };
        const j = active[k]!;
        if (box[4 * j + 1]! < box[4 * i]! - tol) {
          active.splice(k, 1);
          continue;
        }
        const fj = triangleFace[run[j]!]!;
        if (fj === fi || faces[fj]!.objectIndex === faces[fi]!.objectIndex) continue;
        if (box[4 * j + 3]! < box[4 * i + 2]! - tol || box[4 * i + 3]! < box[4 * j + 2]! - tol) continue;
        const key = fi < fj ? `${fi}|${fj}` : `${fj}|${fi}`;
        if (found.has(key)) continue;
        const pj = planes[fj]!;
        if (pi.n[0] * pj.n[0] + pi.n[1] * pj.n[1] + pi.n[2] * pj.n[2] < 1 - NORMAL_TOLERANCE) continue;
        if (Math.abs(pi.d - pj.d) > tol) continue;
        project(positions, t, axis, A);
        project(positions, run[j]!, axis, B);
        if (!trianglesOverlap(A, B, tol)) continue;
        found.add(key);
        pairs.push(fi < fj ? [fi, fj] : [fj, fi]);
      }
      active.push(i);
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { pairs, complete: true };
}

/** Whether face g takes precedence over face f where they coincide: smaller area, then object order. */
const precedes = (faces: readonly Face[], g: number, f: number): boolean => {
  const a = faces[g]!;
  const b = faces[f]!;
  return (
    a.area < b.area ||
    (a.area === b.area && (a.objectIndex < b.objectIndex || (a.objectIndex === b.objectIndex && g < f)))
  );
};

/**
 * Record on each face the coincident faces that take precedence over it (Face.overlappedBy, in
 * rule order) and return one warning per pair of objects.
 */
export function applyCoincidenceRule(
  faces: Face[],
  objects: readonly SceneObject[],
  found: CoincidentFaces,
): string[] {
  const byObjects = new Map<string, { a: number; b: number; winners: Set<number> }>();
  for (const [f, g] of found.pairs) {
    const [winner, loser] = precedes(faces, g, f) ? [g, f] : [f, g];
    const loserFace = faces[loser]!;
    if (loserFace.overlappedBy) loserFace.overlappedBy.push(winner);
    else loserFace.overlappedBy = [winner];
    const oa = Math.min(faces[f]!.objectIndex, faces[g]!.objectIndex);
    const ob = Math.max(faces[f]!.objectIndex, faces[g]!.objectIndex);
    const key = `${oa}|${ob}`;
    const entry = byObjects.get(key) ?? { a: oa, b: ob, winners: new Set<number>() };
    entry.winners.add(faces[winner]!.objectIndex);
    byObjects.set(key, entry);
  }
  for (const f of faces)
    f.overlappedBy?.sort((g, h) => (precedes(faces, g, h) ? -1 : precedes(faces, h, g) ? 1 : 0));
  const warnings = [...byObjects.values()].map(({ a, b, winners }) => {
    const who =
      winners.size === 1
        ? `the material of '${objects[[...winners][0]!]!.name}' (the smaller surface)`
        : 'the material of the smaller surface';
    return `objects '${objects[a]!.name}' and '${objects[b]!.name}' have coincident surfaces (coplanar and overlapping): where they overlap, reflections, transmissions and scattering take ${who} (docs/physics.md §4)`;
  });
  if (warnings.length > MAX_LISTED_PAIRS) {
    // a city whose buildings all stand in the ground's plane would otherwise warn once per building
    const more = warnings.length - MAX_LISTED_PAIRS;
    warnings.length = MAX_LISTED_PAIRS;
    warnings.push(
      `and ${more} more pairs of objects have coincident surfaces, resolved by the same rule (the smaller surface's material, docs/physics.md §4)`,
    );
  }
  if (!found.complete)
    warnings.push(
      `the check for coincident surfaces stopped after ${MAX_PAIR_TESTS} triangle pairs; more coincident surfaces may exist`,
    );
  return warnings;
}

/**
 * The face whose material a surface interaction at `point` on face `faceIndex` takes: the first
 * face of `overlappedBy` that contains the point (within tol), else the face itself.
 */
export function surfaceOwner(
  positions: Float64Array,
  faces: readonly Face[],
  faceIndex: number,
  point: Vec3,
  tol: number,
): number {
  const over = faces[faceIndex]?.overlappedBy;
  if (!over) return faceIndex;
  for (const g of over) if (faceContains(positions, faces[g]!, point, tol)) return g;
  return faceIndex;
}

/** Whether a point of the face's plane lies in one of its triangles (within tol, in the plane). */
export function faceContains(positions: Float64Array, face: Face, p: Vec3, tol: number): boolean {
  const axis = dropAxis(face.normal);
  const u = axis === 0 ? 1 : 0;
  const v = axis === 2 ? 1 : 2;
  const px = p[u]!;
  const py = p[v]!;
  for (const t of face.triangles) {
    const o = 9 * t;
    let inside = true;
    // same side of every edge (either winding), with tol as a distance
    let sign = 0;
    for (let k = 0; k < 3 && inside; k++) {
      const x0 = positions[o + 3 * k + u]!;
      const y0 = positions[o + 3 * k + v]!;
      const x1 = positions[o + 3 * ((k + 1) % 3) + u]!;
      const y1 = positions[o + 3 * ((k + 1) % 3) + v]!;
      const len = norm2(x1 - x0, y1 - y0);
      if (!(len > 0)) {
        inside = false;
        break;
      }
      const side = ((x1 - x0) * (py - y0) - (y1 - y0) * (px - x0)) / len;
      if (sign === 0) {
        // orientation of the triangle in the projection
        const x2 = positions[o + 3 * ((k + 2) % 3) + u]!;
        const y2 = positions[o + 3 * ((k + 2) % 3) + v]!;
        sign = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0) >= 0 ? 1 : -1;
      }
      if (sign * side < -tol) inside = false;
    }
    if (inside) return true;
  }
  return false;
}
