import type { ChannelBackend } from '../channel/backend.ts';
import { type Channel, scatteringObjectsOf, type TracedLink } from '../channel/channel.ts';
import { cpuBackend } from '../channel/cpuBackend.ts';
import { fieldOptionsOf } from '../channel/settings.ts';
import { SPEED_OF_LIGHT } from '../core/constants.ts';
import { InputError } from '../core/errors.ts';
import { getId, idRecord } from '../core/idRecord.ts';
import { linkFrames, parameterColumns, parameterKey } from '../field/evaluate.ts';
import { materialTable, setMaterial } from '../field/jonesChain.ts';
import type { MaterialValues } from '../io/materialsJson.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { LinkStats } from '../metrics/linkStats.ts';
import { linkRanges } from '../metrics/linkStatsModel.ts';
import type { Scene } from '../scene/types.ts';
import type { ForwardModel } from './forwardModel.ts';
import { type MaterialParameterName, PARAMETER_FIELD, type TrainableParameter } from './parameters.ts';

/**
 * The scene-backed forward model: the sounded links' geometry, traced once by the channel, is
 * turned into path frames once (field/pathFrames.ts); each evaluation sets the material table from
 * θ and reduces the link statistics with exact derivatives on the chosen backend — the CPU chain,
 * or the WGSL field and link-statistics kernels with the geometry uploaded once and only the
 * material table per iteration. Parameters belong to material ids (default) or to objects; per
 * object, every object gets its own material key `object:<name>` initialised from its material.
 */
export type ParameterScope = 'material' | 'object';

export const objectMaterialKey = (objectName: string): string => `object:${objectName}`;

/**
 * Objects that need diffuse scattering paths: those with S > 0 (at S = 0 the diffuse field is
 * zero, so their paths only cost time), plus every object whose scattering coefficient is
 * calibrated: ∂a/∂S of a scattered path is not zero at S = 0, and without those paths S could not
 * be calibrated.
 */
export function calibrationScatteringObjects(
  scene: Scene,
  materials: Record<string, RadioParameters>,
  trained: readonly TrainableParameter[] = [],
  scope: ParameterScope = 'material',
): number[] {
  const objects = new Set(scatteringObjectsOf(scene, materials));
  const owners = new Set(trained.filter((p) => p.name === 'scattering_coefficient').map((p) => p.owner));
  scene.objects.forEach((o, i) => {
    if (owners.has(scope === 'object' ? o.name : o.materialId)) objects.add(i);
  });
  return [...objects].sort((a, b) => a - b);
}

/** Radio parameters keyed as the field code will look them up for the chosen scope. */
export function scopedMaterials(
  scene: Scene,
  materials: Record<string, RadioParameters>,
  scope: ParameterScope,
): Record<string, RadioParameters> {
  if (scope === 'material') return { ...materials };
  const out: Record<string, RadioParameters> = {};
  for (const o of scene.objects) out[objectMaterialKey(o.name)] = { ...materials[o.materialId]! };
  return out;
}

export interface SceneForwardModel extends ForwardModel {
  /** the backend's label ("CPU", "WebGPU (SwiftShader)") */
  backendLabel: string;
  /**
   * Evaluations on the backend, and (after refine) in float64 on the CPU: a WebGPU calibration
   * whose float32 residuals reach their floor finishes in float64, and says so.
   */
  evaluations: { backend: number; float64Refinement: number };
  dispose(): void;
}

