import { VACUUM_PERMITTIVITY } from '../core/constants.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';

/**
 * Human tissue at radio frequencies: the Gabriel parametric model (four-pole Cole–Cole,
 * S. Gabriel, R. W. Lau, C. Gabriel, "The dielectric properties of biological tissues: III.
 * Parametric models for the dielectric spectrum of tissues", Phys. Med. Biol. 41 (1996)
 * 2271–2293, Table 1, "Skin (Dry)"); docs/physics.md §15.
 *
 *   ε(ω) = ε∞ + Σₙ Δεₙ / (1 + (jωτₙ)^(1−αₙ)) + σᵢ / (jωε₀)
 *
 * At 60 GHz it gives ε ≈ 7.98 − j10.90, the value mmWave body-channel studies quote for dry
 * skin (e.g. Zhadobov et al., Int. J. Microw. Wireless Technol. 3 (2011) 237–247).
 */
export interface ColeColeTerm {
  deltaEps: number;
  tauS: number;
  alpha: number;
}

export interface ColeColeModel {
  epsInf: number;
  terms: readonly ColeColeTerm[];
  /** static ionic conductivity σᵢ (S/m) */
  sigmaIonic: number;
}

/** Gabriel et al. 1996, Table 1, Skin (Dry); poles 3 and 4 have Δε = 0. */
export const DRY_SKIN: ColeColeModel = {
  epsInf: 4.0,
  terms: [
    { deltaEps: 32.0, tauS: 7.234e-12, alpha: 0.0 },
    { deltaEps: 1100, tauS: 32.481e-9, alpha: 0.2 },
  ],
  sigmaIonic: 0.0002,
};

/** Complex relative permittivity ε′ − jε″ of a Cole–Cole model at a frequency: [ε′, ε″]. */
export function coleColePermittivity(model: ColeColeModel, frequencyHz: number): [number, number] {
  const w = 2 * Math.PI * frequencyHz;
  let re = model.epsInf;
  let im = 0; // imaginary part of ε (negative for a lossy medium)
  for (const t of model.terms) {
    // (jωτ)^(1−α) = (ωτ)^(1−α) · e^{jπ(1−α)/2}
    const m = (w * t.tauS) ** (1 - t.alpha);
    const ph = (Math.PI * (1 - t.alpha)) / 2;
    const dr = 1 + m * Math.cos(ph);
    const di = m * Math.sin(ph);
    const d2 = dr * dr + di * di;
    re += (t.deltaEps * dr) / d2;
    im -= (t.deltaEps * di) / d2;
  }
  im -= model.sigmaIonic / (w * VACUUM_PERMITTIVITY);
  return [re, -im];
}

/**
 * Skin as the field code's radio parameters: ε_r = ε′ and σ = ωε₀ε″ (the convention of
 * materials/permittivity.ts: ε = ε_r − jσ/(ωε₀)); `thickness` is the body depth the slab model
 * sees (the field inside dies within a millimetre at mmWave, so it hardly matters).
 */
export function skinParameters(frequencyHz: number, thickness: number): RadioParameters {
  const [er, ei] = coleColePermittivity(DRY_SKIN, frequencyHz);
  return {
    relativePermittivity: er,
    conductivity: 2 * Math.PI * frequencyHz * VACUUM_PERMITTIVITY * ei,
    scatteringCoefficient: 0,
    xpdCoefficient: 0,
    thickness,
  };
}
