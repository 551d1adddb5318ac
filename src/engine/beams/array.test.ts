import { describe, expect, it } from 'vitest';
import { gaussLegendre } from '../../test/oracles/gaussLegendre.ts';
import type { Vec3 } from '../core/vec3.ts';
import { type ArraySpec, arrayFactor, directionOf, steeredWeights } from './array.ts';
import { BeamResponder, dftCodebook, hornCodebook, sectorCodebook } from './codebook.ts';

const iso = { pattern: 'iso', polarization: 'V' } as const;
const ula = (n: number, spacing = 0.5, orientation?: [number, number, number]): ArraySpec => ({
  ny: n,
  nz: 1,
  spacing,
  element: { ...iso, orientation },
});
const gainDb = (a: ArraySpec, w: Float64Array, d: Vec3) => {
  const af = arrayFactor(a, w, d);
  return 10 * Math.log10(af.re ** 2 + af.im ** 2);
};

/** ∫|AF|² dΩ / 4π for an array along y: Gauss–Legendre in cos α about the y axis, trapezoid in β. */
function averagePower(a: ArraySpec, w: Float64Array): number {
  const { x, w: gw } = gaussLegendre(96);
  const nb = 16;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const c = x[i]!;
    const s = Math.sqrt(1 - c * c);
    for (let k = 0; k < nb; k++) {
      const b = (2 * Math.PI * k) / nb;
      const af = arrayFactor(a, w, [s * Math.cos(b), c, s * Math.sin(b)]);
      sum += (gw[i]! * (af.re ** 2 + af.im ** 2)) / nb;
    }
  }
  return sum / 2;
}

