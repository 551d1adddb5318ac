import type { Complex } from '../core/complex.ts';
import type { Vec3 } from '../core/vec3.ts';

/**
 * The one path representation shared by the CPU reference and the WebGPU tracer.
 * Geometry (what the tracer finds) is separate from the field (what the materials give),
 * so a calibration step re-evaluates fields on fixed geometry.
 */
export type InteractionType = 'reflection' | 'transmission' | 'scattering' | 'diffraction';

export interface Interaction {
  type: InteractionType;
  objectIndex: number;
  faceIndex: number;
  /** world point of the interaction (on the edge for diffraction) */
  point: Vec3;
  /**
   * diffraction only: the wedge edge endpoints and the second face of the wedge. The CPU tracer
   * sets `faceIndex` to the face bounding, at φ = 0, the region around the edge that holds both
   * ends of the path and `otherFaceIndex` to the other face, the same in both directions of travel;
   * `otherFaceIndex` is −1 for a free edge (an edge of one face only: a half-plane, exterior angle
   * 2π, n = 2). Which of the two is the UTD 0-face depends on the direction of travel and is
   * decided by the field (the face the source illuminates, docs/physics.md §8).
   */
  edge?: { start: Vec3; end: Vec3; otherFaceIndex: number };
  /** scattering only: surface area (m²) this scattering point stands for (ray-tube footprint) */
  area?: number;
}

export type PathKind = 'los' | 'specular' | 'scattered' | 'diffracted';

/** Geometry of one propagation path from a transmitter to a receiver. */
export interface PathGeometry {
  kind: PathKind;
  interactions: Interaction[];
  /** unfolded length in metres; delay = length / c */
  length: number;
}

/** A path with its field: complex coefficient a (propagation phase excluded, as Sionna). */
export interface Path extends PathGeometry {
  a: Complex;
  delay: number;
  /** departure/arrival directions in degrees (azimuth from +x towards +y, elevation above horizontal) */
  aod: { azimuthDeg: number; elevationDeg: number };
  aoa: { azimuthDeg: number; elevationDeg: number };
}

/** Kind of a path from its interactions: any diffraction → diffracted, any scattering → scattered. */
export function pathKind(interactions: readonly Interaction[]): PathKind {
  if (interactions.length === 0) return 'los';
  if (interactions.some((i) => i.type === 'diffraction')) return 'diffracted';
  if (interactions.some((i) => i.type === 'scattering')) return 'scattered';
  return 'specular';
}

/** Signature of a path by its interaction sequence (type + face), used to compare tracers. */
export function pathSignature(p: PathGeometry): string {
  return p.interactions.map((i) => `${i.type[0]}${i.faceIndex}`).join('-') || 'los';
}
