import { describe, expect, it } from 'vitest';
import { halfSpaceReflection } from '../../test/oracles/fresnel.ts';
import { slabCoefficients } from '../../test/oracles/slab.ts';
import { type Complex, cabs, cabs2 } from '../core/complex.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { ituParameters } from '../materials/itu.ts';
import { complexRelativePermittivity } from '../materials/permittivity.ts';
import type { PathGeometry } from '../tracer/path.ts';
import type { AntennaSpec, PatternName, Polarization } from './antenna.ts';
import { evaluatePaths } from './index.ts';
import { groundReflectionPoint, ituRadio, plateScene } from './testScenes.ts';

const F = 28e9;
const LAMBDA = SPEED_OF_LIGHT / F;
const db = (x: number) => 10 * Math.log10(x);
const deg = (d: number) => (d * Math.PI) / 180;
const LOS: PathGeometry = { kind: 'los', interactions: [], length: 0 };

/** Antenna gains written out independently of antenna.ts (θ zenith, φ azimuth; radians). */
function referenceGain(p: PatternName, theta: number, phi: number): number {
  switch (p) {
    case 'iso':
      return 1;
    case 'dipole':
      return 1.5 * Math.sin(theta) ** 2;
    case 'hw_dipole':
      return 1.643 * (Math.cos((Math.PI / 2) * Math.cos(theta)) / Math.sin(theta)) ** 2;
    case 'tr38901': {
      // 3GPP TR 38.901 table 7.3-1 in degrees
      const td = (theta * 180) / Math.PI;
      let pd = (phi * 180) / Math.PI;
      while (pd > 180) pd -= 360;
      while (pd <= -180) pd += 360;
      const av = -Math.min(12 * ((td - 90) / 65) ** 2, 30);
      const ah = -Math.min(12 * (pd / 65) ** 2, 30);
      return 10 ** ((8 - Math.min(-(av + ah), 30)) / 10);
    }
  }
}

const anglesOf = (d: Vec3) => {
  const l = Math.hypot(...d);
  return { theta: Math.acos(d[2] / l), phi: Math.atan2(d[1], d[0]) };
};

describe('free space (issue 3 acceptance 1)', () => {
  const scene = plateScene('itu_metal');
  const materials = { itu_metal: ituRadio('metal', F) };
  const links: [Vec3, Vec3][] = [
    [
      [0, 0, 1.5],
      [7, 0, 1.5],
    ],
    [
      [1, 2, 3],
      [-4, 6.5, 1.2],
    ],
    [
      [0, 0, 10],
      [3, -2, 1],
    ],
    [
      [-2, 1, 1],
      [5, -3, 4],
    ],
  ];
  for (const pattern of ['iso', 'dipole', 'hw_dipole', 'tr38901'] as PatternName[]) {
    for (const pol of ['V', 'H'] as Polarization[]) {
      it(`Friis and delay = d/c for ${pattern} ${pol}`, () => {
        const ant: AntennaSpec = { pattern, polarization: pol };
        for (const [tx, rx] of links) {
          const d = Math.hypot(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]);
          const [p] = evaluatePaths(scene, tx, rx, [LOS], materials, {
            frequencyHz: F,
            txAntenna: ant,
            rxAntenna: ant,
          });
          // d/c to the last bits (the engine's norm is √(x² + y² + z²), not Math.hypot)
          expect(Math.abs((p!.delay * SPEED_OF_LIGHT) / d - 1)).toBeLessThan(1e-15);
          const dep = anglesOf([rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]]);
          const arr = anglesOf([tx[0] - rx[0], tx[1] - rx[1], tx[2] - rx[2]]);
          const friis =
            (LAMBDA / (4 * Math.PI * d)) ** 2 *
            referenceGain(pattern, dep.theta, dep.phi) *
            referenceGain(pattern, arr.theta, arr.phi);
          expect(Math.abs(db(cabs2(p!.a)) - db(friis))).toBeLessThan(1e-3);
          // angles: azimuth/elevation in degrees
          expect(p!.aod.azimuthDeg).toBeCloseTo((dep.phi * 180) / Math.PI, 10);
          expect(p!.aoa.elevationDeg).toBeCloseTo(90 - (arr.theta * 180) / Math.PI, 10);
        }
      });
    }
  }
  it('free-space path loss at 1 m is 61.39 dB at 28 GHz and 68.01 dB at 60 GHz (docs/physics.md)', () => {
    for (const [f, pl] of [
      [28e9, 61.39],
      [60e9, 68.01],
    ] as const) {
      const [p] = evaluatePaths(scene, [0, 0, 1], [1, 0, 1], [LOS], materials, { frequencyHz: f });
      expect(Math.abs(-db(cabs2(p!.a)) - pl)).toBeLessThan(0.005);
    }
  });
  it('polarization: V→H and +45→+45 facing each other are orthogonal, +45→−45 is matched', () => {
    const tx: Vec3 = [0, 0, 1];
    const rx: Vec3 = [10, 0, 1];
    const run = (a: Polarization, b: Polarization) =>
      cabs2(
        evaluatePaths(scene, tx, rx, [LOS], materials, {
          frequencyHz: F,
          txAntenna: { pattern: 'iso', polarization: a },
          rxAntenna: { pattern: 'iso', polarization: b },
        })[0]!.a,
      );
    const full = (LAMBDA / (4 * Math.PI * 10)) ** 2;
    expect(run('V', 'H')).toBeLessThan(1e-30);
    // the receive frame's φ̂ points −y when looking back along −x (Sionna's convention)
    expect(run('+45', '+45')).toBeLessThan(1e-30);
    expect(Math.abs(run('+45', '-45') / full - 1)).toBeLessThan(1e-12);
    expect(Math.abs(run('V', '+45') / full - 0.5)).toBeLessThan(1e-12);
  });
});

