import { describe, expect, it } from 'vitest';
import { ITU_MATERIALS, ituParameters } from '../materials/itu.ts';
import { complexRelativePermittivity } from '../materials/permittivity.ts';
import {
  COEFFICIENT_FLOATS,
  CONDUCTOR_LOSS_TANGENT,
  isConductor,
  type MaterialModel,
  surfaceCoefficients,
} from './coefficients.ts';

/**
 * The engine's reflection and transmission coefficients (field/coefficients.ts) against physics
 * that does not repeat their formulas (docs/physics.md §4): energy conservation through a lossless
 * slab, the normal-incidence closed forms, the half-wave (Fabry–Pérot) slab that reflects nothing,
 * and the two places nothing passes: a half-space and a conductor.
 */
const K0 = (2 * Math.PI * 28e9) / 299_792_458;

function coefficients(
  eta: [number, number],
  cosTheta: number,
  model: MaterialModel,
  transmission: boolean,
  thickness = 0.1,
) {
  const out = new Float64Array(COEFFICIENT_FLOATS);
  surfaceCoefficients(eta[0], eta[1], cosTheta, thickness, K0, model, transmission, false, out);
  return { perp: [out[0]!, out[1]!] as const, par: [out[2]!, out[3]!] as const };
}
const abs2 = (z: readonly [number, number]) => z[0] * z[0] + z[1] * z[1];
const ANGLES = [0, 15, 30, 45, 60, 75, 85];

describe('half-space coefficients', () => {
  it('at normal incidence: r = ∓(√η − 1)/(√η + 1) for both polarisations', () => {
    const n = Math.sqrt(4);
    const r = coefficients([4, 0], 1, 'halfspace', false);
    expect(r.perp[0]).toBeCloseTo((1 - n) / (1 + n), 14);
    expect(r.par[0]).toBeCloseTo((n - 1) / (n + 1), 14); // the ∥ basis of §5 flips the sign
  });

  it('transmit nothing, with zero derivatives: a half-space has no far side', () => {
    const out = new Float64Array(COEFFICIENT_FLOATS).fill(7);
    surfaceCoefficients(6.31, -0.2, 0.8, 0.1, K0, 'halfspace', true, true, out);
    expect([...out]).toEqual(new Array(COEFFICIENT_FLOATS).fill(0));
  });
});

describe('conductors (docs/physics.md §4: never a path through metal)', () => {
  it('ITU metal is a conductor at every frequency of its range, every ITU dielectric is not', () => {
    for (const [name, bands] of Object.entries(ITU_MATERIALS))
      for (const band of bands)
        for (const fGHz of [band.fMinGHz, Math.sqrt(band.fMinGHz * band.fMaxGHz), band.fMaxGHz]) {
          const p = ituParameters(name, fGHz * 1e9);
          const eta = complexRelativePermittivity(p.relativePermittivity, p.conductivity, fGHz * 1e9);
          expect(isConductor(eta.re, eta.im), `${name} at ${fGHz} GHz`).toBe(name === 'metal');
        }
  });

  it('a slab of a conductor transmits nothing however thin; just below the threshold it does', () => {
    // η = 1 − j·(1.001 or 0.999)·1000, a 1 µm film: the slab formula passes |T|² ≈ 0.6 for both
    for (const [lossTangent, opaque] of [
      [1.001 * CONDUCTOR_LOSS_TANGENT, true],
      [0.999 * CONDUCTOR_LOSS_TANGENT, false],
    ] as const) {
      const T = coefficients([1, -lossTangent], 1, 'slab', true, 1e-6);
      expect(abs2(T.perp) === 0 && abs2(T.par) === 0, `loss tangent ${lossTangent}`).toBe(opaque);
      if (!opaque) expect(abs2(T.perp)).toBeGreaterThan(1e-3);
    }
    // ITU metal (σ = 10⁷ S/m) 1 µm thick at 28 GHz: 0 (the slab formula alone passes −68.8 dB)
    const metal = complexRelativePermittivity(1, 1e7, 28e9);
    const T = coefficients([metal.re, metal.im], 0.7, 'slab', true, 1e-6);
    expect(abs2(T.perp) + abs2(T.par)).toBe(0);
  });
});

describe('slab coefficients (ITU-R P.2040 single layer)', () => {
  it('conserve energy through a lossless slab: |R|² + |T|² = 1 for any thickness and angle', () => {
    for (const epsilon of [2.5, 6.31])
      for (const d of [0.001, 0.0123, 0.05, 0.2])
        for (const deg of ANGLES) {
          const c = Math.cos((deg * Math.PI) / 180);
          const R = coefficients([epsilon, 0], c, 'slab', false, d);
          const T = coefficients([epsilon, 0], c, 'slab', true, d);
          for (const pol of ['perp', 'par'] as const)
            expect(abs2(R[pol]) + abs2(T[pol]), `ε ${epsilon}, d ${d}, ${deg}°, ${pol}`).toBeCloseTo(1, 12);
        }
  });

  it('a half-wave slab at normal incidence reflects nothing and passes T = e^{−jπ} = −1', () => {
    const epsilon = 6.31;
    const d = Math.PI / (K0 * Math.sqrt(epsilon)); // k0·d·√ε = π
    const R = coefficients([epsilon, 0], 1, 'slab', false, d);
    const T = coefficients([epsilon, 0], 1, 'slab', true, d);
    for (const pol of ['perp', 'par'] as const) {
      expect(Math.sqrt(abs2(R[pol]))).toBeLessThan(1e-12);
      expect(T[pol][0]).toBeCloseTo(-1, 12);
      expect(T[pol][1]).toBeCloseTo(0, 12);
    }
  });

  it('absorb energy in a lossy slab: |R|² + |T|² < 1 (interference makes it non-monotone in d)', () => {
    const eta: [number, number] = [5.24, -0.5];
    for (const deg of ANGLES) {
      const c = Math.cos((deg * Math.PI) / 180);
      const sum = (d: number) => {
        const R = coefficients(eta, c, 'slab', false, d);
        const T = coefficients(eta, c, 'slab', true, d);
        return abs2(R.perp) + abs2(T.perp);
      };
      for (const d of [0.003, 0.01, 0.05, 0.2]) expect(sum(d), `${deg}°, d ${d}`).toBeLessThan(1);
    }
  });

  it('a quarter-wave slab at normal incidence reflects the most: |R| = (ε − 1)/(ε + 1)', () => {
    const epsilon = 4;
    const d = Math.PI / (2 * K0 * Math.sqrt(epsilon));
    const R = coefficients([epsilon, 0], 1, 'slab', false, d);
    expect(Math.sqrt(abs2(R.perp))).toBeCloseTo((epsilon - 1) / (epsilon + 1), 12);
  });
});
