import { describe, expect, it } from 'vitest';
import { FrequencyRangeError, ituNameFromLabel, ituParameters } from './itu.ts';
import { complexRelativePermittivity } from './permittivity.ts';
import { materialFromLabel, radioParameterProblems, resolveRadioParameters } from './radioMaterial.ts';

describe('ITU-R P.2040 table at 28 GHz (docs/physics.md check values)', () => {
  const expected: Record<string, [number, number]> = {
    // name: [ε'r, σ S/m]
    concrete: [5.24, 0.626],
    brick: [3.91, 0.0406],
    plasterboard: [2.73, 0.1945],
    wood: [1.99, 0.1672],
    glass: [6.31, 0.3123],
    marble: [7.074, 0.1204],
    metal: [1, 1e7],
  };
  for (const [name, [eps, sigma]] of Object.entries(expected)) {
    it(`${name}: ε'r = ${eps}, σ = ${sigma} S/m`, () => {
      const p = ituParameters(name, 28e9);
      expect(p.relativePermittivity).toBeCloseTo(eps, 10);
      expect(Math.abs(p.conductivity - sigma)).toBeLessThan(1e-4 * Math.max(1, sigma));
    });
  }

  it('η = ε′r − j·17.98·σ/f_GHz', () => {
    const { relativePermittivity, conductivity } = ituParameters('concrete', 28e9);
    const eta = complexRelativePermittivity(relativePermittivity, conductivity, 28e9);
    expect(eta.re).toBe(5.24);
    expect(eta.im).toBeCloseTo((-17.98 * 0.626) / 28, 3);
  });

  it('second band of glass above 220 GHz', () => {
    const p = ituParameters('glass', 300e9);
    expect(p.relativePermittivity).toBe(5.79);
    expect(p.conductivity).toBeCloseTo(0.0004 * 300 ** 1.658, 10);
  });

  it('frequency dependence of ε′r (b ≠ 0) for the grounds', () => {
    expect(ituParameters('wet_ground', 5e9).relativePermittivity).toBeCloseTo(30 * 5 ** -0.4, 12);
  });
});

describe('frequency range', () => {
  it('brick at 60 GHz is an error naming the material and its range', () => {
    expect(() => ituParameters('brick', 60e9)).toThrow(FrequencyRangeError);
    expect(() => ituParameters('brick', 60e9)).toThrow(/brick.*1–40 GHz.*60\.00 GHz/);
  });
  it('explicit opt-in extrapolates with the nearest band', () => {
    const p = ituParameters('brick', 60e9, { allowExtrapolation: true });
    expect(p.conductivity).toBeCloseTo(0.0238 * 60 ** 0.16, 12);
  });
  it('glass between its two bands picks the nearer band when extrapolating', () => {
    expect(ituParameters('glass', 110e9, { allowExtrapolation: true }).relativePermittivity).toBe(6.31);
    expect(ituParameters('glass', 200e9, { allowExtrapolation: true }).relativePermittivity).toBe(5.79);
  });
  it('non-positive frequency is rejected', () => {
    expect(() => ituParameters('concrete', 0)).toThrow(/positive/);
  });
});

describe('material names', () => {
  it.each([
    ['itu_concrete', 'concrete'],
    ['mat-itu_brick', 'brick'],
    ['concrete', 'concrete'],
    ['Wall_brick', 'brick'],
    ['CeilingBoard', 'ceiling_board'],
    ['Window glass', 'glass'],
    ['steel_door', 'metal'],
  ])('%s → %s', (label, name) => {
    expect(ituNameFromLabel(label)).toBe(name);
  });
  it('unmatched names stay unknown', () => {
    expect(ituNameFromLabel('Material.001')).toBeUndefined();
    expect(materialFromLabel('Material.001').spec.kind).toBe('unknown');
  });
  it('unknown materials are traced with the concrete fallback', () => {
    const p = resolveRadioParameters({ kind: 'unknown' }, 28e9);
    expect(p.conductivity).toBeCloseTo(ituParameters('concrete', 28e9).conductivity, 12);
  });
  it('custom parameters are validated', () => {
    expect(
      radioParameterProblems({ relativePermittivity: 0.5, conductivity: -1, scatteringCoefficient: 2 }),
    ).toHaveLength(3);
    expect(
      radioParameterProblems({
        relativePermittivity: 4,
        conductivity: 0.1,
        scatteringCoefficient: 0.2,
        thickness: 0.1,
      }),
    ).toEqual([]);
  });
});