function reflectionGeometry(tx: Vec3, rx: Vec3): PathGeometry {
  const point = groundReflectionPoint(tx, rx);
  return {
    kind: 'specular',
    interactions: [{ type: 'reflection', objectIndex: 0, faceIndex: 0, point }],
    length: 0,
  };
}

/** Tx/Rx over the plate z = 0 so that the reflection has incidence angle θ (from the normal). */
function linkAtAngle(thetaDeg: number): { tx: Vec3; rx: Vec3; unfolded: number } {
  const h1 = 2;
  const h2 = 3;
  const t = Math.tan(deg(thetaDeg));
  const tx: Vec3 = [0, 0, h1];
  const rx: Vec3 = [(h1 + h2) * t, 0, h2];
  return { tx, rx, unfolded: (h1 + h2) / Math.cos(deg(thetaDeg)) };
}

describe('single reflection off a large plate (issue 3 acceptance 2)', () => {
  const materialNames = ['concrete', 'brick', 'glass', 'marble', 'metal'];
  for (const name of materialNames) {
    for (const model of ['halfspace', 'slab'] as const) {
      it(`${name}, ${model}: gain = FSPL(unfolded) × |coefficient|² (V = ∥, H = ⊥)`, () => {
        const id = `itu_${name}`;
        const scene = plateScene(id);
        const materials = { [id]: ituRadio(name, F) };
        const p = ituParameters(name, F);
        const eta = complexRelativePermittivity(p.relativePermittivity, p.conductivity, F);
        for (const angle of [0, 20, 45, 60, 80]) {
          const { tx, rx, unfolded } = linkAtAngle(angle);
          const c = Math.cos(deg(angle));
          const coef =
            model === 'halfspace' ? halfSpaceReflection(eta, c) : slabCoefficients(eta, c, 0.1, F).reflection;
          for (const [pol, r] of [
            ['V', coef.par],
            ['H', coef.perp],
          ] as [Polarization, Complex][]) {
            const ant: AntennaSpec = { pattern: 'iso', polarization: pol };
            const [path] = evaluatePaths(scene, tx, rx, [reflectionGeometry(tx, rx)], materials, {
              frequencyHz: F,
              materialModel: model,
              txAntenna: ant,
              rxAntenna: ant,
            });
            const expected = (LAMBDA / (4 * Math.PI * unfolded)) ** 2 * cabs2(r);
            expect(Math.abs(db(cabs2(path!.a)) - db(expected))).toBeLessThan(0.01);
            expect(Math.abs(path!.length - unfolded)).toBeLessThan(1e-12);
          }
        }
      });
    }
  }
  it('reproduces docs/physics.md numbers: concrete half-space |r| 45° ⊥/∥ 0.5107/0.2609, 80° 0.8454/0.3885; slab 45° 0.5108/0.2609', () => {
    const scene = plateScene('c');
    const materials = { c: ituRadio('concrete', F) };
    const check = (angle: number, model: 'halfspace' | 'slab', pol: Polarization, r: number) => {
      const { tx, rx, unfolded } = linkAtAngle(angle);
      const ant: AntennaSpec = { pattern: 'iso', polarization: pol };
      const [path] = evaluatePaths(scene, tx, rx, [reflectionGeometry(tx, rx)], materials, {
        frequencyHz: F,
        materialModel: model,
        txAntenna: ant,
        rxAntenna: ant,
      });
      const fspl = (LAMBDA / (4 * Math.PI * unfolded)) ** 2;
      expect(Math.abs(db(cabs2(path!.a)) - db(fspl * r * r))).toBeLessThan(0.01);
    };
    check(45, 'halfspace', 'H', 0.5107);
    check(45, 'halfspace', 'V', 0.2609);
    check(80, 'halfspace', 'H', 0.8454);
    check(80, 'halfspace', 'V', 0.3885);
    check(45, 'slab', 'H', 0.5108);
    check(45, 'slab', 'V', 0.2609);
    check(0, 'slab', 'V', 0.393);
  });
  it('perfect conductor limit: the reflected field is the image source field with r⊥ = −1, r∥ = +1', () => {
    const scene = plateScene('pec');
    const materials = { pec: { ...ituRadio('metal', F), conductivity: 1e30 } };
    for (const pol of ['V', 'H'] as Polarization[]) {
      const { tx, rx, unfolded } = linkAtAngle(50);
      const ant: AntennaSpec = { pattern: 'iso', polarization: pol };
      const [path] = evaluatePaths(scene, tx, rx, [reflectionGeometry(tx, rx)], materials, {
        frequencyHz: F,
        materialModel: 'halfspace',
        txAntenna: ant,
        rxAntenna: ant,
      });
      const [los] = evaluatePaths(scene, tx, rx, [LOS], materials, {
        frequencyHz: F,
        txAntenna: ant,
        rxAntenna: ant,
      });
      // relative to the LoS (same antennas): same sign for V (∥, +1), opposite for H (⊥, −1)
      const ratio = path!.a.re / los!.a.re;
      const expected = (pol === 'V' ? 1 : -1) * (Math.hypot(rx[0] - tx[0], rx[2] - tx[2]) / unfolded);
      expect(ratio).toBeCloseTo(expected, 9);
      expect(Math.abs(path!.a.im)).toBeLessThan(1e-9 * cabs(path!.a));
    }
  });
  it('normal incidence (k̂ ∥ n̂) is handled', () => {
    const scene = plateScene('m');
    const materials = { m: ituRadio('marble', F) };
    const tx: Vec3 = [0, 0, 2];
    const rx: Vec3 = [0, 0, 1];
    const p = ituParameters('marble', F);
    const eta = complexRelativePermittivity(p.relativePermittivity, p.conductivity, F);
    for (const pol of ['V', 'H', '+45'] as Polarization[]) {
      const ant: AntennaSpec = { pattern: 'iso', polarization: pol };
      const [path] = evaluatePaths(scene, tx, rx, [reflectionGeometry(tx, rx)], materials, {
        frequencyHz: F,
        txAntenna: ant,
        rxAntenna: ant,
      });
      const r = slabCoefficients(eta, 1, 0.1, F).reflection.perp;
      expect(Number.isFinite(path!.a.re)).toBe(true);
      expect(Math.abs(db(cabs2(path!.a)) - db((LAMBDA / (4 * Math.PI * 3)) ** 2 * cabs2(r)))).toBeLessThan(
        0.01,
      );
    }
  });
});

