import type { Channel, ChannelControl, TracedLink } from '../channel/channel.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import type { MaterialValues } from '../io/materialsJson.ts';
import type { Sounding } from '../io/soundings.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import { type CalibrationOptions, type CalibrationResult, calibrate } from './calibrate.ts';
import { type InitKind, initialValues } from './initialization.ts';
import { type LossOptions, makeLoss } from './losses.ts';
import type { IterationReport, OptimizerKind } from './optimizers.ts';
import {
  type MaterialParameterName,
  PARAMETER_FIELD,
  physicalDerivative,
  type TrainableParameter,
  toUnconstrained,
} from './parameters.ts';
import { type LinkPrediction, predictLinks } from './predictions.ts';
import {
  calibrationScatteringObjects,
  type ParameterScope,
  sceneForwardModel,
  scopedMaterials,
} from './sceneModel.ts';

/**
 * Scene calibration end to end on a channel (its settings and backend): trace the sounded links
 * once, build the differentiable model (geometry uploaded once on WebGPU), initialise, optimise,
 * and return the calibrated radio parameters with their uncertainty. Used by `rftwin calibrate`,
 * the benchmarks and the studio worker.
 */
export interface SceneCalibrationOptions {
  channel: Channel;
  /** the scene's radio parameters at the frequency (resolveSceneMaterials) */
  materials: Record<string, RadioParameters>;
  soundings: readonly Sounding[];
  parameterNames: readonly MaterialParameterName[];
  /** material ids (scope material) or object names (scope object); default: all in use */
  owners?: readonly string[];
  scope?: ParameterScope;
  loss: Omit<LossOptions, 'frequencyHz'>;
  optimizer: OptimizerKind;
  init: InitKind;
  priors?: Record<string, MaterialValues>;
  seed?: number;
  maxIterations?: number;
  learningRate?: number;
  /** std of the Gaussian prior on z around the nominal values for noisy soundings (default 0.5; 0 = none) */
  priorStd?: number;
  /**
   * physical std of a prior value, per owner and parameter (a priors file's `<param>_std`, e.g.
   * the roughness prior's std on S): that parameter's prior is centred on its prior value (the
   * initial value with init 'priors') with this width, instead of the nominal value with
   * `priorStd`, so a vision prior starts the parameter near the truth and the data can still move it
   */
  priorStds?: Record<string, Partial<Record<MaterialParameterName, number>>>;
  earlyStop?: CalibrationOptions['earlyStop'];
  /** reuse links traced earlier by this channel for the same positions and materials */
  traced?: TracedLink[];
  onIteration?: (report: IterationReport) => void;
  /**
   * Awaited before every optimiser iteration: a host that must stay reachable (the studio's
   * worker) yields to its event loop here and waits while the person has paused the run.
   */
  beforeIteration?: () => Promise<void>;
  /** progress of the trace, cancellation, and which backend ran (trace, then calibration) */
  control?: ChannelControl;
}

export interface SceneCalibrationResult extends CalibrationResult {
  parameters: TrainableParameter[];
  initial: Float64Array;
  /** radio parameters with the estimates applied, keyed like the scope */
  calibrated: Record<string, RadioParameters>;
  traced: TracedLink[];
  initNotes: string[];
  traceSeconds: number;
  /** the backend the iterations ran on, and why; float64 refinement evaluations on the CPU, if any */
  backend: {
    label: string;
    reason: string;
    evaluations: number;
    float64RefinementEvaluations: number;
    /**
     * Paths the backend's kernel cannot hold (more than MAX_INTERACTIONS interactions), evaluated
     * per path by the float64 host chain in every evaluation; 0 on the CPU.
     */
    fallbackPaths: number;
  };
  /**
   * The model's prediction of every sounded link (soundings order) with the nominal materials
   * (before) and with the estimates (after), to compare with what was measured.
   */
  predictions: { before: LinkPrediction[]; after: LinkPrediction[] };
}

export function materialsInUse(scene: Scene): string[] {
  return [...new Set(scene.objects.map((o) => o.materialId))];
}

