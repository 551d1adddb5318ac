import { InputError, parseJsonText } from '../core/errors.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { AntennaSpec, Polarization } from '../field/antenna.ts';
import {
  type ArraySpec,
  applyMatrix,
  dotWeights,
  elementCount,
  elementPositions,
  steeredWeights,
  steeringVector,
  worldToLocal,
} from './array.ts';
import { type HornSectors, hornAmplitude, hornAzimuth, hornPeakGain } from './horns.ts';

/**
 * The beams one end of a link can use (docs/physics.md §16): an array with a codebook of weight
 * vectors (DFT, a sector sweep, a beam steered at a point, or a user file), or switched horn
 * sectors. Every beam has a label and, where it has one, the world direction it points to.
 */
export interface BeamInfo {
  label: string;
  /** unit world direction of the beam's main lobe (absent for a DFT beam outside visible space) */
  direction?: Vec3;
}

export interface ArrayBeams {
  kind: 'array';
  /** how the codebook was made: 'dft', 'sectors:8', 'steer:x,y,z', 'file:name.json' */
  codebook: string;
  array: ArraySpec;
  beams: BeamInfo[];
  /** beam b's weights at [b·2N + 2n, b·2N + 2n + 1] (re, im); each ‖w‖ = 1 */
  weights: Float64Array;
}

export interface HornBeams {
  kind: 'horns';
  codebook: string;
  horns: HornSectors;
  polarization: Polarization;
  beams: BeamInfo[];
}

export type BeamSet = ArrayBeams | HornBeams;

/** Sector sweeps cover ±60° about broadside: a planar array loses cos θ of its gain beyond (scan loss). */
export const SECTOR_SPAN_DEG = 120;

/** The antenna the channel evaluates the paths with: the array's element, or an isotropic one for horns. */
export function channelAntenna(set: BeamSet): AntennaSpec {
  return set.kind === 'array' ? set.array.element : { pattern: 'iso', polarization: set.polarization };
}

const localToWorld = (a: ArraySpec, local: Vec3): Vec3 => {
  const m = worldToLocal(a.element);
  // the transpose of world→local
  return applyMatrix([m[0]!, m[3]!, m[6]!, m[1]!, m[4]!, m[7]!, m[2]!, m[5]!, m[8]!], local);
};

function arrayBeams(a: ArraySpec, codebook: string, dirs: { label: string; local: Vec3 }[]): ArrayBeams {
  const n = elementCount(a);
  const weights = new Float64Array(dirs.length * 2 * n);
  const beams = dirs.map(({ label, local }, b) => {
    const world = localToWorld(a, local);
    weights.set(steeredWeights(a, world), b * 2 * n);
    return { label, direction: world };
  });
  return { kind: 'array', codebook, array: a, beams, weights };
}

/**
 * DFT codebook: ny·nz beams, beam (ky, kz) with weights e^{−j2π(pᵧ·uᵧ + p_z·u_z)}/√N at the
 * direction cosines uᵧ·s = ky/ny, u_z·s = kz/nz (each wrapped into [−½, ½)): the columns of the
 * ny- and nz-point DFT matrices, up to a per-beam phase (positions are centred). Beams outside
 * visible space (uᵧ² + u_z² > 1, for spacing > λ/2) are kept, without a direction.
 */
export function dftCodebook(a: ArraySpec): ArrayBeams {
  const n = elementCount(a);
  const pos = elementPositions(a);
  const weights = new Float64Array(n * 2 * n);
  const beams: BeamInfo[] = [];
  const cosine = (k: number, m: number) => {
    let f = k / m;
    if (f >= 0.5) f -= 1;
    return f / a.spacing;
  };
  for (let kz = 0; kz < a.nz; kz++)
    for (let ky = 0; ky < a.ny; ky++) {
      const b = kz * a.ny + ky;
      const uy = cosine(ky, a.ny);
      const uz = cosine(kz, a.nz);
      const s = 1 / Math.sqrt(n);
      for (let k = 0; k < n; k++) {
        const ph = -2 * Math.PI * (pos.y[k]! * uy + pos.z[k]! * uz);
        weights[b * 2 * n + 2 * k] = Math.cos(ph) * s;
        weights[b * 2 * n + 2 * k + 1] = Math.sin(ph) * s;
      }
      const ux2 = 1 - uy * uy - uz * uz;
      beams.push({
        label: a.nz > 1 ? `dft ${ky},${kz}` : `dft ${ky}`,
        direction: ux2 >= 0 ? localToWorld(a, [Math.sqrt(ux2), uy, uz]) : undefined,
      });
    }
  return { kind: 'array', codebook: 'dft', array: a, beams, weights };
}

