import { describe, expect, it } from 'vitest';
import { COEFFICIENT_FLOATS, type MaterialModel, surfaceCoefficients } from './coefficients.ts';

/**
 * The engine's reflection and transmission coefficients (field/coefficients.ts) against physics
 * that does not repeat their formulas (docs/physics.md §4): energy conservation at a lossless
 * interface and through a lossless slab, the normal-incidence closed forms, and the half-wave
 * (Fabry–Pérot) slab that reflects nothing.
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
  it('conserve energy at a lossless interface: |r|² + (Re s / cos θ)·|t|² = 1, both polarisations', () => {
    for (const epsilon of [1.5, 4, 6.31, 25])
      for (const deg of ANGLES) {
        const c = Math.cos((deg * Math.PI) / 180);
        const s = Math.sqrt(epsilon - (1 - c * c));
        const r = coefficients([epsilon, 0], c, 'halfspace', false);
        const t = coefficients([epsilon, 0], c, 'halfspace', true);
        for (const pol of ['perp', 'par'] as const)
          expect(abs2(r[pol]) + (s / c) * abs2(t[pol]), `ε ${epsilon}, ${deg}°, ${pol}`).toBeCloseTo(1, 12);
      }
  });

  it('at normal incidence: r = ∓(√η − 1)/(√η + 1), t = 2/(1 + √η) for both polarisations', () => {
    const n = Math.sqrt(4);
    const r = coefficients([4, 0], 1, 'halfspace', false);
    const t = coefficients([4, 0], 1, 'halfspace', true);
    expect(r.perp[0]).toBeCloseTo((1 - n) / (1 + n), 14);
    expect(r.par[0]).toBeCloseTo((n - 1) / (n + 1), 14); // the ∥ basis of §5 flips the sign
    expect(t.perp[0]).toBeCloseTo(2 / (1 + n), 14);
    expect(t.par[0]).toBeCloseTo(2 / (1 + n), 14);
  });

  it('conserve the normal power flux at a lossy interface too (⊥): |r|² + (Re s / cos θ)·|t⊥|² = 1', () => {
    // the loss happens inside the medium, not at the interface
    const eta: [number, number] = [5.24, -0.5];
    for (const deg of ANGLES) {
      const c = Math.cos((deg * Math.PI) / 180);
      const zr = eta[0] - (1 - c * c);
      const sRe = Math.sqrt((Math.hypot(zr, eta[1]) + zr) / 2); // Re of the principal root
      const r = coefficients(eta, c, 'halfspace', false);
      const t = coefficients(eta, c, 'halfspace', true);
      expect(abs2(r.perp) + (sRe / c) * abs2(t.perp), `${deg}°`).toBeCloseTo(1, 12);
    }
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
