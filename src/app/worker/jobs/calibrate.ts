import type { InitKind } from '../../../engine/calibrate/initialization.ts';
import { parameterLabel } from '../../../engine/calibrate/parameters.ts';
import { calibrateScene } from '../../../engine/calibrate/pipeline.ts';
import type { Scene } from '../../../engine/scene/types.ts';
import type { JobContext } from '../engine.worker.ts';
import type { CalibrationIteration, EngineRequests } from '../protocol.ts';
import { radioParametersOf } from './materials.ts';

type CalibrateRequest = EngineRequests['calibrate']['request'];

/**
 * Calibrate the twin's materials from the uploaded soundings with the engine's pipeline
 * (trace the sounded links once, then LM/Adam). Every iteration is posted as progress so the
 * page draws the loss curve live. The scene's objects take the studio's material assignment
 * (overrides included), so the parameters trained are those the person sees.
 */
export async function calibrateJob(
  scene: Scene,
  req: CalibrateRequest,
  ctx: JobContext,
): Promise<EngineRequests['calibrate']['response']> {
  const { params } = radioParametersOf(req);
  const assigned: Scene = {
    ...scene,
    objects: scene.objects.map((o, i) => ({ ...o, materialId: req.objectMaterial[i] ?? o.materialId })),
  };
  ctx.progress({ fraction: 0, message: `Calibration: tracing ${req.soundings.length} sounded links…` });
  const result = await calibrateScene({
    scene: assigned,
    frequencyHz: req.frequencyHz,
    materials: params,
    soundings: req.soundings,
    parameterNames: req.parameterNames,
    loss: { kind: req.loss },
    optimizer: req.optimizer,
    init: req.init as InitKind,
    seed: 1,
    maxIterations: req.maxIterations,
    trace: { maxDepth: req.maxDepth },
    signal: ctx.signal,
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
  });
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
    stoppedBecause: String(result.stoppedBecause),
    lossDescription: result.lossDescription,
    warnings: [...result.warnings, ...result.initNotes],
    traceSeconds: result.traceSeconds,
  };
}