/** K beams steered at azimuths spread evenly over ±60° about broadside in the array's horizontal plane. */
export function sectorCodebook(a: ArraySpec, k: number): ArrayBeams {
  if (!Number.isInteger(k) || k < 1 || k > 1024)
    throw new RangeError(`a sector sweep has 1–1024 sectors, got ${k}`);
  const dirs = Array.from({ length: k }, (_, i) => {
    const az = ((-SECTOR_SPAN_DEG / 2 + ((i + 0.5) * SECTOR_SPAN_DEG) / k) * Math.PI) / 180;
    return { label: `sector ${i}`, local: [Math.cos(az), Math.sin(az), 0] as Vec3 };
  });
  return arrayBeams(a, `sectors:${k}`, dirs);
}

/** One beam from the device at `from` steered at the point `to` (world coordinates). */
export function steeredCodebook(a: ArraySpec, from: Readonly<Vec3>, to: Readonly<Vec3>): ArrayBeams {
  const d: Vec3 = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const l = Math.hypot(d[0], d[1], d[2]);
  if (!(l > 0)) throw new RangeError('a steered beam needs a target point away from the device');
  const world: Vec3 = [d[0] / l, d[1] / l, d[2] / l];
  const n = elementCount(a);
  return {
    kind: 'array',
    codebook: `steer:${to.join(',')}`,
    array: a,
    beams: [{ label: `steer ${to.join(',')}`, direction: world }],
    weights: steeredWeights(a, world).slice(0, 2 * n),
  };
}

/** K switched horn sectors (horns.ts); beamwidth 360°/K unless given. */
export function hornCodebook(
  count: number,
  options: { beamwidthDeg?: number; azimuthDeg?: number; polarization?: Polarization } = {},
): HornBeams {
  if (!Number.isInteger(count) || count < 1 || count > 360)
    throw new RangeError(`horn sectors: 1–360 horns, got ${count}`);
  const horns: HornSectors = {
    count,
    beamwidthDeg: options.beamwidthDeg ?? 360 / count,
    azimuthDeg: options.azimuthDeg ?? 0,
  };
  if (!(horns.beamwidthDeg >= 1 && horns.beamwidthDeg <= 360))
    throw new RangeError(`horn beamwidth must be within 1–360°, got ${horns.beamwidthDeg}`);
  const beams = Array.from({ length: count }, (_, k) => {
    const az = hornAzimuth(horns, k);
    return { label: `horn ${k}`, direction: [Math.cos(az), Math.sin(az), 0] as Vec3 };
  });
  return {
    kind: 'horns',
    codebook: `horns:${count}`,
    horns,
    polarization: options.polarization ?? 'V',
    beams,
  };
}

/** Largest deviation of a user beam's ‖w‖² from 1 accepted (rounding in a written file). */
export const WEIGHT_NORM_TOLERANCE = 1e-3;
/** Most beams a codebook file may hold. */
export const MAX_FILE_BEAMS = 4096;

/**
 * A codebook file for an array: {"beams": [{"label": "b0", "weights": [[re, im], …]}, …]}, one
 * [re, im] pair per element in the element order of array.ts (n = iz·ny + iy), each beam with
 * ‖w‖² = 1 (within 1e-3: the beam radiates the power of one element). Each problem is an
 * InputError naming the file, the beam and the element.
 */