describe('antenna arrays against closed forms (issue 15, acceptance 1)', () => {
  it('a broadside ULA of N isotropic elements at λ/2 peaks at 10·log10 N dB with its first null at asin(2/N)', () => {
    for (const n of [4, 8, 16]) {
      const a = ula(n);
      const w = steeredWeights(a, [1, 0, 0]);
      // the peak of the azimuth cut, found by scanning
      let peak = Number.NEGATIVE_INFINITY;
      for (let az = -90; az <= 90; az += 0.01) peak = Math.max(peak, gainDb(a, w, directionOf(az, 0)));
      expect(Math.abs(peak - 10 * Math.log10(n))).toBeLessThan(1e-9);
      // first null walking away from broadside: the textbook angle asin(λ/(N·d)) = asin(2/N)
      let prev = gainDb(a, w, directionOf(0, 0));
      let nullAz = Number.NaN;
      for (let az = 0.001; az < 60; az += 0.001) {
        const g = gainDb(a, w, directionOf(az, 0));
        if (g > prev) {
          nullAz = az - 0.001;
          break;
        }
        prev = g;
      }
      const textbook = (Math.asin(2 / n) * 180) / Math.PI;
      expect(Math.abs(nullAz - textbook)).toBeLessThan(0.002);
      expect(gainDb(a, w, directionOf(textbook, 0))).toBeLessThan(-200);
    }
  });

  it('steered beams peak at their steering direction within 0.5° (ULA and UPA, rotated arrays)', () => {
    const cases: { a: ArraySpec; az: number; el: number }[] = [
      { a: ula(8), az: 30, el: 0 },
      { a: ula(16, 0.5, [0.4, 0, 0]), az: -10, el: 0 },
      { a: { ny: 8, nz: 8, spacing: 0.5, element: iso }, az: -20, el: 15 },
      {
        a: { ny: 4, nz: 4, spacing: 0.5, element: { ...iso, orientation: [Math.PI, 0.2, 0] } },
        az: 160,
        el: -25,
      },
    ];
    for (const { a, az, el } of cases) {
      const w = steeredWeights(a, directionOf(az, el));
      // coarse scan of ±60° on a 1° grid (a ULA is symmetric about its axis: stay on its side),
      // then ±2° around the coarse peak on a 0.05° grid
      const scan = (az0: number, el0: number, half: number, step: number) => {
        let best = { g: Number.NEGATIVE_INFINITY, az: 0, el: 0 };
        for (let dAz = -half; dAz <= half + 1e-9; dAz += step)
          for (let dEl = a.nz > 1 ? -half : 0; dEl <= (a.nz > 1 ? half + 1e-9 : 0); dEl += step) {
            const g = gainDb(a, w, directionOf(az0 + dAz, el0 + dEl));
            if (g > best.g) best = { g, az: az0 + dAz, el: el0 + dEl };
          }
        return best;
      };
      const coarse = scan(az, el, 60, 1);
      const best = scan(coarse.az, coarse.el, 2, 0.05);
      expect(Math.abs(best.az - az)).toBeLessThan(0.5);
      expect(Math.abs(best.el - el)).toBeLessThan(0.5);
      expect(Math.abs(best.g - 10 * Math.log10(a.ny * a.nz))).toBeLessThan(1e-3);
    }
  });

  it('a normalised beam radiates the power of one element within 1e-6 (isotropic ULA at λ/2)', () => {
    const a = ula(8);
    for (const az of [0, 30, 50, 75])
      expect(Math.abs(averagePower(a, steeredWeights(a, directionOf(az, 0))) - 1)).toBeLessThan(1e-6);
    const dft = dftCodebook(a);
    for (let b = 0; b < dft.beams.length; b++)
      expect(Math.abs(averagePower(a, dft.weights.slice(b * 16, b * 16 + 16)) - 1)).toBeLessThan(1e-6);
    // at λ spacing grating lobes appear and the array factor's average is still ‖w‖² = 1
    const wide = ula(8, 1);
    expect(Math.abs(averagePower(wide, steeredWeights(wide, directionOf(20, 0))) - 1)).toBeLessThan(1e-6);
  });

  it('DFT beams are orthogonal and sector beams tile ±60°', () => {
    const a: ArraySpec = { ny: 4, nz: 2, spacing: 0.5, element: iso };
    const dft = dftCodebook(a);
    expect(dft.beams).toHaveLength(8);
    const n = 8;
    for (let p = 0; p < 8; p++)
      for (let q = 0; q < 8; q++) {
        let re = 0;
        let im = 0;
        for (let k = 0; k < n; k++) {
          const [ar, ai] = [dft.weights[p * 2 * n + 2 * k]!, dft.weights[p * 2 * n + 2 * k + 1]!];
          const [br, bi] = [dft.weights[q * 2 * n + 2 * k]!, dft.weights[q * 2 * n + 2 * k + 1]!];
          re += ar * br + ai * bi;
          im += ai * br - ar * bi;
        }
        expect(Math.hypot(re, im)).toBeCloseTo(p === q ? 1 : 0, 12);
      }
    const sectors = sectorCodebook(ula(8), 8);
    const az = sectors.beams.map((b) => (Math.atan2(b.direction![1], b.direction![0]) * 180) / Math.PI);
    expect(az[0]).toBeCloseTo(-52.5, 9);
    expect(az[7]).toBeCloseTo(52.5, 9);
  });

  it('horn sectors radiate the power of an isotropic antenna and cross at −3 dB', () => {
    const horns = hornCodebook(8);
    const r = new BeamResponder(horns);
    const { x, w } = gaussLegendre(200);
    let sum = 0;
    const np = 720;
    for (let i = 0; i < x.length; i++) {
      const s = Math.sqrt(1 - x[i]! ** 2);
      for (let k = 0; k < np; k++) {
        const p = (2 * Math.PI * (k + 0.5)) / np;
        sum += (w[i]! * r.gain(3, [s * Math.cos(p), s * Math.sin(p), x[i]!])) / np;
      }
    }
    expect(Math.abs(sum / 2 - 1)).toBeLessThan(2e-3);
    // boresight of horn 1 at 45°, its edges at ±22.5° 3 dB down (TR 38.901 shape: 12·(½)² = 3 dB)
    const peak = r.gain(1, directionOf(45, 0));
    expect(10 * Math.log10(peak / r.gain(1, directionOf(22.5, 0)))).toBeCloseTo(3, 9);
    expect(r.gain(0, directionOf(22.5, 0))).toBeCloseTo(r.gain(1, directionOf(22.5, 0)), 12);
  });
});
