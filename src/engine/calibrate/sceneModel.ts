import { scatteringObjectsOf } from '../channel/traceLinks.ts';
import { InputError } from '../core/errors.ts';
import { getId, idRecord } from '../core/idRecord.ts';
import type { Vec3 } from '../core/vec3.ts';
import { evaluatePathsWithGradient, type FieldOptions, parameterKey } from '../field/index.ts';
import type { MaterialValues } from '../io/materialsJson.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { Bvh } from '../tracer/bvh.ts';
import { type TraceControl, type TracePathsOptions, tracePaths } from '../tracer/cpu/tracePaths.ts';
import type { PathGeometry } from '../tracer/path.ts';
import type { ForwardModel } from './forwardModel.ts';
import type { DifferentiablePath } from './metricGradients.ts';
import { type MaterialParameterName, PARAMETER_FIELD, type TrainableParameter } from './parameters.ts';

/**
 * The scene-backed forward model: geometry traced once per Tx/Rx set (tracePaths), then each
 * evaluation only recomputes the fields and their exact material derivatives
 * (evaluatePathsWithGradient). Parameters belong to material ids (default) or to objects;
 * per object, every object gets its own material key `object:<name>` initialised from its
 * material.
 */
export interface TracedLink {
  tx: Vec3;
  rx: Vec3;
  geometries: PathGeometry[];
}

export type ParameterScope = 'material' | 'object';

export const objectMaterialKey = (objectName: string): string => `object:${objectName}`;

/** Trace options for the sounded links: the tracer's, plus what decides which objects scatter. */
export interface SoundedTraceOptions extends TracePathsOptions {
  /** radio parameters per material id: objects whose material has S > 0 scatter */
  materials: Record<string, RadioParameters>;
  /** the parameters being calibrated: objects whose scattering_coefficient is one of them scatter too */
  trained?: readonly TrainableParameter[];
  /** what the trained parameters' owners are (default 'material') */
  scope?: ParameterScope;
}

/**
 * Objects that need diffuse scattering paths: those with S > 0 (scatteringObjectsOf: at S = 0
 * the diffuse field is zero, so their paths only cost time — on the demo room at depth 3 about
 * 10 000 scattered paths per link, against ~35 specular ones, each re-evaluated at every
 * calibration step), plus every object whose scattering coefficient is calibrated:
 * ∂a/∂S of a scattered path is not zero at S = 0, and without those paths the derivative with
 * respect to S would be identically zero and S could not be calibrated.
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

/**
 * Trace every sounded link once (geometry only, for calibration); links sharing a transmitter
 * are traced together. Unless `options.scatteringObjects` is given, only the objects of
 * calibrationScatteringObjects scatter. tracer/traceLinks.ts is the one-Tx entry point that
 * also adds fields.
 */
export async function traceSoundedLinks(
  scene: Scene,
  bvh: Bvh | undefined,
  links: readonly { tx: Vec3; rx: Vec3 }[],
  options: SoundedTraceOptions,
  control: TraceControl = {},
): Promise<TracedLink[]> {
  const { materials, trained, scope, ...trace } = options;
  const traceOptions: TracePathsOptions = {
    ...trace,
    scatteringObjects:
      trace.scatteringObjects ?? calibrationScatteringObjects(scene, materials, trained, scope),
  };
  const groups = new Map<string, number[]>();
  links.forEach((l, i) => {
    const key = l.tx.join(',');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const out: TracedLink[] = new Array(links.length);
  for (const indices of groups.values()) {
    const tx = links[indices[0]!]!.tx;
    const traced = await tracePaths(
      scene,
      bvh,
      tx,
      indices.map((i) => links[i]!.rx),
      traceOptions,
      control,
    );
    indices.forEach((i, j) => {
      out[i] = { tx, rx: links[i]!.rx, geometries: traced[j]! };
    });
  }
  return out;
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

export function sceneForwardModel(
  scene: Scene,
  links: readonly TracedLink[],
  materials: Record<string, RadioParameters>,
  parameters: readonly TrainableParameter[],
  fieldOptions: FieldOptions,
  scope: ParameterScope = 'material',
): ForwardModel {
  const base = scopedMaterials(scene, materials, scope);
  const keyOf = (owner: string) => (scope === 'object' ? objectMaterialKey(owner) : owner);
  for (const p of parameters) {
    if (!base[keyOf(p.owner)]) {
      const known = scope === 'object' ? scene.objects.map((o) => o.name) : Object.keys(materials);
      throw new Error(`unknown ${scope} '${p.owner}' (known: ${known.join(', ')})`);
    }
  }
  const options: FieldOptions =
    scope === 'object'
      ? { ...fieldOptions, materialOf: (i) => objectMaterialKey(scene.objects[i]!.name) }
      : fieldOptions;
  const gradientKeys = parameters.map((p) => parameterKey(keyOf(p.owner), p.name));
  return {
    parameters,
    linkCount: links.length,
    evaluate(theta) {
      const current: Record<string, RadioParameters> = {};
      for (const [k, v] of Object.entries(base)) current[k] = { ...v };
      parameters.forEach((p, k) => {
        current[keyOf(p.owner)]![PARAMETER_FIELD[p.name]] = theta[k]!;
      });
      const n = parameters.length;
      return links.map((link) => {
        const { paths, gradients } = evaluatePathsWithGradient(
          scene,
          link.tx,
          link.rx,
          link.geometries,
          current,
          options,
        );
        return paths.map((p, i): DifferentiablePath => {
          const dA = new Float64Array(2 * n);
          const g = gradients[i]!;
          for (let k = 0; k < n; k++) {
            const d = g.get(gradientKeys[k]!);
            if (d) {
              dA[2 * k] = d.re;
              dA[2 * k + 1] = d.im;
            }
          }
          return { a: p.a, dA, delay: p.delay, aoaAzimuthDeg: p.aoa.azimuthDeg, los: p.kind === 'los' };
        });
      });
    },
  };
}

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
