import type { Complex } from '../core/complex.ts';
import { wavelength } from '../core/constants.ts';
import { InputError } from '../core/errors.ts';
import { complexRelativePermittivity } from '../materials/permittivity.ts';
import type { RadioParameters } from '../materials/radioMaterial.ts';
import type { Scene } from '../scene/types.ts';
import { type AntennaSpec, DEFAULT_ANTENNA } from './antenna.ts';
import type { FieldContext } from './interactions.ts';
import { LAMBERTIAN, type ScatteringPattern } from './scattering.ts';
import type { MaterialModel } from './surfaceCoefficients.ts';

/** Options of a field evaluation. */
export interface FieldOptions {
  frequencyHz: number;
  /** 'slab' (default, Sionna RT ≥ 1.0) or 'halfspace' */
  materialModel?: MaterialModel;
  /** default iso + V */
  txAntenna?: AntennaSpec;
  rxAntenna?: AntennaSpec;
  /** diffuse scattering pattern of every material (default Lambertian) … */
  scatteringPattern?: ScatteringPattern;
  /** … or per material key */
  scatteringPatterns?: Record<string, ScatteringPattern>;
  /**
   * Key into `materials` for an object (default scene.objects[i].materialId). Per-object
   * calibration passes e.g. (i) => `object:${i}` with materials keyed that way.
   */
  materialOf?: (objectIndex: number) => string;
}

export function createFieldContext(
  scene: Scene,
  materials: Record<string, RadioParameters>,
  options: FieldOptions,
): FieldContext {
  const f = options.frequencyHz;
  if (!(f > 0) || !Number.isFinite(f))
    throw new RangeError(`frequency must be a positive number of Hz, got ${f}`);
  const lambda = wavelength(f);
  const materialOf =
    options.materialOf ??
    ((i: number) => {
      const o = scene.objects[i];
      if (!o)
        throw new Error(
          `interaction references object ${i}, but the scene has ${scene.objects.length} objects`,
        );
      return o.materialId;
    });
  const cache = new Map<string, { params: RadioParameters; eta: Complex }>();
  const material = (key: string) => {
    let m = cache.get(key);
    if (!m) {
      const params = materials[key];
      if (!params) {
        throw new InputError(scene.name, `material '${key}'`, 'no radio parameters given for this material');
      }
      m = { params, eta: complexRelativePermittivity(params.relativePermittivity, params.conductivity, f) };
      cache.set(key, m);
    }
    return m;
  };
  const defaultPattern = options.scatteringPattern ?? LAMBERTIAN;
  return {
    scene,
    frequencyHz: f,
    wavelength: lambda,
    k0: (2 * Math.PI) / lambda,
    model: options.materialModel ?? 'slab',
    materialOf,
    material,
    scatteringPattern: (key) => options.scatteringPatterns?.[key] ?? defaultPattern,
  };
}

export const antennasOf = (o: FieldOptions) => ({
  tx: o.txAntenna ?? DEFAULT_ANTENNA,
  rx: o.rxAntenna ?? DEFAULT_ANTENNA,
});
