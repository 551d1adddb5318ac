import { gaussian, seededRandom } from '../core/random.ts';
import type { Sounding } from '../io/soundings.ts';
import type { EarlyStopOptions } from './earlyStop.ts';
import type { ForwardModel } from './forwardModel.ts';
import {
  type CalibrationLoss,
  type LossEvaluation,
  type LossOptions,
  makeLoss,
  type ResidualGroup,
} from './losses.ts';
import {
  adam,
  cost,
  type IterationReport,
  levenbergMarquardt,
  type Objective,
  type ObjectiveEvaluation,
  type OptimizerKind,
  type StopReason,
} from './optimizers.ts';
import { parameterLabel, physicalDerivative, vectorToPhysical, vectorToUnconstrained } from './parameters.ts';
import {
  gaussNewtonUncertainty,
  residualNoiseVariance,
  type UncertaintyResult,
  uninformedParameters,
} from './uncertainty.ts';

/** Calibration cannot start: the message says why and what to do. */
export class CalibrationError extends Error {
  override name = 'CalibrationError';
}

export interface CalibrationOptions {
  model: ForwardModel;
  /** one per model link, same order */
  soundings: readonly Sounding[];
  loss: LossOptions;
  optimizer: OptimizerKind;
  /** initial physical values, in the order of model.parameters */
  initial: Float64Array;
  maxIterations?: number;
  learningRate?: number;
  earlyStop?: Partial<EarlyStopOptions>;
  onIteration?: (report: IterationReport) => void;
  /** awaited before every optimiser iteration (pause / resume in a worker) */
  beforeIteration?: () => Promise<void>;
  signal?: AbortSignal;
  /**
   * Gaussian prior on z centred on `center` (physical values, usually the nominal ITU ones) with
   * std `std` (log-scale for σ and ε'r − 1). When the soundings are noisy (residual noise above
   * 1e-6 after the plain fit), LM re-fits from the initial values a MAP estimate whose data
   * residuals are weighted by the estimated noise: parameters the data cannot see then stay
   * near the prior instead of drifting to absurd values, and their std is the prior's. On
   * noise-free data the plain fit is kept (the prior would only bias it). LM only. `std` is one
   * for all parameters or one per parameter (a vision prior's own width, e.g. on S).
   */
  prior?: { center: Float64Array; std: number | Float64Array };
  /** LM restarts from seeded points around the initial values when the fit is not perfect (default 2) */
  restarts?: number;
  seed?: number;
}

/** RMS residual below which a fit counts as exact (noise-free data, global minimum). */
const PERFECT_FIT_RMS = 1e-6;

export interface CalibrationResult {
  theta: Float64Array;
  uncertainty: UncertaintyResult;
  iterations: number;
  lossHistory: number[];
  stoppedBecause: StopReason;
  earlyStop: EarlyStopOptions;
  lossDescription: string;
  powerScale?: number;
  warnings: string[];
  /** whether the final estimate is the MAP one (prior used) */
  usedPrior: boolean;
  /** LM starts tried (1 + restarts used) */
  starts: number;
}

/** Defaults of eq. 13 per optimiser: LM converges quadratically, Adam jitters around the optimum. */
export const DEFAULT_EARLY_STOP: Record<OptimizerKind, EarlyStopOptions> = {
  lm: { lossTolerance: 1e-9, parameterTolerance: 1e-7, patience: 2 },
  adam: { lossTolerance: 1e-5, parameterTolerance: 1e-4, patience: 5 },
};
export const DEFAULT_MAX_ITERATIONS: Record<OptimizerKind, number> = { lm: 100, adam: 500 };

/** The objective in unconstrained z: chain rule ∂r/∂z = ∂r/∂θ·dθ/dz. */
export function calibrationObjective(
  model: ForwardModel,
  loss: CalibrationLoss,
): Objective & { last?: LossEvaluation } {
  const params = model.parameters;
  const n = params.length;
  const objective: Objective & { last?: LossEvaluation } = {
    n,
    physical: (z) => vectorToPhysical(params, z),
    async evaluate(z): Promise<ObjectiveEvaluation> {
      const theta = vectorToPhysical(params, z);
      const ev = loss.evaluate(await model.evaluate(theta));
      objective.last = ev;
      const scale = params.map((p, k) => physicalDerivative(p.name, z[k]!));
      const J = new Float64Array(ev.m * n);
      for (let i = 0; i < ev.m; i++) for (let k = 0; k < n; k++) J[i * n + k] = ev.J[i * n + k]! * scale[k]!;
      return {
        r: ev.r,
        J,
        m: ev.m,
        weights: ev.weights,
        loss: ev.loss,
        lossGrad: ev.lossGrad.map((g, k) => g * scale[k]!),
      };
    },
    refine: async () => {
      const done = (await model.refine?.()) ?? false;
      if (done) objective.precisionFloor = undefined;
      return done;
    },
    precisionFloor: model.precisionFloor,
  };
  return objective;
}

