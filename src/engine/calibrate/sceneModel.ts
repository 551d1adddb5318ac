import { evaluatePathsWithGradient, type FieldOptions, parameterKey } from '../field/index.ts';
import type { MaterialValues } from '../io/materialsJson.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import type { Bvh } from '../tracer/bvh.ts';
import { type TraceControl, type TracePathsOptions, tracePaths } from '../tracer/cpu/tracePaths.ts';
import type { PathGeometry } from '../tracer/path.ts';
import type { Vec3 } from '../vec3.ts';
import type { ForwardModel } from './forwardModel.ts';
import type { DifferentiablePath } from './metricGradients.ts';
import type { MaterialParameterName, TrainableParameter } from './parameters.ts';

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

const FIELD_NAME: Record<MaterialParameterName, keyof RadioParameters> = {
  relative_permittivity: 'relativePermittivity',
  conductivity: 'conductivity',
  scattering_coefficient: 'scatteringCoefficient',
  thickness: 'thickness',
};

export const objectMaterialKey = (objectName: string): string => `object:${objectName}`;

/**
 * Trace every sounded link once (geometry only, for calibration); links sharing a transmitter
 * are traced together. tracer/traceLinks.ts is the one-Tx entry point that also adds fields.
 */
export async function traceSoundedLinks(
  scene: Scene,
  bvh: Bvh | undefined,
  links: readonly { tx: Vec3; rx: Vec3 }[],
  options: TracePathsOptions,
  control: TraceControl = {},
): Promise<TracedLink[]> {
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
      options,
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
        (current[keyOf(p.owner)]! as unknown as Record<string, number>)[FIELD_NAME[p.name]] = theta[k]!;
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
  const out: Record<string, RadioParameters> = {};
  for (const [k, v] of Object.entries(materials)) out[k] = { ...v };
  for (const [id, vals] of Object.entries(values)) {
    const m = out[id];
    if (!m)
      throw new Error(
        `${file}: material '${id}' is not in the scene (scene materials: ${Object.keys(materials).join(', ')})`,
      );
    for (const [name, v] of Object.entries(vals))
      (m as unknown as Record<string, number>)[FIELD_NAME[name as MaterialParameterName]] = v!;
  }
  return out;
}
