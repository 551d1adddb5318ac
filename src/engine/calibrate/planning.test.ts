import { beforeAll, describe, expect, it } from 'vitest';
import { fresnelChainModel, randomChainLinks } from '../../test/oracles/fresnelChainModel.ts';
import { seededRandom } from '../core/random.ts';
import type { TrainableParameter } from './parameters.ts';
import {
  candidateRows,
  informationGain,
  planMeasurements,
  priorAveragedRows,
  priorSamples,
  randomSubset,
} from './planning.ts';

const F = 28e9;
const MATERIALS = {
  brick: { relativePermittivity: 3.91, conductivity: 0.0406, scatteringCoefficient: 0 },
  wood: { relativePermittivity: 1.99, conductivity: 0.1672, scatteringCoefficient: 0 },
  marble: { relativePermittivity: 7.074, conductivity: 0.1204, scatteringCoefficient: 0 },
};
const PARAMS: TrainableParameter[] = Object.keys(MATERIALS).map((owner) => ({
  owner,
  name: 'relative_permittivity',
}));
const THETA = Float64Array.from([3.91, 1.99, 7.074]);

describe('D-optimal measurement planning', () => {
  const links = randomChainLinks(Object.keys(MATERIALS), 60, 11);
  const model = fresnelChainModel(links, MATERIALS, PARAMS, F);
  let rows: Float64Array[] = [];
  beforeAll(async () => {
    rows = candidateRows(await model.evaluate(THETA), PARAMS, THETA, {
      metrics: ['path_gain_db', 'rms_delay_spread_ns'],
    });
  });

  it('prior-averaged rows give the mean information matrix of the samples', async () => {
    const samples = priorSamples(PARAMS, THETA, 3, 0.5, 4);
    expect(samples[0]).toEqual(THETA);
    const avg = await priorAveragedRows((t) => model.evaluate(t), PARAMS, samples, {
      metrics: ['path_gain_db'],
    });
    const per: Float64Array[][] = [];
    for (const t of samples)
      per.push(candidateRows(await model.evaluate(t), PARAMS, t, { metrics: ['path_gain_db'] }));
    const n = PARAMS.length;
    const gram = (R: Float64Array, a: number, b: number) => {
      let v = 0;
      for (let r = 0; r < R.length / n; r++) v += R[r * n + a]! * R[r * n + b]!;
      return v;
    };
    for (const c of [0, 7, 23]) {
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          const mean = per.reduce((s, rows) => s + gram(rows[c]!, a, b), 0) / samples.length;
          expect(gram(avg[c]!, a, b)).toBeCloseTo(mean, 10);
        }
      }
    }
  });

  it('information gain is ½ log det(I + s₀² Σ RᵀR), checked on a hand-computable case', () => {
    // one parameter, two candidates with rows 2 and 1: gain = ½ ln(1 + s₀²(4 + 1))
    const r = [Float64Array.from([2]), Float64Array.from([1])];
    expect(informationGain(r, [0, 1], 1, 0.5)).toBeCloseTo(0.5 * Math.log(1 + 0.25 * 5), 12);
    expect(informationGain(r, [], 1, 0.5)).toBe(0);
  });

  it('the first greedy pick is the single most informative candidate (brute force)', () => {
    const plan = planMeasurements(rows, PARAMS.length, { count: 1 });
    const gains = rows.map((_, c) => informationGain(rows, [c], PARAMS.length));
    const best = gains.indexOf(Math.max(...gains));
    expect(plan.chosen[0]).toBe(best);
    expect(plan.informationGain).toBeCloseTo(gains[best]!, 10);
  });

  it('greedy picks carry more information than random picks of the same size', () => {
    for (const count of [3, 6, 12]) {
      const plan = planMeasurements(rows, PARAMS.length, { count, randomTrials: 100, seed: 2 });
      expect(new Set(plan.chosen).size).toBe(count);
      expect(plan.informationGain).toBeGreaterThan(plan.randomInformationGain);
      // greedy is within the (1 − 1/e) guarantee of the best of many random draws
      const rnd = seededRandom(9);
      let bestRandom = 0;
      for (let t = 0; t < 300; t++)
        bestRandom = Math.max(
          bestRandom,
          informationGain(rows, randomSubset(rows.length, count, rnd), PARAMS.length),
        );
      expect(plan.informationGain).toBeGreaterThanOrEqual((1 - 1 / Math.E) * bestRandom);
      // the marginal gains add up to the total (chain rule of log det)
      expect(plan.marginalGains.reduce((s, g) => s + g, 0)).toBeCloseTo(plan.informationGain, 8);
    }
  });
});