/**
 * Calibrate the model's parameters against the soundings. `beforeIteration` is awaited before
 * every optimiser iteration (restarts and the prior refit included), so a host can pause between
 * iterations or let messages in. An aborted signal ends the optimisation early and returns the
 * best estimate so far.
 */
export async function calibrate(options: CalibrationOptions): Promise<CalibrationResult> {
  const { model } = options;
  if (options.soundings.length !== model.linkCount)
    throw new Error(`calibrate: ${options.soundings.length} soundings for ${model.linkCount} traced links`);
  if (model.parameters.length === 0)
    throw new CalibrationError('nothing to calibrate: no trainable parameter');
  // A sounded link without any traced path cannot be predicted (zero power): leave it out, say so.
  // (at the optimiser's start θ(z0), which the model then reuses for its first evaluations; path
  // counts do not depend on θ)
  const z0 = vectorToUnconstrained(model.parameters, options.initial);
  const initialStats = await model.evaluate(vectorToPhysical(model.parameters, z0));
  const emptyLinks: number[] = [];
  for (let i = 0; i < model.linkCount; i++) if (initialStats.pathCount[i] === 0) emptyLinks.push(i);
  const soundings = options.soundings.map((s, i) =>
    emptyLinks.includes(i) ? { ...s, metrics: {}, paths: undefined } : s,
  );
  const skipped =
    emptyLinks.length > 0
      ? [
          `${emptyLinks.length} sounded link(s) have no traced path and are ignored (first: ${options.soundings[emptyLinks[0]!]!.origin}); check the positions and the trace depth`,
        ]
      : [];
  if (emptyLinks.length === soundings.length) throw new CalibrationError(skipped[0]!);
  const loss = makeLoss(soundings, options.loss, model.tracedDelays);
  if (
    loss.taps.length !== model.taps.length ||
    loss.taps.some((t, k) => t.link !== model.taps[k]!.link || t.path !== model.taps[k]!.path)
  )
    throw new Error('calibrate: the forward model was built for other path taps than the loss uses');
  const objective = calibrationObjective(model, loss);
  // Refuse parameters that no sounding informs, before spending any iteration on them.
  const first = await objective.evaluate(z0);
  const uninformed = uninformedParameters(model.parameters, first.J, first.m);
  if (uninformed.length > 0) {
    const touching = model.pathsTouching;
    const lines = uninformed.map(({ index }) => {
      const label = parameterLabel(model.parameters[index]!);
      return touching[index] === 0
        ? `  ${label}: no traced path of the ${soundings.length} sounded links interacts with it`
        : `  ${label}: ${touching[index]} traced paths interact with it, but the sounded quantities (${loss.description}) do not depend on it`;
    });
    throw new CalibrationError(
      `no sounding is informative for ${uninformed.length} requested parameter(s):\n${lines.join('\n')}\nadd soundings whose paths reach these materials (rftwin plan), or leave them out of --params`,
    );
  }
  const optimizer = options.optimizer;
  const earlyStop = { ...DEFAULT_EARLY_STOP[optimizer], ...options.earlyStop };
  const run = optimizer === 'lm' ? levenbergMarquardt : adam;
  // One iteration budget for the whole calibration: restarts and the prior refit below
  // spend what the first run left, so --max-iterations caps the total a person sees.
  const budget = options.maxIterations ?? DEFAULT_MAX_ITERATIONS[optimizer];
  const result = await run(objective, z0, {
    maxIterations: budget,
    earlyStop,
    onIteration: options.onIteration,
    beforeIteration: options.beforeIteration,
    signal: options.signal,
    learningRate: options.learningRate,
  });
  let iterations = result.iterations;
  let stoppedBecause = result.stoppedBecause;
  const lossHistory = [...result.lossHistory];
  let starts = 1;
  const rms = (e: ObjectiveEvaluation) => Math.sqrt(cost(e) / Math.max(1, e.m));
  // Restarts (LM): a fit that does not reach a (near) zero residual is either noise or a local
  // minimum of the loss (coherent fades make several). A few seeded starts around the initial
  // values tell them apart; the lowest cost wins.
  if (optimizer === 'lm' && stoppedBecause !== 'aborted' && rms(result.final) > PERFECT_FIT_RMS) {
    const rnd = seededRandom(options.seed ?? 1);
    for (let k = 0; k < (options.restarts ?? 2) && iterations < budget; k++) {
      const start = z0.map((z) => z + 0.5 * gaussian(rnd));
      const again = await run(objective, start, {
        maxIterations: budget - iterations,
        earlyStop,
        onIteration:
          options.onIteration &&
          ((it) => options.onIteration!({ ...it, iteration: iterations + it.iteration })),
        beforeIteration: options.beforeIteration,
        signal: options.signal,
      });
      starts++;
      iterations += again.iterations;
      lossHistory.push(...again.lossHistory);
      if (cost(again.final) < cost(result.final)) {
        result.z = again.z;
        result.final = again.final;
        stoppedBecause = again.stoppedBecause;
      }
      // interrupted during a restart: the best of the starts so far is the result
      if (again.stoppedBecause === 'aborted') stoppedBecause = 'aborted';
      if (rms(result.final) <= PERFECT_FIT_RMS || again.stoppedBecause === 'aborted') break;
    }
  }
  let final = await objective.evaluate(result.z);
  let ev = objective.last!;
  const nuisance = ev.powerScale !== undefined ? 1 : 0;
  let usedPrior = false;
  const prior = options.prior;
  if (
    prior &&
    (typeof prior.std === 'number' ? prior.std > 0 : prior.std.every((s) => s > 0)) &&
    optimizer === 'lm' &&
    stoppedBecause !== 'aborted' &&
    rms(final) > PERFECT_FIT_RMS &&
    iterations < budget
  ) {
    const noise = residualNoiseVariance(final.r, ev.groups, model.parameters.length + nuisance);
    const center = vectorToUnconstrained(model.parameters, prior.center);
    const map = mapObjective(objective, noise, center, prior.std);
    const second = await levenbergMarquardt(map, z0, {
      maxIterations: budget - iterations,
      earlyStop,
      onIteration:
        options.onIteration &&
        ((it) => options.onIteration!({ ...it, iteration: iterations + it.iteration })),
      beforeIteration: options.beforeIteration,
      signal: options.signal,
    });
    usedPrior = true;
    iterations += second.iterations;
    stoppedBecause = second.stoppedBecause;
    lossHistory.push(...second.lossHistory);
    result.z = second.z;
    final = await objective.evaluate(result.z);
    ev = objective.last!;
  }
  const uncertainty = gaussNewtonUncertainty(
    model.parameters,
    result.z,
    final.r,
    final.J,
    ev.groups,
    nuisance,
    usedPrior ? prior!.std : undefined,
  );
  return {
    usedPrior,
    starts,
    theta: vectorToPhysical(model.parameters, result.z),
    uncertainty,
    iterations,
    lossHistory,
    stoppedBecause,
    earlyStop,
    lossDescription: loss.description,
    powerScale: ev.powerScale,
    warnings: [...skipped, ...loss.notes, ...uncertainty.warnings],
  };
}

