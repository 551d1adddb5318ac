import type { Vec3 } from '../core/vec3.ts';

/** Simple meshes built in code (demo twin, synthetic test scenes). */
export interface SimpleMesh {
  vertices: number[];
  indices: number[];
}

/** A planar quad a-b-c-d as two triangles; the normal follows a→b→c (counter-clockwise). */
export function quadMesh(a: Vec3, b: Vec3, c: Vec3, d: Vec3): SimpleMesh {
  return { vertices: [...a, ...b, ...c, ...d], indices: [0, 1, 2, 0, 2, 3] };
}

/** An axis-aligned box min–max as 12 triangles with outward normals. */
export function boxMesh(min: Vec3, max: Vec3): SimpleMesh {
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const v: Vec3[] = [
    [x0, y0, z0],
    [x1, y0, z0],
    [x1, y1, z0],
    [x0, y1, z0],
    [x0, y0, z1],
    [x1, y0, z1],
    [x1, y1, z1],
    [x0, y1, z1],
  ];
  // each side as a quad, counter-clockwise seen from outside
  const sides = [
    [0, 3, 2, 1], // −z
    [4, 5, 6, 7], // +z
    [0, 1, 5, 4], // −y
    [2, 3, 7, 6], // +y
    [1, 2, 6, 5], // +x
    [3, 0, 4, 7], // −x
  ];
  return { vertices: v.flat(), indices: sides.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!]) };
}
