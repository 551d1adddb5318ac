import type { InitKind, LinkPrediction } from '../../../engine/calibrate/index.ts';
import { calibrateScene, parameterLabel } from '../../../engine/calibrate/index.ts';
import type { Sounding } from '../../../engine/io/index.ts';
import type { Scene } from '../../../engine/scene/index.ts';
import type { Bvh } from '../../../engine/tracer/index.ts';
import type { JobContext } from '../jobContext.ts';
import type { CalibrationIteration, EngineRequests, SoundingComparison } from '../protocol.ts';
import { channelFor, recordBackend } from './channel.ts';

type CalibrateRequest = EngineRequests['calibrate']['request'];

/**
 * Calibrate the twin's materials from the uploaded soundings with the engine's pipeline on the
 * person's channel settings and backend (trace the sounded links once, then LM/Adam; on WebGPU
 * the geometry is uploaded once and each iteration runs the field and statistics kernels). Every
 * iteration is posted as progress so the page draws the loss curve live. The scene's objects take
 * the studio's material assignment (overrides included), so the parameters trained are those the
 * person sees.
 */
export async function calibrateJob(
  scene: Scene,
  bvh: Bvh,
  req: CalibrateRequest,
  ctx: JobContext,
): Promise<EngineRequests['calibrate']['response']> {
  const { channel, materials } = await channelFor(scene, bvh, req);
  ctx.progress({ fraction: 0, message: `Calibration: tracing ${req.soundings.length} sounded links…` });
  // Stop (keep the best estimate) and Cancel (discard) both end the engine's run early; only
  // Cancel turns the outcome into an error.
  const signal = anySignal([ctx.signal, ctx.stopSignal]);
  const control = recordBackend({
    signal,
    onBackend: (d) => ctx.progress({ message: `Calibration on ${d.label} (${d.reason})` }),
  });
  const result = await calibrateScene({
    channel,
    control,
    materials,
    soundings: req.soundings,
    parameterNames: req.parameterNames,
    loss: { kind: req.loss },
    optimizer: req.optimizer,
    init: req.init as InitKind,
    seed: 1,
    maxIterations: req.maxIterations,
    // the twin's materials are its priors: where one says how sure it is, that is the prior's width
    ...(req.priorStds ? { priorStds: req.priorStds } : {}),
    // let pause/stop/cancel messages in between iterations, and wait here while paused
    beforeIteration: async () => {
      await ctx.yieldToEvents();
      await ctx.whilePaused();
    },
    onIteration: (it) => {
      const data: CalibrationIteration = {
        iteration: it.iteration,
        loss: it.loss,
        theta: Array.from(it.theta),
      };
      ctx.progress({
        fraction: Math.min(1, it.iteration / req.maxIterations),
        message: `Calibration: iteration ${it.iteration}, loss ${it.loss.toExponential(3)}`,
        data,
      });
    },
  }).catch((e: unknown) => {
    if (ctx.stopSignal.aborted && !ctx.signal.aborted)
      throw abortError('stopped while tracing the sounded links, before any estimate');
    throw e;
  });
  if (ctx.signal.aborted) throw abortError('calibration cancelled');
  const stoppedByUser = ctx.stopSignal.aborted && result.stoppedBecause === 'aborted';
  const std = new Map(result.uncertainty.parameters.map((u) => [u.label, u]));
  return {
    parameters: result.parameters.map((p, k) => {
      const u = std.get(parameterLabel(p));
      return {
        owner: p.owner,
        name: p.name,
        initial: result.initial[k]!,
        estimate: result.theta[k]!,
        std: u?.std ?? Number.NaN,
        identifiable: u?.identifiable ?? false,
      };
    }),
    calibrated: result.calibrated,
    lossHistory: result.lossHistory,
    iterations: result.iterations,
    stoppedBecause: stoppedByUser ? 'stopped by user' : String(result.stoppedBecause),
    lossDescription: result.lossDescription,
    warnings: [...result.warnings, ...result.initNotes],
    traceSeconds: result.traceSeconds,
    backend: result.backend,
    comparison: soundingComparison(req.soundings, result.predictions, result.powerScale),
  };
}

/** The power metric the soundings carry (the one the sMAPE loss fits: incoherent first). */
function soundingComparison(
  soundings: readonly Sounding[],
  predictions: { before: LinkPrediction[]; after: LinkPrediction[] },
  powerScale: number | undefined,
): SoundingComparison {
  const metric = soundings.some((s) => s.metrics.path_gain_db !== undefined)
    ? 'path_gain_db'
    : 'coherent_gain_db';
  const pick = (p: LinkPrediction) => (metric === 'path_gain_db' ? p.pathGainDb : p.coherentGainDb);
  // The loss treats the sounder's power scale α as unknown (measured ≈ α·predicted) and fits it
  // with the materials: the calibrated twin's prediction includes it. Before calibration no α is known.
  const scaleDb = powerScale !== undefined ? 10 * Math.log10(powerScale) : undefined;
  return {
    metric,
    measured: soundings.map((s) => s.metrics[metric] ?? Number.NaN),
    before: predictions.before.map(pick),
    after: predictions.after.map((p) => pick(p) + (scaleDb ?? 0)),
    powerScaleDb: scaleDb,
  };
}

function abortError(message: string): Error {
  const e = new Error(message);
  e.name = 'AbortError';
  return e;
}

/** Aborted as soon as one of `signals` is. */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const ac = new AbortController();
  for (const s of signals) {
    if (s.aborted) ac.abort();
    else s.addEventListener('abort', () => ac.abort(), { once: true });
  }
  return ac.signal;
}
