import type { Complex } from '../core/complex.ts';
import { VACUUM_PERMITTIVITY } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import { antennasOf, createFieldContext, type FieldOptions } from './context.ts';
import { evaluatePathField, type PathMaterialSensitivity } from './pathField.ts';

/**
 * Exact derivatives of each path coefficient a with respect to the radio parameters of every
 * material the path touches (adjoint pass over the Jones chain, pathField.ts, and analytic
 * derivatives of every coefficient, surfaceCoefficients.ts / diffraction.ts). No finite differences.
 *
 * a is an analytic function of η = ε'r − j·σ/(ε0ω), so
 *   ∂a/∂ε'r = ∂a/∂η,   ∂a/∂σ = ∂a/∂η · (−j/(ε0·ω)),
 * and ∂a/∂d, ∂a/∂S come directly from the slab and scattering factors.
 * Since a is complex and the parameters real, the derivative of the path gain is
 *   ∂|a|²/∂θ = 2·Re(conj(a)·∂a/∂θ).
 */
export type MaterialParameter =
  | 'relative_permittivity'
  | 'conductivity'
  | 'scattering_coefficient'
  | 'thickness';
export const MATERIAL_PARAMETERS: readonly MaterialParameter[] = [
  'relative_permittivity',
  'conductivity',
  'scattering_coefficient',
  'thickness',
];

/** Key of a gradient entry: `<materialKey>:<parameter>`, e.g. `itu_brick:conductivity`. */
export const parameterKey = (materialKey: string, parameter: MaterialParameter): string =>
  `${materialKey}:${parameter}`;

/**
 * Gradient of one path: ∂a/∂θ for the 4 parameters of every material the path touches
 * (entries are present, possibly zero, for each touched material; absent means "does not touch").
 */
export type PathGradient = Map<string, Complex>;

const keyCache = new Map<string, string[]>();

/** The four gradient keys of a material key, in MATERIAL_PARAMETERS order (cached strings). */
function keysOf(materialKey: string): string[] {
  let k = keyCache.get(materialKey);
  if (!k) {
    k = MATERIAL_PARAMETERS.map((p) => parameterKey(materialKey, p));
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(materialKey, k);
  }
  return k;
}

function accumulate(g: PathGradient, key: string, re: number, im: number): void {
  const old = g.get(key);
  if (old) {
    old.re += re;
    old.im += im;
  } else g.set(key, { re, im });
}

/** Fold per-interaction sensitivities into the parameter gradient of one path. */
export function gradientFromSensitivities(
  sens: PathMaterialSensitivity[],
  frequencyHz: number,
): PathGradient {
  const g: PathGradient = new Map();
  // ∂η/∂σ = −j/(ε0·ω)
  const dEtaDSigma = -1 / (VACUUM_PERMITTIVITY * 2 * Math.PI * frequencyHz);
  for (const s of sens) {
    const k = keysOf(s.materialKey);
    accumulate(g, k[0]!, s.dEta.re, s.dEta.im);
    // (x + jy)·(j·c) = −c·y + j·c·x
    accumulate(g, k[1]!, -dEtaDSigma * s.dEta.im, dEtaDSigma * s.dEta.re);
    accumulate(g, k[2]!, s.dScattering.re, s.dScattering.im);
    accumulate(g, k[3]!, s.dThickness.re, s.dThickness.im);
  }
  return g;
}

/** Paths with their fields and, per path, ∂a/∂θ keyed by parameterKey(material, parameter). */
export function evaluatePathsWithGradient(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): { paths: Path[]; gradients: PathGradient[] } {
  const ctx = createFieldContext(scene, materials, options);
  const ant = antennasOf(options);
  const paths: Path[] = [];
  const gradients: PathGradient[] = [];
  for (const g of geometries) {
    const r = evaluatePathField(ctx, ant.tx, ant.rx, tx, rx, g, true);
    paths.push(r.path);
    gradients.push(gradientFromSensitivities(r.sensitivities ?? [], options.frequencyHz));
  }
  return { paths, gradients };
}

/**
 * Dense variant for optimisers: ∂a/∂θ_k for the given parameter keys only (parameterKey form),
 * as one Float64Array per path laid out [Re ∂a/∂θ_0, Im ∂a/∂θ_0, Re ∂a/∂θ_1, …] (2·keys.length).
 * Keys a path does not depend on stay 0. Same numbers as evaluatePathsWithGradient, no Maps.
 */
export function evaluatePathsJacobian(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
  keys: readonly string[],
): { paths: Path[]; jacobian: Float64Array[] } {
  const ctx = createFieldContext(scene, materials, options);
  const ant = antennasOf(options);
  // column of each (material key, parameter): −1 when not requested
  const columns = new Map<string, Int32Array>();
  const columnsOf = (materialKey: string): Int32Array => {
    let c = columns.get(materialKey);
    if (!c) {
      c = Int32Array.from(MATERIAL_PARAMETERS, (p) => keys.indexOf(parameterKey(materialKey, p)));
      columns.set(materialKey, c);
    }
    return c;
  };
  const dEtaDSigma = -1 / (VACUUM_PERMITTIVITY * 2 * Math.PI * options.frequencyHz);
  const paths: Path[] = [];
  const jacobian: Float64Array[] = [];
  for (const g of geometries) {
    const r = evaluatePathField(ctx, ant.tx, ant.rx, tx, rx, g, true);
    const row = new Float64Array(2 * keys.length);
    for (const s of r.sensitivities ?? []) {
      const c = columnsOf(s.materialKey);
      if (c[0]! >= 0) {
        row[2 * c[0]!] += s.dEta.re;
        row[2 * c[0]! + 1] += s.dEta.im;
      }
      if (c[1]! >= 0) {
        row[2 * c[1]!] += -dEtaDSigma * s.dEta.im;
        row[2 * c[1]! + 1] += dEtaDSigma * s.dEta.re;
      }
      if (c[2]! >= 0) {
        row[2 * c[2]!] += s.dScattering.re;
        row[2 * c[2]! + 1] += s.dScattering.im;
      }
      if (c[3]! >= 0) {
        row[2 * c[3]!] += s.dThickness.re;
        row[2 * c[3]! + 1] += s.dThickness.im;
      }
    }
    paths.push(r.path);
    jacobian.push(row);
  }
  return { paths, jacobian };
}
