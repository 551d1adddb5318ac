import { norm3 } from '../core/norm.ts';
import { cross, normalize, type Vec3 } from '../core/vec3.ts';
import { triangleNormalArea } from '../scene/faces.ts';
import type { Scene } from '../scene/types.ts';
import { allHits, type Bvh, closestHit } from './bvh.ts';

/**
 * Geometric questions the studio asks about a scene (placement of devices, see-through views),
 * answered with the tracer's BVH: which objects are solids, which solids contain a point, and
 * which side of each face looks out of the scene.
 */

/**
 * Whether each object closes a volume: every edge (vertices matched by position, to 10⁻⁹ of the
 * scene size) is shared by an even number of the object's triangles. A quad wall is open; a box
 * is closed.
 */
export function closedObjects(scene: Scene): boolean[] {
  const { min, max } = scene.bbox;
  const q = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2], 1e-9) * 1e-9;
  const p = scene.positions;
  const key = (t: number, v: number) =>
    `${Math.round(p[9 * t + 3 * v]! / q)},${Math.round(p[9 * t + 3 * v + 1]! / q)},${Math.round(p[9 * t + 3 * v + 2]! / q)}`;
  return scene.objects.map((o) => {
    const edges = new Map<string, number>();
    for (let t = o.triangleOffset; t < o.triangleOffset + o.triangleCount; t++) {
      const k = [key(t, 0), key(t, 1), key(t, 2)];
      for (const [a, b] of [
        [0, 1],
        [1, 2],
        [2, 0],
      ] as const) {
        const e = k[a]! < k[b]! ? `${k[a]}|${k[b]}` : `${k[b]}|${k[a]}`;
        edges.set(e, (edges.get(e) ?? 0) + 1);
      }
    }
    if (edges.size === 0) return false;
    for (const n of edges.values()) if (n % 2 !== 0) return false;
    return true;
  });
}

function objectBounds(scene: Scene, i: number): { min: Vec3; max: Vec3 } {
  const o = scene.objects[i]!;
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  const p = scene.positions;
  for (let j = 9 * o.triangleOffset; j < 9 * (o.triangleOffset + o.triangleCount); j += 3) {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, p[j + k]!);
      max[k] = Math.max(max[k]!, p[j + k]!);
    }
  }
  return { min, max };
}

/**
 * The objects a device cannot be inside: closed objects, except a closed object whose bounds
 * hold every other object (a room modelled as one closed mesh is the space, not a solid).
 */
export function solidObjects(scene: Scene): boolean[] {
  const closed = closedObjects(scene);
  const bounds = scene.objects.map((_, i) => objectBounds(scene, i));
  const { min, max } = scene.bbox;
  const tol = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]) * 1e-6;
  return closed.map((c, i) => {
    if (!c || scene.objects.length < 2) return c;
    const b = bounds[i]!;
    const enclosesAll = bounds.every(
      (o, j) =>
        j === i || [0, 1, 2].every((k) => o.min[k]! >= b.min[k]! - tol && o.max[k]! <= b.max[k]! + tol),
    );
    return !enclosesAll;
  });
}

/** Skew directions (no axis, no diagonal) so that parity rays do not run along edges or faces. */
const PARITY_DIRECTIONS: Vec3[] = [
  normalize([0.2113, 0.3371, 0.9175]),
  normalize([-0.7013, 0.1234, -0.696]),
  normalize([0.4321, -0.8765, 0.2109]),
];

/**
 * Indices of the solid objects (`solid[i]`) that contain point p: the parity of crossings of a
 * ray from p with the object's triangles is odd, by majority over three skew rays (crossings at
 * a shared edge, equal t, count once).
 */
export function solidsContaining(scene: Scene, bvh: Bvh, p: Vec3, solid: readonly boolean[]): number[] {
  const out: number[] = [];
  const size = norm3(
    scene.bbox.max[0] - scene.bbox.min[0],
    scene.bbox.max[1] - scene.bbox.min[1],
    scene.bbox.max[2] - scene.bbox.min[2],
  );
  const votes = new Map<number, number>();
  for (const d of PARITY_DIRECTIONS) {
    const hits = allHits(scene, bvh, p, d, (t) => solid[scene.triangleObject[t]!] === true, 0);
    const perObject = new Map<number, number[]>();
    for (const h of hits) {
      const o = scene.triangleObject[h.triangle]!;
      const list = perObject.get(o) ?? [];
      list.push(h.t);
      perObject.set(o, list);
    }
    for (const [o, ts] of perObject) {
      ts.sort((a, b) => a - b);
      let crossings = 0;
      let last = -Infinity;
      for (const t of ts) {
        if (t - last > 1e-9 * size) crossings++;
        last = t;
      }
      if (crossings % 2 === 1) votes.set(o, (votes.get(o) ?? 0) + 1);
    }
  }
  for (const [o, v] of votes) if (v >= 2) out.push(o);
  return out.sort((a, b) => a - b);
}

