import { describe, expect, it } from 'vitest';
import { cabs2 } from '../core/complex.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import { normalize, type Vec3 } from '../core/vec3.ts';
import type { PathGeometry } from '../tracer/path.ts';
import type { Polarization } from './antenna.ts';
import { evaluatePaths } from './index.ts';
import { type ScatteringPattern, scatteringPatternValue } from './scattering.ts';
import { ituRadio, plateScene } from './testScenes.ts';

const F = 28e9;
const LAMBDA = SPEED_OF_LIGHT / F;
const db = (x: number) => 10 * Math.log10(x);
const N: Vec3 = [0, 0, 1];

/** ∫ over the upper hemisphere of g(k̂s) dΩ, midpoint rule in (θ, φ). */
function hemisphereIntegral(g: (k: Vec3) => number, nTheta = 300, nPhi = 600): number {
  let sum = 0;
  const dt = Math.PI / 2 / nTheta;
  const dp = (2 * Math.PI) / nPhi;
  for (let i = 0; i < nTheta; i++) {
    const t = (i + 0.5) * dt;
    const st = Math.sin(t);
    const ct = Math.cos(t);
    for (let j = 0; j < nPhi; j++) {
      const p = (j + 0.5) * dp;
      sum += g([st * Math.cos(p), st * Math.sin(p), ct]) * st * dt * dp;
    }
  }
  return sum;
}

const incident = (thetaDeg: number): Vec3 => {
  const t = (thetaDeg * Math.PI) / 180;
  return [Math.sin(t), 0, -Math.cos(t)]; // propagating down onto z = 0
};

describe('scattering patterns integrate to 1 over the hemisphere (issue 3 acceptance 5)', () => {
  const patterns: [string, ScatteringPattern][] = [
    ['lambertian', { kind: 'lambertian' }],
    ['directive αR=1', { kind: 'directive', alphaR: 1 }],
    ['directive αR=4', { kind: 'directive', alphaR: 4 }],
    ['directive αR=12', { kind: 'directive', alphaR: 12 }],
    ['backscattering αR=5 αI=2 Λ=0.7', { kind: 'backscattering', alphaR: 5, alphaI: 2, lambda: 0.7 }],
    ['backscattering αR=9 αI=3 Λ=0.25', { kind: 'backscattering', alphaR: 9, alphaI: 3, lambda: 0.25 }],
  ];
  for (const [name, pattern] of patterns) {
    it(name, () => {
      for (const thetaI of [0, 30, 60, 85]) {
        const kIn = incident(thetaI);
        const total = hemisphereIntegral((k) => scatteringPatternValue(pattern, kIn, k, N));
        expect(Math.abs(total - 1)).toBeLessThan(1e-3);
      }
    });
  }
  it('directive lobe peaks in the specular direction, backscattering lobe also towards the source', () => {
    const kIn = incident(40);
    const kr: Vec3 = [kIn[0], kIn[1], -kIn[2]];
    const dir: ScatteringPattern = { kind: 'directive', alphaR: 6 };
    const off = normalize([kr[0] + 0.3, kr[1], kr[2]]);
    expect(scatteringPatternValue(dir, kIn, kr, N)).toBeGreaterThan(scatteringPatternValue(dir, kIn, off, N));
    const back: ScatteringPattern = { kind: 'backscattering', alphaR: 6, alphaI: 6, lambda: 0.5 };
    const toSource: Vec3 = [-kIn[0], -kIn[1], -kIn[2]];
    expect(scatteringPatternValue(back, kIn, toSource, N)).toBeGreaterThan(
      10 * scatteringPatternValue(back, kIn, [0, 1, 0.05].map((x) => x / Math.hypot(0, 1, 0.05)) as Vec3, N),
    );
  });
});

function scatterGeometry(point: Vec3, area: number): PathGeometry {
  return {
    kind: 'scattered',
    interactions: [{ type: 'scattering', objectIndex: 0, faceIndex: 0, point, area }],
    length: 0,
  };
}