/**
 * MAP objective: data residuals scaled by 1/s_g (estimated noise of their group) plus prior
 * residuals (z − z₀)/s₀, so that LM minimises the negative log posterior.
 */
function mapObjective(
  base: Objective & { last?: LossEvaluation },
  noise: Map<ResidualGroup, number>,
  center: Float64Array,
  priorStd: number | Float64Array,
): Objective {
  const n = base.n;
  const map: Objective = {
    n,
    physical: base.physical,
    async evaluate(z) {
      const e = await base.evaluate(z);
      const groups = base.last!.groups;
      const m = e.m + n;
      const r = new Float64Array(m);
      const J = new Float64Array(m * n);
      for (let i = 0; i < e.m; i++) {
        const w = 1 / Math.sqrt(noise.get(groups[i]!)!);
        r[i] = e.r[i]! * w;
        for (let k = 0; k < n; k++) J[i * n + k] = e.J[i * n + k]! * w;
      }
      for (let k = 0; k < n; k++) {
        const s0 = typeof priorStd === 'number' ? priorStd : priorStd[k]!;
        r[e.m + k] = (z[k]! - center[k]!) / s0;
        J[(e.m + k) * n + k] = 1 / s0;
      }
      return { r, J, m, weights: new Float64Array(m).fill(1), loss: e.loss, lossGrad: e.lossGrad };
    },
    refine: async () => {
      const done = (await base.refine?.()) ?? false;
      if (done) map.precisionFloor = undefined;
      return done;
    },
    precisionFloor: base.precisionFloor,
  };
  return map;
}

/** Mean relative error over parameters: mean |θ̂ − θ| / θ (docs/physics.md). */
export function meanRelativeError(estimate: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < truth.length; k++) s += Math.abs(estimate[k]! - truth[k]!) / Math.abs(truth[k]!);
  return s / truth.length;
}
