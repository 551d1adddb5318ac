import { describe, expect, it } from 'vitest';
import { complexRelativePermittivity } from '../materials/permittivity.ts';
import { coleColePermittivity, DRY_SKIN, skinParameters } from './skin.ts';

describe('Gabriel dry-skin model', () => {
  it('gives the published 60 GHz value ε ≈ 7.98 − j10.90', () => {
    const [re, im] = coleColePermittivity(DRY_SKIN, 60e9);
    expect(re).toBeCloseTo(7.98, 1);
    expect(im).toBeCloseTo(10.9, 1);
  });

  it('a pure Debye pole at ωτ = 1 gives Δε/2 − jΔε/2 (closed form)', () => {
    const tau = 1e-11;
    const f = 1 / (2 * Math.PI * tau);
    const [re, im] = coleColePermittivity(
      { epsInf: 3, terms: [{ deltaEps: 10, tauS: tau, alpha: 0 }], sigmaIonic: 0 },
      f,
    );
    expect(re).toBeCloseTo(8, 12);
    expect(im).toBeCloseTo(5, 12);
  });

  it('as radio parameters: the field code recovers the same complex permittivity', () => {
    const p = skinParameters(28e9, 0.25);
    const eps = complexRelativePermittivity(p.relativePermittivity, p.conductivity, 28e9);
    const [re, im] = coleColePermittivity(DRY_SKIN, 28e9);
    expect(eps.re).toBeCloseTo(re, 12);
    expect(-eps.im).toBeCloseTo(im, 10);
  });
});
