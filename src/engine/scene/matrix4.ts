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
