import type { MaterialParameterName } from '../io/materialsJson.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';

export type { MaterialParameterName } from '../io/materialsJson.ts';

/**
 * A trainable parameter: one radio parameter of one material id (default) or one object.
 * The optimisers work on an unconstrained z; the physical value is θ = transform(z)
 * (docs/physics.md): ε'r = 1 + exp(u), σ = exp(v), S = sigmoid(w); thickness = exp(t) (positive).
 */
export interface TrainableParameter {
  /** material id, or object name when calibrating per object */
  owner: string;
  name: MaterialParameterName;
}

/** The RadioParameters field of each material parameter name (materials JSON → engine). */
export const PARAMETER_FIELD: Readonly<Record<MaterialParameterName, keyof RadioParameters>> = {
  relative_permittivity: 'relativePermittivity',
  conductivity: 'conductivity',
  scattering_coefficient: 'scatteringCoefficient',
  thickness: 'thickness',
};

export const parameterLabel = (p: TrainableParameter): string => `${p.owner}.${p.name}`;

/** θ from z. */
export function toPhysical(name: MaterialParameterName, z: number): number {
  switch (name) {
    case 'relative_permittivity':
      return 1 + Math.exp(z);
    case 'conductivity':
    case 'thickness':
      return Math.exp(z);
    case 'scattering_coefficient':
      return 1 / (1 + Math.exp(-z));
  }
}

/** dθ/dz at z, for the chain rule from physical to unconstrained derivatives. */
export function physicalDerivative(name: MaterialParameterName, z: number): number {
  switch (name) {
    case 'relative_permittivity':
    case 'conductivity':
    case 'thickness':
      return Math.exp(z);
    case 'scattering_coefficient': {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    }
  }
}

/**
 * z from θ (the inverse maps). Values on the boundary of the domain cannot be reached by the
 * unconstrained form and are nudged inside it: ε'r − 1 ≥ 1e-3, σ ≥ 1e-6 S/m, thickness ≥ 1e-6 m,
 * S ∈ [0.01, 0.99]. The S nudge matters in practice: ITU materials have S = 0, and deep in the
 * sigmoid's tail an optimiser would need many bounded steps to leave it.
 */
export function toUnconstrained(name: MaterialParameterName, theta: number): number {
  switch (name) {
    case 'relative_permittivity':
      return Math.log(Math.max(theta - 1, 1e-3));
    case 'conductivity':
    case 'thickness':
      return Math.log(Math.max(theta, 1e-6));
    case 'scattering_coefficient': {
      const s = Math.min(Math.max(theta, 0.01), 0.99);
      return Math.log(s / (1 - s));
    }
  }
}

export function vectorToPhysical(params: readonly TrainableParameter[], z: Float64Array): Float64Array {
  return Float64Array.from(params, (p, k) => toPhysical(p.name, z[k]!));
}

export function vectorToUnconstrained(
  params: readonly TrainableParameter[],
  theta: Float64Array,
): Float64Array {
  return Float64Array.from(params, (p, k) => toUnconstrained(p.name, theta[k]!));
}
