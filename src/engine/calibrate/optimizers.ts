import { EarlyStop, type EarlyStopOptions } from './earlyStop.ts';
import { cholesky, choleskySolve, normalEquations } from './linalg.ts';

/**
 * Optimisers over the unconstrained parameters z. An objective gives, at z, the weighted
 * residuals and their Jacobian (for Levenberg–Marquardt on Σλr²) and the paper's loss and its
 * gradient (for Adam on Σλ|r|/N).
 */
export interface ObjectiveEvaluation {
  r: Float64Array;
  /** ∂r/∂z, m×n row-major */
  J: Float64Array;
  m: number;
  weights: Float64Array;
  /** paper loss (mean absolute form) */
  loss: number;
  /** ∂loss/∂z */
  lossGrad: Float64Array;
}

export interface Objective {
  n: number;
  evaluate(z: Float64Array): Promise<ObjectiveEvaluation>;
  /**
   * Switch to a more precise evaluation (float32 WebGPU kernels → the float64 CPU chain) when
   * the optimiser can no longer make progress; true if it did (then the optimiser re-evaluates
   * and goes on). Absent or false: the evaluation is as precise as it gets.
   */
  refine?(): Promise<boolean>;
  /** relative precision of the evaluation (≈1e-6 for float32 kernels; absent: float64) */
  precisionFloor?: number;
  /** physical parameters at z (for the early stop on θ and for progress) */
  physical(z: Float64Array): Float64Array;
}

export type OptimizerKind = 'lm' | 'adam';
export type StopReason =
  | 'early_stop'
  | 'max_iterations'
  | 'converged'
  | 'no_progress'
  | 'stalled'
  | 'aborted';

export interface IterationReport {
  iteration: number;
  loss: number;
  /** Σλr², the LM cost */
  cost: number;
  theta: Float64Array;
  /** LM damping μ or Adam learning rate */
  step: number;
}

export interface OptimizeOptions {
  maxIterations: number;
  earlyStop: EarlyStopOptions;
  onIteration?: (report: IterationReport) => void;
  signal?: AbortSignal;
  /** Adam learning rate (in z units per step) */
  learningRate?: number;
  /** LM: stop when the cost fell less than 1 % over this many iterations (default 4; 0 = never) */
  stallWindow?: number;
  /**
   * Awaited before every iteration: a host that must stay reachable (the studio's worker) yields
   * to its event loop here and waits while the person has paused the run.
   */
  beforeIteration?: () => Promise<void>;
}

export interface OptimizeResult {
  z: Float64Array;
  iterations: number;
  lossHistory: number[];
  stoppedBecause: StopReason;
  final: ObjectiveEvaluation;
}

export const cost = (e: ObjectiveEvaluation): number => {
  let c = 0;
  for (let i = 0; i < e.m; i++) c += e.weights[i]! * e.r[i]! ** 2;
  return c;
};

/**
 * Levenberg–Marquardt with Marquardt's diagonal scaling: solve (JᵀWJ + μ·diag(JᵀWJ))δ = −JᵀWr;
 * accept when Σλr² decreases (μ ÷ 3), otherwise raise μ (× 4) and retry at the same z.
 * One iteration = one accepted step (or failure to find one).
 */