export function parseCodebookJson(text: string, file: string, a: ArraySpec): ArrayBeams {
  const root = parseJsonText(text, file) as { beams?: unknown };
  if (typeof root !== 'object' || root === null || !Array.isArray(root.beams))
    throw new InputError(file, undefined, 'expected {"beams": [{"label": …, "weights": [[re, im], …]}, …]}');
  const list = root.beams as unknown[];
  if (list.length === 0) throw new InputError(file, 'beams', 'no beams');
  if (list.length > MAX_FILE_BEAMS)
    throw new InputError(file, 'beams', `${list.length} beams, more than ${MAX_FILE_BEAMS}`);
  const n = elementCount(a);
  const weights = new Float64Array(list.length * 2 * n);
  const beams = list.map((entry, b) => {
    const where = `beam ${b}`;
    if (typeof entry !== 'object' || entry === null)
      throw new InputError(file, where, 'expected an object with "weights"');
    const e = entry as { label?: unknown; weights?: unknown };
    const label = typeof e.label === 'string' ? e.label.slice(0, 80) : `beam ${b}`;
    if (!Array.isArray(e.weights) || e.weights.length !== n)
      throw new InputError(
        file,
        where,
        `"weights" must list ${n} [re, im] pairs (one per element of the ${a.ny}×${a.nz} array), got ${Array.isArray(e.weights) ? e.weights.length : typeof e.weights}`,
      );
    let norm = 0;
    (e.weights as unknown[]).forEach((w, k) => {
      if (!Array.isArray(w) || w.length !== 2 || !w.every((x) => typeof x === 'number' && Number.isFinite(x)))
        throw new InputError(
          file,
          `${where}, element ${k}`,
          `expected [re, im] of two finite numbers, got ${JSON.stringify(w)?.slice(0, 40)}`,
        );
      weights[b * 2 * n + 2 * k] = w[0] as number;
      weights[b * 2 * n + 2 * k + 1] = w[1] as number;
      norm += (w[0] as number) ** 2 + (w[1] as number) ** 2;
    });
    if (Math.abs(norm - 1) > WEIGHT_NORM_TOLERANCE)
      throw new InputError(
        file,
        where,
        `the weights' power Σ|w|² is ${norm.toPrecision(6)}; expected 1 (a beam radiates the power of one element: divide by ${Math.sqrt(norm).toPrecision(6)})`,
      );
    return { label };
  });
  return { kind: 'array', codebook: `file:${file.split(/[\\/]/).pop()}`, array: a, beams, weights };
}

/**
 * Complex responses of every beam of a set in world directions: for an array the array factor
 * Σ wₙvₙ(d) (array.ts), for a horn the real amplitude √G(d). The channel's path coefficient, which
 * already holds the element pattern (or the iso antenna for horns), is multiplied by it.
 */
export class BeamResponder {
  readonly count: number;
  private readonly positions?: { y: Float64Array; z: Float64Array };
  private readonly toLocal?: number[];
  private readonly steering?: Float64Array;
  private readonly peak?: number;

  constructor(readonly set: BeamSet) {
    this.count = set.beams.length;
    if (set.kind === 'array') {
      this.positions = elementPositions(set.array);
      this.toLocal = worldToLocal(set.array.element);
      this.steering = new Float64Array(2 * elementCount(set.array));
    } else this.peak = hornPeakGain(set.horns.beamwidthDeg);
  }

  /** Every beam's response in direction d: beam b at out[offset + 2b], out[offset + 2b + 1]. */
  responses(d: Readonly<Vec3>, out: Float64Array, offset = 0): void {
    const set = this.set;
    if (set.kind === 'horns') {
      for (let b = 0; b < this.count; b++) {
        out[offset + 2 * b] = hornAmplitude(set.horns, b, d, this.peak);
        out[offset + 2 * b + 1] = 0;
      }
      return;
    }
    const n = elementCount(set.array);
    steeringVector(this.positions!, this.toLocal!, d, this.steering!);
    for (let b = 0; b < this.count; b++) {
      const r = dotWeights(set.weights, this.steering!, n, b * 2 * n);
      out[offset + 2 * b] = r.re;
      out[offset + 2 * b + 1] = r.im;
    }
  }

  /** Power gain |response|² of beam b in direction d over the element (arrays) or over isotropic (horns). */
  gain(b: number, d: Readonly<Vec3>): number {
    const out = new Float64Array(2 * this.count);
    this.responses(d, out);
    return out[2 * b]! ** 2 + out[2 * b + 1]! ** 2;
  }
}
