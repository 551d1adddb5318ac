import type { Vec3 } from '../core/vec3.ts';
import { type AntennaSpec, rotationMatrix } from '../field/antenna.ts';

/**
 * Uniform linear and planar antenna arrays (docs/physics.md §16). The array lies in the y–z plane
 * of its own frame, the frame of its element pattern: broadside is local +x (the tr38901
 * boresight), `ny` elements along y, `nz` along z, `spacing` wavelengths apart, centred on the
 * device position. The element pattern's orientation R = Rz(α)·Ry(β)·Rx(γ) (field/antenna.ts)
 * turns the whole array: elements and pattern rotate together. A ULA is ny × 1.
 */
export interface ArraySpec {
  ny: number;
  nz: number;
  /** element spacing in wavelengths */
  spacing: number;
  /** the element: pattern, polarisation and the orientation of the whole array */
  element: AntennaSpec;
}

/** Most elements of one array: 64×64 keeps a 64-beam sweep of a link within milliseconds. */
export const MAX_ARRAY_ELEMENTS = 4096;

export const elementCount = (a: Pick<ArraySpec, 'ny' | 'nz'>): number => a.ny * a.nz;

/** A problem with an array's numbers, or undefined. */
export function arrayProblem(a: Pick<ArraySpec, 'ny' | 'nz' | 'spacing'>): string | undefined {
  if (!Number.isInteger(a.ny) || !Number.isInteger(a.nz) || a.ny < 1 || a.nz < 1)
    return `array size must be whole numbers of elements ≥ 1, got ${a.ny}×${a.nz}`;
  if (a.ny * a.nz > MAX_ARRAY_ELEMENTS)
    return `array of ${a.ny}×${a.nz} = ${a.ny * a.nz} elements is above the limit of ${MAX_ARRAY_ELEMENTS}`;
  if (!(Number.isFinite(a.spacing) && a.spacing > 0 && a.spacing <= 10))
    return `element spacing must be within (0, 10] wavelengths, got ${a.spacing}`;
  return undefined;
}

/**
 * Element positions in wavelengths in the array frame, element n = iz·ny + iy at
 * ((iy − (ny − 1)/2)·s, (iz − (nz − 1)/2)·s) in (y, z); x = 0.
 */
export function elementPositions(a: ArraySpec): { y: Float64Array; z: Float64Array } {
  const n = elementCount(a);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let iz = 0; iz < a.nz; iz++)
    for (let iy = 0; iy < a.ny; iy++) {
      y[iz * a.ny + iy] = (iy - (a.ny - 1) / 2) * a.spacing;
      z[iz * a.ny + iy] = (iz - (a.nz - 1) / 2) * a.spacing;
    }
  return { y, z };
}

/** The world → array-frame rotation Rᵀ of an antenna's orientation, row-major (identity without one). */
export function worldToLocal(element: AntennaSpec): number[] {
  const o = element.orientation ?? [0, 0, 0];
  const r = rotationMatrix(o[0], o[1], o[2]);
  return [r[0]!, r[3]!, r[6]!, r[1]!, r[4]!, r[7]!, r[2]!, r[5]!, r[8]!];
}

export const applyMatrix = (m: readonly number[], d: Readonly<Vec3>): Vec3 => [
  m[0]! * d[0] + m[1]! * d[1] + m[2]! * d[2],
  m[3]! * d[0] + m[4]! * d[1] + m[5]! * d[2],
  m[6]! * d[0] + m[7]! * d[1] + m[8]! * d[2],
];

/** Unit vector of an (azimuth, elevation) pair in degrees (docs/physics.md §1). */
export function directionOf(azimuthDeg: number, elevationDeg: number): Vec3 {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  return [Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)];
}

/**
 * Steering vector v(d) of the array for a world direction d, [re, im] per element into out:
 * vₙ(d) = e^{+j2π pₙ·d_local} (pₙ in wavelengths). It is the phase of element n's contribution
 * relative to the array centre for a wave leaving along d (its path is shorter by pₙ·d), and
 * equally for a wave arriving from d (aoa points back towards the source): one convention for
 * Tx and Rx, so a link is reciprocal (§16).
 */
export function steeringVector(
  positions: { y: Float64Array; z: Float64Array },
  toLocal: readonly number[],
  d: Readonly<Vec3>,
  out: Float64Array,
): void {
  const local = applyMatrix(toLocal, d);
  const n = positions.y.length;
  for (let k = 0; k < n; k++) {
    const ph = 2 * Math.PI * (positions.y[k]! * local[1] + positions.z[k]! * local[2]);
    out[2 * k] = Math.cos(ph);
    out[2 * k + 1] = Math.sin(ph);
  }
}

/**
 * Weights of a beam steered at a world direction: wₙ = e^{−j2π pₙ·d_local}/√N, the conjugate of
 * the steering vector, so that the array factor Σ wₙ vₙ(d) peaks at √N (power gain N) along d.
 */
export function steeredWeights(a: ArraySpec, d: Readonly<Vec3>): Float64Array {
  const n = elementCount(a);
  const v = new Float64Array(2 * n);
  steeringVector(elementPositions(a), worldToLocal(a.element), d, v);
  const s = 1 / Math.sqrt(n);
  for (let k = 0; k < n; k++) {
    v[2 * k]! *= s;
    v[2 * k + 1] = -v[2 * k + 1]! * s;
  }
  return v;
}

/**
 * Array factor AF(d) = Σ wₙ·vₙ(d) of weights w ([re, im] per element) in world direction d.
 * Weights multiply each element's signal at the Tx and each element's output at the Rx (no
 * conjugation at either end); |AF|² is the array gain over one element.
 */
export function arrayFactor(
  a: ArraySpec,
  weights: Float64Array,
  d: Readonly<Vec3>,
): { re: number; im: number } {
  const n = elementCount(a);
  const v = new Float64Array(2 * n);
  steeringVector(elementPositions(a), worldToLocal(a.element), d, v);
  return dotWeights(weights, v, n);
}

/** Σ wₙ·vₙ over n elements of interleaved [re, im] arrays. */
export function dotWeights(
  w: Float64Array,
  v: Float64Array,
  n: number,
  offset = 0,
): { re: number; im: number } {
  let re = 0;
  let im = 0;
  for (let k = 0; k < n; k++) {
    const wr = w[offset + 2 * k]!;
    const wi = w[offset + 2 * k + 1]!;
    const vr = v[2 * k]!;
    const vi = v[2 * k + 1]!;
    re += wr * vr - wi * vi;
    im += wr * vi + wi * vr;
  }
  return { re, im };
}