export async function levenbergMarquardt(
  objective: Objective,
  z0: Float64Array,
  options: OptimizeOptions,
): Promise<OptimizeResult> {
  const n = objective.n;
  let z = Float64Array.from(z0);
  let current = await objective.evaluate(z);
  let currentCost = cost(current);
  const lossHistory = [current.loss];
  const stop = new EarlyStop(options.earlyStop);
  stop.update(current.loss, objective.physical(z));
  // A cautious start (μ₀ = 1e-2) and steps of at most 0.5 in z (a factor e^0.5 ≈ 1.65 on σ)
  // keep the first Gauss–Newton steps from jumping into another basin of the coherent loss.
  let mu = 1e-2;
  const MAX_STEP = 0.5;
  const costHistory = [currentCost];
  let iterations = 0;
  let reason: StopReason = 'max_iterations';
  while (iterations < options.maxIterations) {
    await options.beforeIteration?.();
    if (options.signal?.aborted) {
      reason = 'aborted';
      break;
    }
    if (currentCost === 0) {
      reason = 'converged';
      break;
    }
    const { JtJ, Jtr } = normalEquations(current.J, current.r, current.m, n, current.weights);
    let gradNorm = 0;
    for (let k = 0; k < n; k++) gradNorm = Math.max(gradNorm, Math.abs(Jtr[k]!));
    if (gradNorm <= 1e-300) {
      reason = 'converged';
      break;
    }
    let accepted = false;
    for (let attempt = 0; attempt < 30 && !accepted; attempt++) {
      const A = Float64Array.from(JtJ);
      // Marquardt scaling with a floor so that insensitive directions stay bounded
      let maxDiag = 0;
      for (let k = 0; k < n; k++) maxDiag = Math.max(maxDiag, JtJ[k * n + k]!);
      for (let k = 0; k < n; k++) A[k * n + k]! += mu * Math.max(JtJ[k * n + k]!, 1e-12 * maxDiag, 1e-300);
      const L = cholesky(A, n);
      if (!L) {
        mu *= 4;
        continue;
      }
      const delta = choleskySolve(
        L,
        n,
        Jtr.map((g) => -g),
      );
      // Bound each component of the step in z (log-scale): one step changes a parameter by at
      // most a factor e^±0.5. Clipping per component (not scaling the whole vector) keeps a
      // weakly seen parameter with a huge Gauss–Newton step (e.g. S starting near 0 in the
      // sigmoid's tail) from freezing all the others.
      const trial = z.map((x, k) => x + Math.max(-MAX_STEP, Math.min(MAX_STEP, delta[k]!)));
      const next = await objective.evaluate(trial);
      const nextCost = cost(next);
      if (Number.isFinite(nextCost) && nextCost < currentCost) {
        z = trial;
        current = next;
        currentCost = nextCost;
        mu = Math.max(mu / 3, 1e-12);
        accepted = true;
        // residuals within 100× of a float32 evaluation's precision: its steps would follow its
        // rounding, not the data — the rest of the run goes on in float64
        const floor = objective.precisionFloor ?? 0;
        if (
          floor > 0 &&
          Math.sqrt(currentCost / Math.max(1, current.m)) < 100 * floor &&
          (await objective.refine?.())
        ) {
          current = await objective.evaluate(z);
          currentCost = cost(current);
        }
      } else {
        mu *= 4;
        if (mu > 1e16) break;
      }
    }
    if (!accepted) {
      // at the precision floor of a float32 evaluation: go on in float64 from here
      if (await objective.refine?.()) {
        current = await objective.evaluate(z);
        currentCost = cost(current);
        mu = 1e-2;
        continue;
      }
      reason = 'no_progress';
      break;
    }
    iterations++;
    lossHistory.push(current.loss);
    costHistory.push(currentCost);
    const theta = objective.physical(z);
    options.onIteration?.({ iteration: iterations, loss: current.loss, cost: currentCost, theta, step: mu });
    if (stop.update(current.loss, theta)) {
      reason = 'early_stop';
      break;
    }
    // Stalled: less than 1 % decrease of the cost over the last STALL_WINDOW steps. At a noisy
    // optimum that is convergence; on noise-free data it flags a local minimum (calibrate() restarts).
    const w = options.stallWindow ?? 4;
    if (w > 0 && costHistory.length > w && currentCost > 0.99 * costHistory[costHistory.length - 1 - w]!) {
      reason = 'stalled';
      break;
    }
  }
  return { z, iterations, lossHistory, stoppedBecause: reason, final: current };
}

/**
 * Adam (Kingma & Ba) on the paper's loss, as paper 003 does with Sionna/Mitsuba: β1 0.9,
 * β2 0.999, ε 1e-8, learning rate configurable; parameters are the unconstrained z.
 */
export async function adam(
  objective: Objective,
  z0: Float64Array,
  options: OptimizeOptions,
): Promise<OptimizeResult> {
  const n = objective.n;
  const lr = options.learningRate ?? 0.05;
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  const z = Float64Array.from(z0);
  const m1 = new Float64Array(n);
  const m2 = new Float64Array(n);
  let current = await objective.evaluate(z);
  const lossHistory = [current.loss];
  const stop = new EarlyStop(options.earlyStop);
  stop.update(current.loss, objective.physical(z));
  let iterations = 0;
  let reason: StopReason = 'max_iterations';
  // Adam's loss is not monotone: an interrupted run returns the best iterate seen, not the last.
  let best = { z: Float64Array.from(z), ev: current };
  while (iterations < options.maxIterations) {
    await options.beforeIteration?.();
    if (options.signal?.aborted) {
      reason = 'aborted';
      break;
    }
    const g = current.lossGrad;
    iterations++;
    for (let k = 0; k < n; k++) {
      m1[k] = b1 * m1[k]! + (1 - b1) * g[k]!;
      m2[k] = b2 * m2[k]! + (1 - b2) * g[k]! ** 2;
      const mh = m1[k]! / (1 - b1 ** iterations);
      const vh = m2[k]! / (1 - b2 ** iterations);
      z[k]! -= (lr * mh) / (Math.sqrt(vh) + eps);
    }
    current = await objective.evaluate(z);
    if (current.loss < best.ev.loss) best = { z: Float64Array.from(z), ev: current };
    lossHistory.push(current.loss);
    const theta = objective.physical(z);
    options.onIteration?.({
      iteration: iterations,
      loss: current.loss,
      cost: cost(current),
      theta,
      step: lr,
    });
    if (stop.update(current.loss, theta)) {
      reason = 'early_stop';
      break;
    }
  }
  if (reason === 'aborted')
    return { z: best.z, iterations, lossHistory, stoppedBecause: reason, final: best.ev };
  return { z, iterations, lossHistory, stoppedBecause: reason, final: current };
}
