import { gaussian, seededRandom } from '../core/random.ts';
import { metricWithGradient } from '../metrics/linkMetrics.ts';
import type { LinkStats } from '../metrics/linkStats.ts';
import { cholesky, logDetSpd, spdInverse } from './linalg.ts';
import { physicalDerivative, type TrainableParameter, toPhysical, toUnconstrained } from './parameters.ts';

/**
 * Measurement planning: choose N of the candidate Tx–Rx links that maximise the information the
 * soundings carry about the trainable parameters. Bayesian D-optimal design on the linearised
 * model at the prior: each candidate c contributes rows R_c = (∂m/∂z)/σ_noise (m its sounded
 * metrics, z the unconstrained parameters), the information matrix is M = I/s₀² + Σ R_cᵀR_c
 * (s₀ the prior std of z), and the information gain is ½·log det(M·s₀²) nats. Greedy selection
 * adds the candidate with the largest log det(I + R_c M⁻¹ R_cᵀ), which is near-optimal
 * because log det is submodular.
 */
export type PlanMetric = 'coherent_gain_db' | 'path_gain_db' | 'rms_delay_spread_ns';

export interface PlanOptions {
  count: number;
  frequencyHz: number;
  /** sounded metrics (default: coherent gain, the RSS of the NAE loss) */
  metrics?: readonly PlanMetric[];
  /** noise std of each metric: dB for gains (default 1), ns for delay spread (default 1) */
  noiseDb?: number;
  noiseNs?: number;
  /** prior std of z (log-scale for σ, ε'r − 1; default 0.5 ≈ the ±50 % of paper 003's δ) */
  priorStd?: number;
  /** random subsets drawn for the comparison (default 200) */
  randomTrials?: number;
  seed?: number;
}

export interface PlanResult {
  /** indices of the chosen candidates, in order of choice */
  chosen: number[];
  /** information gain of the chosen set (nats) */
  informationGain: number;
  /** mean information gain of random sets of the same size (nats) */
  randomInformationGain: number;
  /** per chosen candidate, the gain its addition brought (nats) */
  marginalGains: number[];
}

/** Information rows of every candidate link (links of the statistics): (∂metric/∂z)/noise, k×n row-major. */
export function candidateRows(
  stats: LinkStats,
  parameters: readonly TrainableParameter[],
  theta: Float64Array,
  options: Pick<PlanOptions, 'metrics' | 'noiseDb' | 'noiseNs'>,
): Float64Array[] {
  const n = parameters.length;
  const metrics = options.metrics ?? ['coherent_gain_db'];
  const scale = parameters.map((p, k) => physicalDerivative(p.name, toUnconstrained(p.name, theta[k]!)));
  return Array.from({ length: stats.links }, (_, l) => {
    const rows = new Float64Array(metrics.length * n);
    if (stats.pathCount[l] === 0) return rows;
    metrics.forEach((m, j) => {
      const g = metricWithGradient(stats, l, m);
      const noise = m === 'rms_delay_spread_ns' ? (options.noiseNs ?? 1) : (options.noiseDb ?? 1);
      for (let k = 0; k < n; k++)
        rows[j * n + k] = Number.isFinite(g.grad[k]!) ? (g.grad[k]! * scale[k]!) / noise : 0;
    });
    return rows;
  });
}

/**
 * Rows averaged over the prior (Bayesian D-optimality): the information matrix of a candidate
 * is the mean of RᵀR at `samples` parameter vectors drawn from the prior, so that a link whose
 * information hinges on the exact phases at the nominal values (a coherent null that moves when
 * σ changes) does not look better than it is. Stacking the rows of each sample scaled by 1/√K
 * gives exactly that mean.
 */
export async function priorAveragedRows(
  evaluate: (theta: Float64Array) => Promise<LinkStats>,
  parameters: readonly TrainableParameter[],
  samples: readonly Float64Array[],
  options: Pick<PlanOptions, 'metrics' | 'noiseDb' | 'noiseNs'>,
): Promise<Float64Array[]> {
  const perSample: Float64Array[][] = [];
  for (const theta of samples)
    perSample.push(candidateRows(await evaluate(theta), parameters, theta, options));
  const w = 1 / Math.sqrt(samples.length);
  return perSample[0]!.map((_, c) => {
    const size = perSample[0]![c]!.length;
    const out = new Float64Array(size * samples.length);
    perSample.forEach((rows, s) => {
      for (let i = 0; i < size; i++) out[s * size + i] = rows[c]![i]! * w;
    });
    return out;
  });
}

