import { describe, expect, it } from 'vitest';
import { fresnelChainModel, randomChainLinks } from '../../test/oracles/fresnelChainModel.ts';
import type { TrainableParameter } from '../calibrate/parameters.ts';
import { seededRandom } from '../core/random.ts';
import { type FittedMetric, linkMetrics, linkMetricsFromStats, metricWithGradient } from './linkMetrics.ts';
import {
  accumulateLinkStats,
  emptyLinkStats,
  type LinkStats,
  PATH_DETERMINISTIC,
  PATH_DIFFUSE,
  PATH_LOS,
} from './linkStats.ts';

/**
 * Metric derivatives by the chain rule from the link statistics (linkStats.ts + linkMetrics.ts),
 * against central finite differences of the metric values, on a forward model with closed-form
 * derivatives independent of the field code (the Fresnel-chain oracle).
 */
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
async function fd(f: (s: LinkStats) => number, k: number): Promise<number> {
  const h = 1e-6 * THETA[k]!;
  const plus = Float64Array.from(THETA);
  const minus = Float64Array.from(THETA);
  plus[k]! += h;
  minus[k]! -= h;
  return (f(await model.evaluate(plus)) - f(await model.evaluate(minus))) / (2 * h);
}

function expectRelClose(actual: number, expected: number, scale: number) {
  // relative to the largest derivative of that metric (a zero derivative is compared to the scale)
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(expected), scale));
}

const METRICS: FittedMetric[] = [
  'path_gain_db',
  'coherent_gain_db',
  'rms_delay_spread_ns',
  'k_factor_db',
  'angular_spread_deg',
];

describe('metric derivatives by the chain rule from link statistics', () => {
  it.each(METRICS)(
    '%s: gradient within 1e-5 relative of finite differences on every link',
    async (metric) => {
      const base = await model.evaluate(THETA);
      for (let l = 0; l < model.linkCount; l++) {
        const g = metricWithGradient(base, l, metric);
        const scale = Math.max(...Array.from(g.grad, Math.abs));
        expect(scale).toBeGreaterThan(0);
        for (let k = 0; k < PARAMS.length; k++)
          expectRelClose(g.grad[k]!, await fd((s) => metricWithGradient(s, l, metric).value, k), scale);
      }
    },
  );

  it('values agree with the closed forms of linkMetrics on every link', async () => {
    const stats = await model.evaluate(THETA);
    for (let l = 0; l < model.linkCount; l++) {
      const m = linkMetricsFromStats(stats, l);
      expect(metricWithGradient(stats, l, 'path_gain_db').value).toBeCloseTo(m.pathGainDb, 10);
      expect(metricWithGradient(stats, l, 'coherent_gain_db').value).toBeCloseTo(m.coherentGainDb, 8);
      expect(metricWithGradient(stats, l, 'rms_delay_spread_ns').value).toBeCloseTo(
        m.rmsDelaySpreadS * 1e9,
        9,
      );
      expect(metricWithGradient(stats, l, 'k_factor_db').value).toBeCloseTo(m.kFactorDb, 9);
      expect(metricWithGradient(stats, l, 'angular_spread_deg').value).toBeCloseTo(m.angularSpreadDeg, 8);
    }
  });

  it('coherent gain and K with diffuse samples: exact gradients = finite differences (one definition, §10)', () => {
    // a(t) = a₀·(1 + c·t) per path, c complex and different per path: LoS-free link with two
    // deterministic paths and 50 diffuse samples; the metrics as functions of t
    const rnd = seededRandom(9);
    const n = 52;
    const a0 = Float64Array.from({ length: 2 * n }, () => rnd() - 0.5);
    const c = Float64Array.from({ length: 2 * n }, () => 2 * rnd() - 1);
    const delayS = Float64Array.from({ length: n }, (_, i) => 30e-9 + i * 0.37e-9);
    const kind = Uint8Array.from({ length: n }, (_, i) => (i < 2 ? PATH_DETERMINISTIC : PATH_DIFFUSE));
    const statsAt = (t: number) => {
      const a = new Float64Array(2 * n);
      const da = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        // a₀·(1 + c·t) and its derivative a₀·c
        const [xr, xi, cr, ci] = [a0[2 * i]!, a0[2 * i + 1]!, c[2 * i]!, c[2 * i + 1]!];
        da[2 * i] = xr * cr - xi * ci;
        da[2 * i + 1] = xr * ci + xi * cr;
        a[2 * i] = xr + t * da[2 * i]!;
        a[2 * i + 1] = xi + t * da[2 * i + 1]!;
      }
      const stats = emptyLinkStats(1, 1);
      accumulateLinkStats(stats, 0, F, { count: n, a, da, offset: 0, delayS, aoaAzimuthDeg: delayS, kind });
      return stats;
    };
    const h = 1e-6;
    for (const metric of ['coherent_gain_db', 'k_factor_db'] as const) {
      const g = metricWithGradient(statsAt(0), 0, metric).grad[0]!;
      const f = (t: number) => metricWithGradient(statsAt(t), 0, metric).value;
      const expected = (f(h) - f(-h)) / (2 * h);
      expect(Math.abs(g - expected), metric).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected)));
      expect(Math.abs(g), metric).toBeGreaterThan(1e-3);
    }
  });

  it('docs/physics.md toy check: 0 dB at 10 ns + −10 dB at 30 ns → τrms 5.750 ns, K 10 dB, ∂K/∂|a₀| = 20/ln10', () => {
    const stats = emptyLinkStats(1, 1);
    accumulateLinkStats(stats, 0, F, {
      count: 2,
      a: [1, 0, Math.sqrt(0.1), 0],
      da: [1, 0, 0, 0],
      offset: 0,
      delayS: [10e-9, 30e-9],
      aoaAzimuthDeg: [0, 90],
      kind: [PATH_LOS, PATH_DETERMINISTIC],
    });
    expect(metricWithGradient(stats, 0, 'rms_delay_spread_ns').value).toBeCloseTo(5.75, 3);
    expect(metricWithGradient(stats, 0, 'k_factor_db').value).toBeCloseTo(10, 10);
    // scaling the LoS amplitude: K_dB = 20·log10|a₀| + const
    expect(metricWithGradient(stats, 0, 'k_factor_db').grad[0]).toBeCloseTo(20 / Math.LN10, 10);
    // the statistics give the same numbers as the path-level entry point
    const m = linkMetrics(
      [
        { a: { re: 1, im: 0 }, delay: 10e-9, aoa: { azimuthDeg: 0 }, kind: 'los' },
        { a: { re: Math.sqrt(0.1), im: 0 }, delay: 30e-9, aoa: { azimuthDeg: 90 }, kind: 'specular' },
      ],
      F,
    );
    expect(m.rmsDelaySpreadS * 1e9).toBeCloseTo(5.75, 3);
  });
});
