import { idRecord } from '../core/idRecord.ts';
import { ITU_MATERIALS, type ItuOptions, ituNameFromLabel, ituParameters } from './itu.ts';

/** Radio parameters of a surface at one frequency; what the field code consumes. */
export interface RadioParameters {
  relativePermittivity: number;
  /** S/m */
  conductivity: number;
  /** S ∈ [0, 1]: share of the reflected field amplitude scattered diffusely */
  scatteringCoefficient: number;
  /** cross-polarization discrimination coefficient Kx ∈ [0, 1] */
  xpdCoefficient: number;
  /** slab thickness in metres */
  thickness: number;
}

/**
 * Where a material's parameters came from: the scene file, a name match, a CLIP label (vision),
 * the translator (CLIP embeddings → values learned from calibrated twins), a person, a calibration.
 */
export type MaterialSource = 'scene' | 'name' | 'vision' | 'translator' | 'manual' | 'calibrated' | 'default';

/**
 * A material as the scene declares it: an ITU material (frequency dependent), explicit
 * parameters, or unknown (no name matched; traced with a stated fallback).
 */
export type MaterialSpec =
  | { kind: 'itu'; ituName: string; thickness: number; scatteringCoefficient: number; xpdCoefficient: number }
  | ({ kind: 'custom' } & RadioParameters)
  | { kind: 'unknown' };

export interface SceneMaterial {
  id: string;
  spec: MaterialSpec;
  source: MaterialSource;
}

/** Sionna RT's default slab thickness when a scene does not give one. */
export const DEFAULT_THICKNESS = 0.1;
/** Material used to trace surfaces whose material is unknown (reported as such). */
export const UNKNOWN_MATERIAL_FALLBACK = 'concrete';

export function ituSpec(ituName: string, thickness = DEFAULT_THICKNESS): MaterialSpec {
  return { kind: 'itu', ituName, thickness, scatteringCoefficient: 0, xpdCoefficient: 0 };
}

/** Build a scene material from a label such as `itu_concrete`, `mat-itu_brick`, `Wall_brick`. */
export function materialFromLabel(id: string, label = id): SceneMaterial {
  const ituName = ituNameFromLabel(label);
  return ituName
    ? { id, spec: ituSpec(ituName), source: 'name' }
    : { id, spec: { kind: 'unknown' }, source: 'default' };
}

/** Radio parameters of a material at a frequency. Unknown materials use the fallback. */
export function resolveRadioParameters(
  spec: MaterialSpec,
  frequencyHz: number,
  options: ItuOptions = {},
): RadioParameters {
  switch (spec.kind) {
    case 'custom':
      return {
        relativePermittivity: spec.relativePermittivity,
        conductivity: spec.conductivity,
        scatteringCoefficient: spec.scatteringCoefficient,
        xpdCoefficient: spec.xpdCoefficient,
        thickness: spec.thickness,
      };
    case 'itu': {
      const p = ituParameters(spec.ituName, frequencyHz, options);
      return {
        ...p,
        scatteringCoefficient: spec.scatteringCoefficient,
        xpdCoefficient: spec.xpdCoefficient,
        thickness: spec.thickness,
      };
    }
    case 'unknown':
      return {
        ...ituParameters(UNKNOWN_MATERIAL_FALLBACK, frequencyHz, { allowExtrapolation: true }),
        scatteringCoefficient: 0,
        xpdCoefficient: 0,
        thickness: DEFAULT_THICKNESS,
      };
  }
}

/**
 * The one rule for physical values wherever they enter (scene XML, materials JSON, twin files,
 * the studio's inputs): every value finite, ε′r ≥ 1, σ ≥ 0, S and Kx in [0, 1], thickness > 0.
 * Returns a list of problems (empty when valid); absent values are not checked.
 */
export function radioParameterProblems(p: Partial<RadioParameters>): string[] {
  const problems: string[] = [];
  // named as files write them (relative_permittivity …), in XML, JSON and the studio alike
  const check = (name: keyof RadioParameters, ok: (v: number) => boolean, expected: string) => {
    const v = p[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
      problems.push(`${PARAMETER_FILE_NAMES[name]} must be ${expected}, got ${v}`);
  };
  check('relativePermittivity', (v) => v >= 1, 'a number ≥ 1');
  check('conductivity', (v) => v >= 0, 'a number ≥ 0 (S/m)');
  check('scatteringCoefficient', (v) => v >= 0 && v <= 1, 'in [0, 1]');
  check('xpdCoefficient', (v) => v >= 0 && v <= 1, 'in [0, 1]');
  check('thickness', (v) => v > 0, 'a number > 0 (m)');
  return problems;
}

/** How scene XML, materials JSON and twin files name each radio parameter. */
export const PARAMETER_FILE_NAMES: Readonly<Record<keyof RadioParameters, string>> = {
  relativePermittivity: 'relative_permittivity',
  conductivity: 'conductivity',
  scatteringCoefficient: 'scattering_coefficient',
  xpdCoefficient: 'xpd_coefficient',
  thickness: 'thickness',
};

/** Problems of a material spec: its explicit values by radioParameterProblems, an ITU name that exists. */
export function materialSpecProblems(spec: MaterialSpec): string[] {
  switch (spec.kind) {
    case 'custom':
      return radioParameterProblems(spec);
    case 'itu':
      return [
        ...(Object.hasOwn(ITU_MATERIALS, spec.ituName) ? [] : [`'${spec.ituName}' is not an ITU material`]),
        ...radioParameterProblems({
          thickness: spec.thickness,
          scatteringCoefficient: spec.scatteringCoefficient,
          xpdCoefficient: spec.xpdCoefficient,
        }),
      ];
    case 'unknown':
      return [];
  }
}

/** Radio parameters of every material of a scene at one frequency, keyed by material id. */
export function resolveSceneMaterials(
  materials: Record<string, SceneMaterial>,
  frequencyHz: number,
  options: ItuOptions = {},
): Record<string, RadioParameters> {
  const out = idRecord<RadioParameters>();
  for (const [id, m] of Object.entries(materials))
    out[id] = resolveRadioParameters(m.spec, frequencyHz, options);
  return out;
}
