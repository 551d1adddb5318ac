/**
 * Field of propagation paths: antennas, Jones-matrix chain, materials, diffuse scattering, UTD
 * diffraction, and exact material derivatives.
 *
 * API
 * - evaluatePaths(scene, tx, rx, geometries, materials, options) → Path[]
 *     materials: radio parameters keyed by material id (resolveSceneMaterials gives them);
 *     the material of an interaction is scene.objects[objectIndex].materialId unless
 *     options.materialOf says otherwise. options: {frequencyHz, materialModel ('slab' default |
 *     'halfspace'), txAntenna, rxAntenna (default iso + V), scatteringPattern(s)}.
 *     Path.a excludes the propagation phase (H(f) = Σ a e^{−j2πfτ}); delay = unfolded length / c;
 *     aod/aoa in degrees (aoa points from the receiver towards where the wave comes from).
 * - evaluatePathsWithGradient(same arguments) → {paths, gradients}
 *     gradients[i]: Map from `<materialId>:<parameter>` (parameterKey) to ∂aᵢ/∂θ (Complex), with
 *     parameter ∈ relative_permittivity | conductivity (per S/m) | scattering_coefficient |
 *     thickness (per metre); every material the path touches has all four entries (zero where a
 *     does not depend on it, e.g. thickness in the half-space model). ∂|a|²/∂θ = 2Re(a*·∂a/∂θ).
 * - evaluatePathsJacobian(same arguments, keys: string[]) → {paths, jacobian}
 *     dense variant for optimisers: jacobian[i] = Float64Array [Re ∂aᵢ/∂θ_0, Im ∂aᵢ/∂θ_0, …]
 *     for the requested parameterKey(...) keys (0 where the path does not depend on one).
 * - createFieldContext + evaluatePathField for callers that evaluate many links with one setup
 *   (radio maps): build the context once, call evaluatePathField per path.
 *
 * Conventions (for the WGSL port; every formula is in the file named):
 * - antenna.ts: patterns, polarization slant ζ (C_θ = g cos ζ, C_φ = g sin ζ), orientation
 *   R = Rz(α)Ry(β)Rx(γ); the field is tracked as a complex world-space 3-vector.
 * - interactions.ts: each interaction is a 2×2 Jones matrix C between local bases
 *   (e⊥ = k̂i×n̂/|…|, e∥ = e⊥×k̂; edge-fixed β̂0/φ̂ for diffraction); surfaceCoefficients.ts
 *   (reference, with ∂/∂η, ∂/∂d) and fastCoefficients.ts (values, real arithmetic).
 * - pathField.ts: the chain, spreading (1/L; 1/(ri·rs) for scattering; 1/√(s′s(s′+s)) for
 *   diffraction), receive antenna, a = λ/(4π)·G·C_Rᴴ·E, and the adjoint pass for derivatives.
 * - fastPathField.ts: the same chain for values only, allocation-free (what radio maps use).
 * - scattering.ts: Lambertian / directive / backscattering patterns (normalised in closed form).
 * - diffraction.ts + fresnelIntegrals.ts: UTD with Luebbers' coefficients, transition function.
 */

import type { Vec3 } from '../core/vec3.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import { antennasOf, createFieldContext, type FieldOptions } from './context.ts';
import { evaluatePathField } from './pathField.ts';

export * from './antenna.ts';
export { antennasOf, createFieldContext, type FieldOptions } from './context.ts';
export * from './gradient.ts';
export type { FieldContext } from './interactions.ts';
export { evaluatePathField, type PathFieldResult, type PathMaterialSensitivity } from './pathField.ts';
export * from './scattering.ts';
export { type MaterialModel, surfaceReflection, surfaceTransmission } from './surfaceCoefficients.ts';

/** Fields of the given path geometries for one Tx–Rx link. */
export function evaluatePaths(
  scene: Scene,
  tx: Vec3,
  rx: Vec3,
  geometries: readonly PathGeometry[],
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): Path[] {
  const ctx = createFieldContext(scene, materials, options);
  const ant = antennasOf(options);
  const out: Path[] = new Array(geometries.length);
  for (let i = 0; i < geometries.length; i++) {
    out[i] = evaluatePathField(ctx, ant.tx, ant.rx, tx, rx, geometries[i]!, false).path;
  }
  return out;
}