/** Parameter vectors drawn from the log-normal prior around the nominal values (first = nominal). */
export function priorSamples(
  parameters: readonly TrainableParameter[],
  nominal: Float64Array,
  count: number,
  priorStd: number,
  seed: number,
): Float64Array[] {
  const rnd = seededRandom(seed);
  const out = [Float64Array.from(nominal)];
  for (let s = 1; s < count; s++) {
    out.push(
      Float64Array.from(parameters, (p, k) => {
        const z = toUnconstrained(p.name, nominal[k]!) + priorStd * gaussian(rnd);
        return toPhysical(p.name, z);
      }),
    );
  }
  return out;
}

/** ½·log det(I + s₀²·Σ_{c∈set} R_cᵀR_c): information gain of a set of candidates (nats). */
export function informationGain(
  rows: readonly Float64Array[],
  set: readonly number[],
  n: number,
  priorStd = 0.5,
): number {
  const M = new Float64Array(n * n);
  for (let k = 0; k < n; k++) M[k * n + k] = 1;
  const s2 = priorStd * priorStd;
  for (const c of set) addRows(M, rows[c]!, n, s2);
  return 0.5 * logDetSpd(M, n);
}

function addRows(M: Float64Array, R: Float64Array, n: number, weight: number) {
  const k = R.length / n;
  for (let r = 0; r < k; r++) {
    for (let a = 0; a < n; a++) {
      const ra = R[r * n + a]! * weight;
      if (ra === 0) continue;
      for (let b = 0; b < n; b++) M[a * n + b]! += ra * R[r * n + b]!;
    }
  }
}

export function planMeasurements(
  rows: readonly Float64Array[],
  n: number,
  options: Omit<PlanOptions, 'frequencyHz'>,
): PlanResult {
  const count = Math.min(options.count, rows.length);
  const priorStd = options.priorStd ?? 0.5;
  const s2 = priorStd * priorStd;
  // M in units of the prior: M = I + s₀²·ΣRᵀR
  const M = new Float64Array(n * n);
  for (let k = 0; k < n; k++) M[k * n + k] = 1;
  const chosen: number[] = [];
  const marginalGains: number[] = [];
  const taken = new Uint8Array(rows.length);
  for (let step = 0; step < count; step++) {
    const Minv = spdInverse(M, n)!;
    let best = -1;
    let bestGain = -1;
    for (let c = 0; c < rows.length; c++) {
      if (taken[c]) continue;
      const R = rows[c]!;
      const k = R.length / n;
      // S = I + s₀²·R M⁻¹ Rᵀ (k×k)
      const S = new Float64Array(k * k);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let v = 0;
          for (let a = 0; a < n; a++) {
            const ria = R[i * n + a]!;
            if (ria === 0) continue;
            for (let b = 0; b < n; b++) v += ria * Minv[a * n + b]! * R[j * n + b]!;
          }
          S[i * k + j] = (i === j ? 1 : 0) + s2 * v;
        }
      }
      const L = cholesky(S, k);
      let gain = 0;
      if (L) for (let i = 0; i < k; i++) gain += Math.log(L[i * k + i]!);
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    taken[best] = 1;
    chosen.push(best);
    marginalGains.push(bestGain);
    addRows(M, rows[best]!, n, s2);
  }
  const informationGainValue = 0.5 * logDetSpd(M, n);
  const rnd = seededRandom(options.seed ?? 1);
  const trials = options.randomTrials ?? 200;
  let randomSum = 0;
  for (let t = 0; t < trials; t++)
    randomSum += informationGain(rows, randomSubset(rows.length, count, rnd), n, priorStd);
  return {
    chosen,
    informationGain: informationGainValue,
    randomInformationGain: randomSum / trials,
    marginalGains,
  };
}

/** k distinct indices out of 0…N−1 (partial Fisher–Yates). */
export function randomSubset(N: number, k: number, rnd: () => number): number[] {
  const idx = Array.from({ length: N }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (N - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k);
}