/**
 * Which side of each face of a solid lies inside the solid (+1: the side the face normal points
 * to, −1: the other, 0: the object is not a solid): a ray from the face slightly tilted off its
 * normal crosses the object's other triangles an odd number of times when the normal points in.
 * Independent of the mesh's winding.
 */
export function faceInsideSides(scene: Scene, bvh: Bvh, solid: readonly boolean[]): Int8Array {
  const out = new Int8Array(scene.faces.length);
  const tilt = PARITY_DIRECTIONS[0]!;
  for (const face of scene.faces) {
    if (!solid[face.objectIndex]) continue;
    const n = face.normal;
    // a direction in the normal's hemisphere off every axis: n plus a small skew
    const d = normalize([n[0] + 0.1 * tilt[0], n[1] + 0.1 * tilt[1], n[2] + 0.1 * tilt[2]]);
    const c = pointOnFace(scene, face.triangles);
    const hits = allHits(
      scene,
      bvh,
      c,
      d,
      (t) => scene.triangleObject[t] === face.objectIndex && scene.triangleFace[t] !== face.id,
      0,
    ).sort((a, b) => a.t - b.t);
    let crossings = 0;
    let last = -Infinity;
    for (const h of hits) {
      if (h.t - last > 1e-12) crossings++;
      last = h.t;
    }
    out[face.id] = crossings % 2 === 1 ? 1 : -1;
  }
  return out;
}

/** A point surely on a face: the centroid of its largest triangle. */
function pointOnFace(scene: Scene, triangles: readonly number[]): Vec3 {
  let best = triangles[0]!;
  let bestArea = -1;
  for (const t of triangles) {
    const a = triangleNormalArea(scene.positions, t).area;
    if (a > bestArea) {
      bestArea = a;
      best = t;
    }
  }
  const p = scene.positions;
  return [0, 1, 2].map((k) => (p[9 * best + k]! + p[9 * best + 3 + k]! + p[9 * best + 6 + k]!) / 3) as Vec3;
}

/** Directions over the unit hemisphere z > 0 (Fibonacci spiral, equal solid angle per direction). */
function hemisphere(n: number): Vec3[] {
  const golden = Math.PI * (3 - Math.sqrt(5));
  return Array.from({ length: n }, (_, i) => {
    const z = 1 - (i + 0.5) / n; // uniform in z on (0, 1): equal area on the hemisphere
    const r = Math.sqrt(1 - z * z);
    return [r * Math.cos(golden * i), r * Math.sin(golden * i), z] as Vec3;
  });
}

/** Fraction of an escape that decides a side (both below it: an interior surface). */
const EXTERIOR_MIN_FRACTION = 0.25;

/**
 * Which side of each face looks out of the scene: from a point on the face, rays over the
 * hemisphere of each side; the side from which clearly more rays leave the scene without a hit
 * is the exterior (+1: the side the face normal points to, −1: the other), 0 when neither side
 * does (a table inside a closed room) or both do alike. A closed room's ceiling looks out
 * upwards, its walls outwards, its floor downwards; the studio's X-ray shows such a shell from
 * inside and lets the pointer through it from outside.
 */
export function faceExteriorSides(scene: Scene, bvh: Bvh, directions = 16): Int8Array {
  const out = new Int8Array(scene.faces.length);
  const dirs = hemisphere(directions);
  const { min, max } = scene.bbox;
  const eps = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2], 1) * 1e-7;
  for (const face of scene.faces) {
    const c = pointOnFace(scene, face.triangles);
    const n = face.normal;
    const helper: Vec3 = Math.abs(n[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
    const u = normalize(cross(helper, n));
    const v = cross(n, u);
    const ignore = (t: number) => scene.triangleFace[t] === face.id;
    const escapes = (side: 1 | -1) => {
      let free = 0;
      const o: Vec3 = [c[0] + side * eps * n[0], c[1] + side * eps * n[1], c[2] + side * eps * n[2]];
      for (const d of dirs) {
        const w: Vec3 = [
          d[0] * u[0] + d[1] * v[0] + side * d[2] * n[0],
          d[0] * u[1] + d[1] * v[1] + side * d[2] * n[1],
          d[0] * u[2] + d[1] * v[2] + side * d[2] * n[2],
        ];
        if (!closestHit(scene, bvh, o, w, 0, Infinity, ignore)) free++;
      }
      return free / dirs.length;
    };
    const front = escapes(1);
    const back = escapes(-1);
    if (front >= EXTERIOR_MIN_FRACTION && front - back >= EXTERIOR_MIN_FRACTION) out[face.id] = 1;
    else if (back >= EXTERIOR_MIN_FRACTION && back - front >= EXTERIOR_MIN_FRACTION) out[face.id] = -1;
  }
  return out;
}
