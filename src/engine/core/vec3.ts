import { norm3 } from './norm.ts';

/** Small 3-vector helpers on tuples; the tracer uses them on its cold paths. */
export type Vec3 = [number, number, number];

export const vec3 = (x: number, y: number, z: number): Vec3 => [x, y, z];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const length = (a: Vec3): number => norm3(a[0], a[1], a[2]);
export const distance = (a: Vec3, b: Vec3): number => norm3(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
export function normalize(a: Vec3): Vec3 {
  const l = length(a);
  return l > 0 ? [a[0] / l, a[1] / l, a[2] / l] : [0, 0, 0];
}
export const negate = (a: Vec3): Vec3 => [-a[0], -a[1], -a[2]];
export const lerp = (a: Vec3, b: Vec3, t: number): Vec3 => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
/** Mirror point p in the plane through q with unit normal n (image method). */
export function mirrorPoint(p: Vec3, q: Vec3, n: Vec3): Vec3 {
  const d = dot(sub(p, q), n);
  return [p[0] - 2 * d * n[0], p[1] - 2 * d * n[1], p[2] - 2 * d * n[2]];
}
/** Reflect direction v about unit normal n. */
export function reflectDirection(v: Vec3, n: Vec3): Vec3 {
  const d = 2 * dot(v, n);
  return [v[0] - d * n[0], v[1] - d * n[1], v[2] - d * n[2]];
}
export function isFiniteVec3(a: readonly number[]): boolean {
  return a.length === 3 && Number.isFinite(a[0]) && Number.isFinite(a[1]) && Number.isFinite(a[2]);
}
