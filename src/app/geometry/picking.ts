import type { Vec3 } from '../../engine/core/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { type Bvh, closestHit } from '../../engine/tracer/index.ts';

/** A section plane: everything whose coordinate `axis` (0 x, 1 y, 2 z) is above `at` is cut away. */
export interface SectionCut {
  axis: 0 | 1 | 2;
  at: number;
}

/** What the viewport shows, which decides what a click can hit. */
export interface PickView {
  /** objects hidden by the person */
  hidden: ReadonlySet<number>;
  cut: SectionCut | null;
  xray: boolean;
  /** per face, the sides X-ray sees through (see xraySides); null until computed */
  seeThrough: Uint8Array | null;
}

export interface Pick {
  point: Vec3;
  /** distance along the (unit) ray */
  t: number;
  triangle: number;
  objectIndex: number;
  faceIndex: number;
  /** unit normal of the hit face on the side the ray came from */
  facingNormal: Vec3;
}

/** Bits of a face's X-ray sides: the side its normal points to, and the other. */
export const FRONT = 1;
export const BACK = 2;

/**
 * The sides of each face X-ray sees through: the scene's shell from outside (faceExteriorSides:
 * a roof from above, a wall from outside) and any face from inside its solid (the underside of a
 * ceiling slab seen through its roof), so that what remains is the inside of the scene.
 */
export function xraySides(exterior: Int8Array, inside: Int8Array): Uint8Array {
  const out = new Uint8Array(exterior.length);
  for (let f = 0; f < out.length; f++) {
    const e = exterior[f]!;
    const i = inside[f]!;
    out[f] = (e === 1 || i === 1 ? FRONT : 0) | (e === -1 || i === -1 ? BACK : 0);
  }
  return out;
}

/**
 * The part (tMin, tMax) of the ray o + t·d that lies on the kept side of the cut (coordinate ≤ at),
 * or null when none does.
 */
export function keptRange(o: Vec3, d: Vec3, cut: SectionCut | null): [number, number] | null {
  if (!cut) return [0, Infinity];
  const c = o[cut.axis];
  const v = d[cut.axis];
  if (c <= cut.at) return v > 0 ? [0, (cut.at - c) / v] : [0, Infinity];
  return v < 0 ? [(cut.at - c) / v, Infinity] : null;
}

/**
 * The first surface the person sees along the ray from the camera: triangles are two-sided (a
 * surface seen from inside a room is hit like one seen from outside), hidden objects and what
 * the section cut removes are passed through, and with X-ray the scene's shell seen from outside
 * (a roof, the outer side of a wall: faces whose exterior side the ray comes from) is too, so
 * a click lands on what X-ray shows inside.
 */
export function pickScene(scene: Scene, bvh: Bvh, o: Vec3, d: Vec3, view: PickView): Pick | undefined {
  const range = keptRange(o, d, view.cut);
  if (!range) return undefined;
  const seeThrough = view.xray ? view.seeThrough : null;
  const ignore = (tri: number) => {
    if (view.hidden.size > 0 && view.hidden.has(scene.triangleObject[tri]!)) return true;
    if (!seeThrough) return false;
    const face = scene.faces[scene.triangleFace[tri]!]!;
    const sides = seeThrough[face.id]!;
    if (sides === 0) return false;
    const n = face.normal;
    // the ray comes from the side the normal points to when it runs against the normal
    const from = n[0] * d[0] + n[1] * d[1] + n[2] * d[2] < 0 ? FRONT : BACK;
    return (sides & from) !== 0;
  };
  const hit = closestHit(scene, bvh, o, d, Math.max(range[0], 1e-9), range[1], ignore);
  if (!hit) return undefined;
  const face = scene.faces[scene.triangleFace[hit.triangle]!]!;
  const n = face.normal;
  const s = n[0] * d[0] + n[1] * d[1] + n[2] * d[2] > 0 ? -1 : 1;
  return {
    point: [o[0] + hit.t * d[0], o[1] + hit.t * d[1], o[2] + hit.t * d[2]],
    t: hit.t,
    triangle: hit.triangle,
    objectIndex: scene.triangleObject[hit.triangle]!,
    faceIndex: face.id,
    facingNormal: [s * n[0], s * n[1], s * n[2]],
  };
}