describe('two-ray ground model (issue 3 acceptance 3)', () => {
  it('28 GHz, iso H, Tx 2 m / Rx 1.5 m over metal: 72.32 / 76.18 / 86.22 / 94.21 / 95.83 dB', () => {
    const scene = plateScene('itu_metal', 4000);
    const materials = { itu_metal: ituRadio('metal', F) };
    const ant: AntennaSpec = { pattern: 'iso', polarization: 'H' };
    const expected: [number, number][] = [
      [5, 72.32],
      [10, 76.18],
      [20, 86.22],
      [50, 94.21],
      [100, 95.83],
    ];
    for (const [d, pl] of expected) {
      const tx: Vec3 = [0, 0, 2];
      const rx: Vec3 = [d, 0, 1.5];
      const paths = evaluatePaths(scene, tx, rx, [LOS, reflectionGeometry(tx, rx)], materials, {
        frequencyHz: F,
        txAntenna: ant,
        rxAntenna: ant,
      });
      let re = 0;
      let im = 0;
      for (const p of paths) {
        const ph = -2 * Math.PI * F * p.delay;
        re += p.a.re * Math.cos(ph) - p.a.im * Math.sin(ph);
        im += p.a.re * Math.sin(ph) + p.a.im * Math.cos(ph);
      }
      expect(Math.abs(-db(re * re + im * im) - pl)).toBeLessThan(0.1);
    }
  });
});
