import { describe, expect, it } from 'vitest';
import { linkMetrics } from '../metrics/linkMetrics.ts';
import { fresnelChainModel, randomChainLinks } from './fresnelChainModel.ts';
import {
  angularSpreadDegGradient,
  coherentGainDbGradient,
  type DifferentiablePath,
  kFactorDbGradient,
  pathGainDbGradient,
  rmsDelaySpreadNsGradient,
  type ValueAndGradient,
} from './metricGradients.ts';
import type { TrainableParameter } from './parameters.ts';

const F = 28e9;
const MATERIALS = {
  brick: { relativePermittivity: 3.91, conductivity: 0.0406, scatteringCoefficient: 0.2 },
  wood: { relativePermittivity: 1.99, conductivity: 0.1672, scatteringCoefficient: 0.1 },
  marble: { relativePermittivity: 7.074, conductivity: 0.1204, scatteringCoefficient: 0.3 },
};
const PARAMS: TrainableParameter[] = [
  { owner: 'brick', name: 'conductivity' },
  { owner: 'brick', name: 'relative_permittivity' },
  { owner: 'wood', name: 'conductivity' },
  { owner: 'wood', name: 'scattering_coefficient' },
  { owner: 'marble', name: 'conductivity' },
  { owner: 'marble', name: 'relative_permittivity' },
];
const THETA = Float64Array.from([0.0406, 3.91, 0.1672, 0.1, 0.1204, 7.074]);
const model = fresnelChainModel(randomChainLinks(Object.keys(MATERIALS), 6, 7), MATERIALS, PARAMS, F);

/** Central finite difference with a relative step; float64 gives ~1e-9 relative accuracy. */
function fd(f: (theta: Float64Array) => number, k: number): number {
  const h = 1e-6 * THETA[k]!;
  const plus = Float64Array.from(THETA);
  const minus = Float64Array.from(THETA);
  plus[k]! += h;
  minus[k]! -= h;
  return (f(plus) - f(minus)) / (2 * h);
}

function expectRelClose(actual: number, expected: number, scale: number) {
  // relative to the largest derivative of that metric (a zero derivative is compared to the scale)
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(expected), scale));
}

describe('Fresnel chain model derivatives', () => {
  it('∂a/∂θ matches finite differences for every path and parameter', () => {
    const base = model.evaluate(THETA);
    for (let l = 0; l < base.length; l++) {
      for (let j = 0; j < base[l]!.length; j++) {
        for (let k = 0; k < PARAMS.length; k++) {
          const re = fd((t) => model.evaluate(t)[l]![j]!.a.re, k);
          const im = fd((t) => model.evaluate(t)[l]![j]!.a.im, k);
          const p = base[l]![j]!;
          const scale = Math.hypot(p.a.re, p.a.im) * 1e-3;
          expectRelClose(p.dA[2 * k]!, re, scale);
          expectRelClose(p.dA[2 * k + 1]!, im, scale);
        }
      }
    }
  });
});

describe('metric derivatives by the chain rule', () => {
  const metrics: [string, (paths: DifferentiablePath[]) => ValueAndGradient][] = [
    ['path gain dB', (p) => pathGainDbGradient(p, PARAMS.length)],
    ['coherent gain dB', (p) => coherentGainDbGradient(p, PARAMS.length, F)],
    ['RMS delay spread ns', (p) => rmsDelaySpreadNsGradient(p, PARAMS.length)],
    ['K-factor dB', (p) => kFactorDbGradient(p, PARAMS.length)],
    ['angular spread deg', (p) => angularSpreadDegGradient(p, PARAMS.length)],
  ];
  it.each(metrics)(
    '%s: gradient within 1e-5 relative of finite differences on every link',
    (_name, metric) => {
      const base = model.evaluate(THETA);
      for (let l = 0; l < base.length; l++) {
        const g = metric(base[l]!);
        const scale = Math.max(...Array.from(g.grad, Math.abs));
        expect(scale).toBeGreaterThan(0);
        for (let k = 0; k < PARAMS.length; k++) {
          expectRelClose(
            g.grad[k]!,
            fd((t) => metric(model.evaluate(t)[l]!).value, k),
            scale,
          );
        }
      }
    },
  );

  it('values agree with the metrics module on every link', () => {
    for (const paths of model.evaluate(THETA)) {
      const ref = linkMetrics(
        paths.map((p) => ({
          a: p.a,
          delay: p.delay,
          aoa: { azimuthDeg: p.aoaAzimuthDeg },
          kind: p.los ? 'los' : 'specular',
        })),
        F,
      );
      const n = PARAMS.length;
      expect(pathGainDbGradient(paths, n).value).toBeCloseTo(ref.pathGainDb, 10);
      expect(coherentGainDbGradient(paths, n, F).value).toBeCloseTo(ref.coherentGainDb, 8);
      expect(rmsDelaySpreadNsGradient(paths, n).value).toBeCloseTo(ref.rmsDelaySpreadS * 1e9, 9);
      expect(kFactorDbGradient(paths, n).value).toBeCloseTo(ref.kFactorDb, 9);
      expect(angularSpreadDegGradient(paths, n).value).toBeCloseTo(ref.angularSpreadDeg, 8);
    }
  });

  it('docs/physics.md toy check: 0 dB at 10 ns + −10 dB at 30 ns → τrms 5.750 ns, K 10 dB', () => {
    const paths: DifferentiablePath[] = [
      { a: { re: 1, im: 0 }, dA: Float64Array.from([1, 0]), delay: 10e-9, aoaAzimuthDeg: 0, los: true },
      {
        a: { re: Math.sqrt(0.1), im: 0 },
        dA: Float64Array.from([0, 0]),
        delay: 30e-9,
        aoaAzimuthDeg: 90,
        los: false,
      },
    ];
    expect(rmsDelaySpreadNsGradient(paths, 1).value).toBeCloseTo(5.75, 3);
    expect(kFactorDbGradient(paths, 1).value).toBeCloseTo(10, 10);
    // Scaling the LoS amplitude: ∂K_dB/∂|a₀| = 20/ln10 at |a₀| = 1.
    expect(kFactorDbGradient(paths, 1).grad[0]).toBeCloseTo(20 / Math.LN10, 10);
  });
});
