import { describe, expect, it } from 'vitest';
import { cabs2 } from '../core/complex.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { PathGeometry } from '../tracer/path.ts';
import { type AntennaSpec, antennaField, antennaGain, PATTERN_NAMES, patternAmplitude } from './antenna.ts';
import { evaluatePaths } from './index.ts';
import { ituRadio, plateScene } from './testScenes.ts';

const F = 28e9;
const LAMBDA = SPEED_OF_LIGHT / F;
const LOS: PathGeometry = { kind: 'los', interactions: [], length: 0 };
const scene = plateScene('m');
const materials = { m: ituRadio('metal', F) };
const db = (x: number) => 10 * Math.log10(x);

function gainOfLink(tx: Vec3, rx: Vec3, txAntenna: AntennaSpec, rxAntenna: AntennaSpec): number {
  const [p] = evaluatePaths(scene, tx, rx, [LOS], materials, { frequencyHz: F, txAntenna, rxAntenna });
  return cabs2(p!.a);
}

describe('antenna patterns', () => {
  it('iso, dipole and half-wave dipole radiate 4π (average gain 1) over the sphere', () => {
    for (const p of PATTERN_NAMES.filter((x) => x !== 'tr38901')) {
      let sum = 0;
      const n = 400;
      for (let i = 0; i < n; i++) {
        const t = ((i + 0.5) * Math.PI) / n;
        for (let j = 0; j < 2 * n; j++) {
          const ph = -Math.PI + ((j + 0.5) * Math.PI) / n;
          sum += antennaGain({ pattern: p, polarization: 'V' }, t, ph) * Math.sin(t) * (Math.PI / n) ** 2;
        }
      }
      const avg = sum / (4 * Math.PI);
      // 1.643 is the rounded directivity of the half-wave dipole (exactly 1.6409…): +0.13 %
      expect(Math.abs(avg - 1)).toBeLessThan(p === 'hw_dipole' ? 2e-3 : 1e-5);
    }
  });
  it('tr38901 element: 8 dBi at boresight, −3 dB at ±32.5° in both cuts, 30 dB floor (TR 38.901 table 7.3-1)', () => {
    const g = (t: number, p: number) =>
      db(antennaGain({ pattern: 'tr38901', polarization: 'V' }, (t * Math.PI) / 180, (p * Math.PI) / 180));
    expect(g(90, 0)).toBeCloseTo(8, 12);
    expect(g(90, 32.5)).toBeCloseTo(5, 12);
    expect(g(90, -32.5)).toBeCloseTo(5, 12);
    expect(g(90 + 32.5, 0)).toBeCloseTo(5, 12);
    expect(g(90, 180)).toBeCloseTo(-22, 12);
    expect(g(10, 120)).toBeCloseTo(-22, 12);
    expect(g(10, 60)).toBeCloseTo(8 - 12 * (80 / 65) ** 2 - 12 * (60 / 65) ** 2, 12);
  });
  it('slanted polarizations split the pattern equally between θ̂ and φ̂', () => {
    const f = antennaField({ pattern: 'dipole', polarization: '-45' }, 1.1, 0.3);
    const g = patternAmplitude('dipole', 1.1, 0.3);
    expect(f.theta.re).toBeCloseTo(g * Math.SQRT1_2, 14);
    expect(f.phi.re).toBeCloseTo(-g * Math.SQRT1_2, 14);
  });
});

describe('antenna orientation (α yaw, β pitch, γ roll; Sionna convention)', () => {
  it('two tr38901 elements turned towards each other see 8 dBi each', () => {
    const tx: Vec3 = [0, 0, 3];
    const rx: Vec3 = [4, 7, 3];
    const az = Math.atan2(7, 4);
    const d = Math.hypot(4, 7);
    const g = gainOfLink(
      tx,
      rx,
      { pattern: 'tr38901', polarization: 'V', orientation: [az, 0, 0] },
      { pattern: 'tr38901', polarization: 'V', orientation: [az + Math.PI, 0, 0] },
    );
    expect(Math.abs(db(g) - db((LAMBDA / (4 * Math.PI * d)) ** 2) - 16)).toBeLessThan(1e-9);
  });
  it('down-tilt: pitch β = 30° points the boresight 30° below the horizon', () => {
    const tx: Vec3 = [0, 0, 10];
    const rx: Vec3 = [10 * Math.sqrt(3), 0, 0];
    const g = gainOfLink(
      tx,
      rx,
      { pattern: 'tr38901', polarization: 'V', orientation: [0, Math.PI / 6, 0] },
      {
        pattern: 'iso',
        polarization: 'V',
      },
    );
    expect(Math.abs(db(g) - db((LAMBDA / (4 * Math.PI * 20)) ** 2) - 8)).toBeLessThan(1e-9);
  });
  it('a dipole pitched 90° lies along x: gain 1.5·(1 − (d·x̂)²), received in full by V + H', () => {
    const tx: Vec3 = [0, 0, 1];
    for (const rx of [
      [3, 4, 2],
      [-1, 2, -3],
      [0.5, -6, 1],
    ] as Vec3[]) {
      const dv: Vec3 = [rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]];
      const d = Math.hypot(...dv);
      const cx = dv[0] / d;
      const dip: AntennaSpec = { pattern: 'dipole', polarization: 'V', orientation: [0, Math.PI / 2, 0] };
      const total =
        gainOfLink(tx, rx, dip, { pattern: 'iso', polarization: 'V' }) +
        gainOfLink(tx, rx, dip, { pattern: 'iso', polarization: 'H' });
      expect(Math.abs(total / ((LAMBDA / (4 * Math.PI * d)) ** 2 * 1.5 * (1 - cx * cx)) - 1)).toBeLessThan(
        1e-12,
      );
    }
  });
});