export async function calibrateScene(options: SceneCalibrationOptions): Promise<SceneCalibrationResult> {
  const { channel } = options;
  const scene = channel.scene;
  const frequencyHz = channel.settings.frequencyHz;
  const scope = options.scope ?? 'material';
  const owners =
    options.owners ?? (scope === 'object' ? scene.objects.map((o) => o.name) : materialsInUse(scene));
  const parameters: TrainableParameter[] = owners.flatMap((owner) =>
    options.parameterNames.map((name) => ({ owner, name })),
  );
  const control = options.control ?? {};
  const t0 = performance.now();
  const traced =
    options.traced ??
    (await channel.trace(
      options.soundings,
      options.materials,
      control,
      calibrationScatteringObjects(scene, options.materials, parameters, scope),
    ));
  const traceSeconds = (performance.now() - t0) / 1000;
  const base = scopedMaterials(scene, options.materials, scope);
  const key = (owner: string) => (scope === 'object' ? `object:${owner}` : owner);
  const pathCount = traced.reduce((s, l) => s + l.geometries.length, 0);
  const { backend, decision } = channel.backendFor({ kind: 'calibration', paths: pathCount });
  control.onBackend?.(channel.used(decision, backend));
  const loss = { ...options.loss, frequencyHz };
  // the paths loss reduces single matched paths too: the model must know them up front
  const taps = makeLoss(
    options.soundings,
    loss,
    traced.map((l) => l.geometries.map((g) => g.length / SPEED_OF_LIGHT)),
  ).taps;
  const model = sceneForwardModel(channel, backend, traced, options.materials, parameters, scope, taps);
  try {
    const nominal = Float64Array.from(parameters, (p) => base[key(p.owner)]![PARAMETER_FIELD[p.name]]);
    const { theta: initial, notes } = initialValues(parameters, {
      kind: options.init,
      nominal,
      seed: options.seed,
      priors: options.priors,
    });
    const result = await calibrate({
      model,
      soundings: options.soundings,
      loss,
      optimizer: options.optimizer,
      initial,
      maxIterations: options.maxIterations,
      learningRate: options.learningRate,
      earlyStop: options.earlyStop,
      prior: mapPrior(parameters, nominal, initial, options),
      onIteration: options.onIteration,
      beforeIteration: options.beforeIteration,
      signal: control.signal,
    });
    const predictions = {
      before: predictLinks(await model.evaluate(nominal), traced.length),
      after: predictLinks(await model.evaluate(result.theta), traced.length),
    };
    const calibrated: Record<string, RadioParameters> = {};
    for (const [k, v] of Object.entries(base)) calibrated[k] = { ...v };
    parameters.forEach((p, k) => {
      calibrated[key(p.owner)]![PARAMETER_FIELD[p.name]] = result.theta[k]!;
    });
    return {
      ...result,
      parameters,
      initial,
      calibrated,
      traced,
      initNotes: notes,
      traceSeconds,
      predictions,
      backend: {
        label: backend.label,
        reason: decision.reason,
        evaluations: model.evaluations.backend,
        float64RefinementEvaluations: model.evaluations.float64Refinement,
        fallbackPaths: model.fallbackPaths ?? 0,
      },
    };
  } finally {
    model.dispose();
  }
}

/**
 * The MAP prior: centred on the nominal values with std `priorStd` in z, except where a prior
 * value comes with its own std (`priorStds`): there centred on the prior value, with that std
 * taken into z through the transform's slope at it (σ_z = σ_θ / |dθ/dz|).
 */
function mapPrior(
  parameters: readonly TrainableParameter[],
  nominal: Float64Array,
  initial: Float64Array,
  options: SceneCalibrationOptions,
): { center: Float64Array; std: number | Float64Array } | undefined {
  const base = options.priorStd ?? 0.5;
  if (!(base > 0)) return undefined;
  const own = parameters.map((p) => options.priorStds?.[p.owner]?.[p.name]);
  if (own.every((s) => s === undefined)) return { center: nominal, std: base };
  const center = Float64Array.from(nominal);
  const std = new Float64Array(parameters.length).fill(base);
  parameters.forEach((p, k) => {
    const s = own[k];
    if (s === undefined || !(s > 0)) return;
    center[k] = initial[k]!;
    std[k] = s / Math.abs(physicalDerivative(p.name, toUnconstrained(p.name, initial[k]!)));
  });
  return { center, std };
}
