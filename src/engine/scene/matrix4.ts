/** Column-major 4×4 matrices (three.js layout) for scene transforms. */
import { cross, normalize, sub, type Vec3 } from '../core/vec3.ts';

export const IDENTITY: number[] = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

export function matMul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let col = 0; col < 4; col++) {
    for (let row = 0; row < 4; row++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[4 * k + row]! * b[4 * col + k]!;
      out[4 * col + row] = s;
    }
  }
  return out;
}

export const translationMatrix = ([x, y, z]: Vec3): number[] => [
  1,
  0,
  0,
  0,
  0,
  1,
  0,
  0,
  0,
  0,
  1,
  0,
  x,
  y,
  z,
  1,
];
export const scaleMatrix = ([x, y, z]: Vec3): number[] => [x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1];

/** Rotation by `angle` radians about `axis` (right-hand rule). */
export function rotationMatrix(axis: Vec3, angle: number): number[] {
  const [x, y, z] = normalize(axis);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    t * x * x + c,
    t * x * y + s * z,
    t * x * z - s * y,
    0,
    t * x * y - s * z,
    t * y * y + c,
    t * y * z + s * x,
    0,
    t * x * z + s * y,
    t * y * z - s * x,
    t * z * z + c,
    0,
    0,
    0,
    0,
    1,
  ];
}

/** Mitsuba's lookat: camera at origin looking at target (−z towards target is not used: Mitsuba looks along +z). */
export function lookAtMatrix(origin: Vec3, target: Vec3, up: Vec3): number[] {
  const dir = normalize(sub(target, origin));
  const left = normalize(cross(up, dir));
  const newUp = cross(dir, left);
  return [
    left[0],
    left[1],
    left[2],
    0,
    newUp[0],
    newUp[1],
    newUp[2],
    0,
    dir[0],
    dir[1],
    dir[2],
    0,
    origin[0],
    origin[1],
    origin[2],
    1,
  ];
}

/**
 * Why a column-major 4×4 matrix is not a usable object-to-world transform, or undefined:
 * it must be 16 finite numbers, affine (last row 0 0 0 1) and invertible (a singular matrix
 * flattens the object onto a plane, line or point, and its normals become NaN).
 */
export function transformProblem(m: readonly number[]): string | undefined {
  if (m.length !== 16) return `has ${m.length} numbers, expected 16`;
  const bad = m.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) return `entry ${bad} is ${m[bad]}, expected a finite number`;
  if (m[3] !== 0 || m[7] !== 0 || m[11] !== 0 || m[15] !== 1)
    return `last row is ${m[3]} ${m[7]} ${m[11]} ${m[15]}, expected 0 0 0 1 (an affine transform)`;
  const c0: Vec3 = [m[0]!, m[1]!, m[2]!];
  const c1: Vec3 = [m[4]!, m[5]!, m[6]!];
  const c2: Vec3 = [m[8]!, m[9]!, m[10]!];
  const det =
    c0[0] * (c1[1] * c2[2] - c1[2] * c2[1]) -
    c0[1] * (c1[0] * c2[2] - c1[2] * c2[0]) +
    c0[2] * (c1[0] * c2[1] - c1[1] * c2[0]);
  const scale = Math.hypot(...c0) * Math.hypot(...c1) * Math.hypot(...c2);
  if (!(Math.abs(det) > 1e-12 * scale) || scale === 0)
    return `is singular (determinant ${det.toPrecision(3)}): it flattens the object`;
  return undefined;
}