describe('scattering from a metal plate: far-field formula (issue 3 acceptance 5)', () => {
  const scene = plateScene('itu_metal');
  const tx: Vec3 = [-30, 0, 40];
  const rx: Vec3 = [20, 25, 35];
  for (const S of [0.3, 0.7, 1]) {
    for (const pol of ['V', 'H'] as Polarization[]) {
      it(`S = ${S}, ${pol}: a 0.2 m plate of 20×20 patches matches λ/(4π·ri·rs)·√(cosθi·dA·f)·S within 0.5 dB`, () => {
        const materials = { itu_metal: ituRadio('metal', F, { scatteringCoefficient: S }) };
        const ant = { pattern: 'iso' as const, polarization: pol };
        // far-field formula for the whole plate (centre at the origin, area A)
        const side = 0.2;
        const A = side * side;
        const ri = Math.hypot(...tx);
        const rs = Math.hypot(...rx);
        const cosI = tx[2] / ri;
        const kIn: Vec3 = [-tx[0] / ri, -tx[1] / ri, -tx[2] / ri];
        const f = scatteringPatternValue(
          { kind: 'lambertian' },
          kIn,
          [rx[0] / rs, rx[1] / rs, rx[2] / rs],
          N,
        );
        const formula = (LAMBDA / (4 * Math.PI * ri * rs)) ** 2 * cosI * A * f * S * S;
        // the plate as many scattering points, powers summed (diffuse: incoherent)
        const n = 20;
        const geos: PathGeometry[] = [];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const p: Vec3 = [(-0.5 + (i + 0.5) / n) * side, (-0.5 + (j + 0.5) / n) * side, 0];
            geos.push(scatterGeometry(p, A / (n * n)));
          }
        }
        const paths = evaluatePaths(scene, tx, rx, geos, materials, {
          frequencyHz: F,
          txAntenna: ant,
          rxAntenna: ant,
        });
        const power = paths.reduce((s, p) => s + cabs2(p.a), 0);
        expect(Math.abs(db(power) - db(formula))).toBeLessThan(0.5);
      });
    }
  }
  it('energy: power scattered into the hemisphere = S² × power intercepted by the patch (metal, |r| ≈ 1)', () => {
    const S = 0.6;
    const materials = { itu_metal: ituRadio('metal', F, { scatteringCoefficient: S, xpdCoefficient: 0.3 }) };
    const src: Vec3 = [-3, 1, 4];
    const ri = Math.hypot(...src);
    const cosI = src[2] / ri;
    const dA = 1e-4;
    const R = 50; // receivers on a hemisphere of radius R around the patch
    // Two receive polarizations capture the full scattered power (V and H are orthogonal).
    let total = 0;
    const nT = 60;
    const nP = 120;
    for (const pol of ['V', 'H'] as Polarization[]) {
      const ant = { pattern: 'iso' as const, polarization: pol };
      const geos: PathGeometry[] = [scatterGeometry([0, 0, 0], dA)];
      for (let i = 0; i < nT; i++) {
        const t = ((i + 0.5) * Math.PI) / 2 / nT;
        for (let j = 0; j < nP; j++) {
          const p = ((j + 0.5) * 2 * Math.PI) / nP;
          const rx: Vec3 = [R * Math.sin(t) * Math.cos(p), R * Math.sin(t) * Math.sin(p), R * Math.cos(t)];
          const [path] = evaluatePaths(scene, src, rx, geos, materials, {
            frequencyHz: F,
            txAntenna: { pattern: 'iso', polarization: 'V' },
            rxAntenna: ant,
          });
          total += cabs2(path!.a) * R * R * Math.sin(t) * (Math.PI / 2 / nT) * ((2 * Math.PI) / nP);
        }
      }
    }
    // intercepted: |a_inc|²-equivalent flux (λ/4π·ri)² × cosθi·dA; metal |r|² = 0.9988 … 0.9999
    const intercepted = (LAMBDA / (4 * Math.PI * ri)) ** 2 * cosI * dA;
    expect(Math.abs(total / (S * S * intercepted) - 1)).toBeLessThan(3e-3);
  });
});
