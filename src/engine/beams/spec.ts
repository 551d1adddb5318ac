import type { Vec3 } from '../core/vec3.ts';
import type { AntennaSpec } from '../field/antenna.ts';
import { type ArraySpec, arrayProblem } from './array.ts';
import {
  type BeamSet,
  dftCodebook,
  hornCodebook,
  parseCodebookJson,
  sectorCodebook,
  steeredCodebook,
} from './codebook.ts';

/**
 * The beams of one device as text settings (the CLI's --tx-array 8x8 --codebook sectors:16 and the
 * studio's device panel): an array size, a codebook name, and how to build the BeamSet.
 */
export type CodebookSpec =
  | { kind: 'dft' }
  | { kind: 'sectors'; count: number }
  | { kind: 'horns'; count: number; beamwidthDeg?: number }
  | { kind: 'steer'; target: Vec3 }
  | { kind: 'file'; path: string };

export const CODEBOOK_SYNTAX = 'dft | sectors:K | horns:K[:BEAMWIDTH_DEG] | steer:x,y,z | FILE.json';

/** "8x8", "8×4", "16" (a ULA) → {ny, nz}; a problem string otherwise. */
export function parseArraySize(text: string): { ny: number; nz: number } | string {
  const m = /^\s*(\d{1,4})\s*(?:[x×]\s*(\d{1,4}))?\s*$/.exec(text);
  if (!m) return `array size must be NY or NYxNZ (e.g. 8 or 8x8), got '${text}'`;
  const ny = Number(m[1]);
  const nz = m[2] === undefined ? 1 : Number(m[2]);
  const problem = arrayProblem({ ny, nz, spacing: 0.5 });
  return problem ?? { ny, nz };
}

/** A codebook setting; anything else that ends in .json is a file. A problem string otherwise. */
export function parseCodebookSpec(text: string): CodebookSpec | string {
  const t = text.trim();
  if (t === 'dft') return { kind: 'dft' };
  const sectors = /^sectors:(\d{1,4})$/.exec(t);
  if (sectors) return { kind: 'sectors', count: Number(sectors[1]) };
  const horns = /^horns:(\d{1,3})(?::(\d+(?:\.\d+)?))?$/.exec(t);
  if (horns)
    return {
      kind: 'horns',
      count: Number(horns[1]),
      beamwidthDeg: horns[2] === undefined ? undefined : Number(horns[2]),
    };
  const steer = /^steer:(.+)$/.exec(t);
  if (steer) {
    const v = steer[1]!.split(',').map((s) => Number(s.trim()));
    if (v.length !== 3 || v.some((x) => !Number.isFinite(x)))
      return `steer:x,y,z needs three finite numbers (metres), got '${t}'`;
    return { kind: 'steer', target: [v[0]!, v[1]!, v[2]!] };
  }
  if (/\.json$/i.test(t)) return { kind: 'file', path: t };
  return `codebook must be ${CODEBOOK_SYNTAX}, got '${text}'`;
}

export interface DeviceBeams {
  size: { ny: number; nz: number };
  spacing: number;
  element: AntennaSpec;
  codebook: CodebookSpec;
}

/**
 * The BeamSet of a device at `position`; `fileText` is the codebook file's text for kind 'file'.
 * RangeError / InputError on bad values.
 */
export function buildBeamSet(d: DeviceBeams, position: Readonly<Vec3>, fileText?: string): BeamSet {
  const array: ArraySpec = { ...d.size, spacing: d.spacing, element: d.element };
  const problem = arrayProblem(array);
  if (problem) throw new RangeError(problem);
  const c = d.codebook;
  switch (c.kind) {
    case 'dft':
      return dftCodebook(array);
    case 'sectors':
      return sectorCodebook(array, c.count);
    case 'horns':
      return hornCodebook(c.count, {
        beamwidthDeg: c.beamwidthDeg,
        polarization: d.element.polarization,
        azimuthDeg: ((d.element.orientation?.[0] ?? 0) * 180) / Math.PI,
      });
    case 'steer':
      return steeredCodebook(array, position, c.target);
    case 'file':
      if (fileText === undefined) throw new RangeError(`codebook file ${c.path} was not read`);
      return parseCodebookJson(fileText, c.path, array);
  }
}

/** "8x8 dft", "horns:8": how a device's beams read in a report. */
export function describeBeams(set: BeamSet): string {
  return set.kind === 'horns'
    ? `${set.horns.count} horn sectors of ${set.horns.beamwidthDeg.toFixed(1)}°`
    : `${set.array.ny}×${set.array.nz} ${set.array.element.pattern} array at ${set.array.spacing}λ, ${set.codebook} (${set.beams.length} beams)`;
}