export function sceneForwardModel(
  channel: Channel,
  backend: ChannelBackend,
  traced: readonly TracedLink[],
  materials: Record<string, RadioParameters>,
  parameters: readonly TrainableParameter[],
  scope: ParameterScope = 'material',
  taps: readonly { link: number; path: number }[] = [],
): SceneForwardModel {
  const { scene } = channel;
  const base = scopedMaterials(scene, materials, scope);
  const keyOf = (owner: string) => (scope === 'object' ? objectMaterialKey(owner) : owner);
  for (const p of parameters) {
    if (!Object.hasOwn(base, keyOf(p.owner))) {
      const known = scope === 'object' ? scene.objects.map((o) => o.name) : Object.keys(materials);
      throw new Error(`unknown ${scope} '${p.owner}' (known: ${known.join(', ')})`);
    }
  }
  const materialOf =
    scope === 'object' ? (i: number) => objectMaterialKey(scene.objects[i]!.name) : undefined;
  const { frames, linkStart } = linkFrames(scene, traced, fieldOptionsOf(channel.settings, materialOf));
  const table = materialTable(frames, base, scene.name);
  const columns = parameterColumns(
    frames,
    parameters.map((p) => parameterKey(keyOf(p.owner), p.name)),
  );
  const ranges = linkRanges(
    frames,
    linkStart,
    traced,
    taps.map((t) => linkStart[t.link]! + t.path),
  );
  let evaluator = backend.statsEvaluator(ranges, columns, parameters.length);
  let refined = false;
  const evaluations = { backend: 0, float64Refinement: 0 };
  // material index (in the frames) of each parameter's owner; −1 when no traced path reaches it
  const materialIndex = parameters.map((p) => frames.materialKeys.indexOf(keyOf(p.owner)));
  const pathsTouching = materialIndex.map((m) => {
    if (m < 0) return 0;
    let count = 0;
    for (let p = 0; p < frames.pathCount; p++) {
      const first = frames.first[p]!;
      for (let q = first; q < first + frames.count[p]!; q++)
        if (frames.materialA[q] === m || frames.materialB[q] === m) {
          count++;
          break;
        }
    }
    return count;
  });
  // A calibration asks for the same θ more than once (the empty-link check, the identifiability
  // check and the optimiser's start; the final point; the before/after predictions): the last few
  // θ and their statistics (fresh objects, never modified by their readers) are kept, so each is
  // evaluated once.
  const recent: { theta: Float64Array; stats: LinkStats }[] = [];
  return {
    parameters,
    linkCount: traced.length,
    taps,
    tracedDelays: traced.map((_, l) =>
      Array.from(
        { length: linkStart[l + 1]! - linkStart[l]! },
        (_, k) => frames.length[linkStart[l]! + k]! / SPEED_OF_LIGHT,
      ),
    ),
    pathsTouching,
    backendLabel: backend.label,
    async evaluate(theta) {
      const known = recent.find((r) => sameValues(r.theta, theta));
      if (known) return known.stats;
      const stats = await evaluateAt(theta);
      recent.unshift({ theta: Float64Array.from(theta), stats });
      recent.length = Math.min(recent.length, RECENT);
      return stats;
    },
    evaluations,
    // float32 link statistics: ~1e-6 relative (fieldGpu.gpu.test.ts, gpuCalibration.gpu.test.ts)
    precisionFloor: backend.kind === 'cpu' ? undefined : 1e-6,
    fallbackPaths: evaluator.fallbackPaths,
    async refine() {
      if (refined || backend.kind === 'cpu') return false;
      // the same frames, ranges and columns, in the float64 CPU chain
      evaluator.dispose();
      evaluator = cpuBackend.statsEvaluator(ranges, columns, parameters.length);
      refined = true;
      recent.length = 0;
      return true;
    },
    dispose: () => evaluator.dispose(),
  };

  async function evaluateAt(theta: Float64Array): Promise<LinkStats> {
    const current = new Map<number, RadioParameters>();
    parameters.forEach((p, k) => {
      const m = materialIndex[k]!;
      if (m < 0) return;
      let params = current.get(m);
      if (!params) {
        params = { ...base[frames.materialKeys[m]!]! };
        current.set(m, params);
      }
      params[PARAMETER_FIELD[p.name]] = theta[k]!;
    });
    for (const [m, params] of current) setMaterial(table, m, params, frames.frequencyHz);
    if (refined) evaluations.float64Refinement++;
    else evaluations.backend++;
    return evaluator.evaluate(table);
  }
}

/** How many recently evaluated θ the scene model remembers (see `recent` in sceneForwardModel). */
const RECENT = 4;

const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
  return true;
};

/** Apply material values (truth or priors file) over the scene's radio parameters. */
export function withMaterialValues(
  materials: Record<string, RadioParameters>,
  values: Record<string, MaterialValues>,
  file: string,
): Record<string, RadioParameters> {
  // ids come from files: a record without prototype keeps "__proto__" an id like any other
  const out = idRecord<RadioParameters>();
  for (const [k, v] of Object.entries(materials)) out[k] = { ...v };
  for (const [id, vals] of Object.entries(values)) {
    const m = getId(out, id);
    if (!m)
      throw new InputError(
        file,
        `material '${id}'`,
        `is not in the scene (scene materials: ${Object.keys(materials).join(', ')})`,
      );
    for (const [name, v] of Object.entries(vals)) m[PARAMETER_FIELD[name as MaterialParameterName]] = v!;
  }
  return out;
}
