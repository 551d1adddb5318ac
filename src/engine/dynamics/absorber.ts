import { VACUUM_PERMITTIVITY, wavelength } from '../core/constants.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';

/**
 * A thin absorbing screen (the blocker of 3GPP TR 38.901 §7.6.4.2 blockage model B, and of
 * knife-edge models generally) as radio parameters the field code already handles: a slab matched
 * to free space (ε′r = 1) with a loss tangent ε″/ε′ = ABSORBER_LOSS_TANGENT and a thickness of
 * ABSORBER_THICKNESS_WAVELENGTHS wavelengths. Matched, it reflects little near normal incidence
 * (|Γ| = |1 − √ε|/|1 + √ε| ≈ tanδ/4, −32 dB for tanδ = 0.1); lossy, the wave inside decays as
 * exp(−k·Im√ε·d) (≈ 55 dB over 20 λ). In Luebbers' UTD the reflection terms of its edges then
 * nearly vanish and the edge diffracts as a black half-plane (the Kirchhoff/knife-edge limit),
 * the same for both polarisations, as a PEC plate's does not. docs/physics.md §15.
 */
export const ABSORBER_LOSS_TANGENT = 0.1;
export const ABSORBER_THICKNESS_WAVELENGTHS = 20;

export function absorberParameters(frequencyHz: number): RadioParameters {
  return {
    relativePermittivity: 1,
    // σ = ωε₀ε″ with ε″ = tanδ·ε′ (materials/permittivity.ts: ε = ε_r − jσ/(ωε₀))
    conductivity: 2 * Math.PI * frequencyHz * VACUUM_PERMITTIVITY * ABSORBER_LOSS_TANGENT,
    scatteringCoefficient: 0,
    xpdCoefficient: 0,
    thickness: ABSORBER_THICKNESS_WAVELENGTHS * wavelength(frequencyHz),
  };
}
