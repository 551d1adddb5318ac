import { cross, dot, length, type Vec3 } from '../core/vec3.ts';
import type { Face } from './types.ts';

export const NORMAL_TOLERANCE = 1e-6; // 1 − |cos| between triangle normals of one face
export const OFFSET_TOLERANCE = 1e-6; // metres, relative to the scene size below

/** Unit normal (by winding) and area of triangle t in a 9-per-triangle position array. */
export function triangleNormalArea(positions: Float64Array, t: number): { normal: Vec3; area: number } {
  const o = 9 * t;
  const e1: Vec3 = [
    positions[o + 3]! - positions[o]!,
    positions[o + 4]! - positions[o + 1]!,
    positions[o + 5]! - positions[o + 2]!,
  ];
  const e2: Vec3 = [
    positions[o + 6]! - positions[o]!,
    positions[o + 7]! - positions[o + 1]!,
    positions[o + 8]! - positions[o + 2]!,
  ];
  const c = cross(e1, e2);
  const l = length(c);
  return { normal: l > 0 ? [c[0] / l, c[1] / l, c[2] / l] : [0, 0, 0], area: l / 2 };
}

/**
 * Group the triangles [start, start+count) of one object into faces: triangles that are
 * coplanar and share an edge (directly or through a chain) form one face.
 */
export function groupFaces(
  positions: Float64Array,
  start: number,
  count: number,
  objectIndex: number,
  firstFaceId: number,
  sceneSize: number,
): Face[] {
  const normals: Vec3[] = [];
  const offsets: number[] = [];
  const areas: number[] = [];
  for (let i = 0; i < count; i++) {
    const { normal, area } = triangleNormalArea(positions, start + i);
    normals.push(normal);
    areas.push(area);
    const o = 9 * (start + i);
    offsets.push(dot(normal, [positions[o]!, positions[o + 1]!, positions[o + 2]!]));
  }
  // Edges keyed by quantised vertex positions so that meshes without shared indices still connect.
  const q = (x: number) => Math.round(x * 1e6);
  const vkey = (t: number, k: number) => {
    const o = 9 * (start + t) + 3 * k;
    return `${q(positions[o]!)},${q(positions[o + 1]!)},${q(positions[o + 2]!)}`;
  };
  const edgeOwners = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const keys = [vkey(i, 0), vkey(i, 1), vkey(i, 2)];
    for (let k = 0; k < 3; k++) {
      const a = keys[k]!;
      const b = keys[(k + 1) % 3]!;
      const e = a < b ? `${a}|${b}` : `${b}|${a}`;
      const list = edgeOwners.get(e);
      if (list) list.push(i);
      else edgeOwners.set(e, [i]);
    }
  }
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const tol = OFFSET_TOLERANCE * Math.max(1, sceneSize);
  const unite = (a: number, b: number) => {
    const c = dot(normals[a]!, normals[b]!);
    if (Math.abs(c) < 1 - NORMAL_TOLERANCE) return;
    if (Math.abs(offsets[a]! - Math.sign(c) * offsets[b]!) > tol) return;
    parent[find(a)] = find(b);
  };
  for (const [key, owners] of edgeOwners) {
    if (owners.length < 2) continue;
    if (owners.length === 2) {
      unite(owners[0]!, owners[1]!);
      continue;
    }
    // Many triangles on one edge (a fan of walls, or a hostile file with 10⁵ of them): comparing
    // every pair is quadratic. Their planes all contain the edge, so a plane is fixed by its
    // angle about the edge; sorted by that angle (mod π), coplanar triangles are neighbours.
    const first = owners[0]!;
    const o = 9 * (start + first);
    let d: Vec3 = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      const a = vkey(first, k);
      const b = vkey(first, (k + 1) % 3);
      if ((a < b ? `${a}|${b}` : `${b}|${a}`) !== key) continue;
      const m = (k + 1) % 3;
      d = [
        positions[o + 3 * m]! - positions[o + 3 * k]!,
        positions[o + 3 * m + 1]! - positions[o + 3 * k + 1]!,
        positions[o + 3 * m + 2]! - positions[o + 3 * k + 2]!,
      ];
    }
    const u = normals[first]!;
    const w = cross(d, u);
    const angle = (t: number) => {
      const a = Math.atan2(dot(normals[t]!, w), dot(normals[t]!, u));
      return a < 0 ? a + Math.PI : a >= Math.PI ? a - Math.PI : a;
    };
    const sorted = owners.map((t) => ({ t, a: angle(t) })).sort((x, y) => x.a - y.a);
    for (let k = 0; k + 1 < sorted.length; k++) unite(sorted[k]!.t, sorted[k + 1]!.t);
    unite(sorted.at(-1)!.t, sorted[0]!.t); // angles near π meet those near 0
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  const faces: Face[] = [];
  for (const members of groups.values()) {
    const ref = members[0]!;
    faces.push({
      id: firstFaceId + faces.length,
      objectIndex,
      normal: normals[ref]!,
      offset: offsets[ref]!,
      triangles: members.map((m) => start + m),
      area: members.reduce((s, m) => s + areas[m]!, 0),
    });
  }
  return faces;
}
