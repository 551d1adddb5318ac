import { seededRandom } from '../core/random.ts';
import type { MaterialValues } from '../io/materialsJson.ts';
import { parameterLabel, type TrainableParameter } from './parameters.ts';

/**
 * Initial values of the trainable parameters (paper 003's baselines):
 * - itu: the nominal values the scene gives (ITU-R P.2040 at the frequency), "VLMInit"-free;
 * - uniform: every conductivity set to the mean of the nominal conductivities of the
 *   calibrated materials ("UnifInit"); other parameters stay nominal;
 * - random: uniform in a range per parameter kind, seeded ("RandInit");
 * - priors: values from a materials JSON (e.g. the vision pipeline), nominal where absent.
 */
export type InitKind = 'itu' | 'uniform' | 'random' | 'priors';

/** Ranges for random initialisation. Conductivity: 0.01–1 S/m covers the ITU table's indoor materials at mm-wave. */
export const RANDOM_INIT_RANGES: Record<TrainableParameter['name'], [number, number]> = {
  relative_permittivity: [1.5, 8],
  conductivity: [0.01, 1],
  scattering_coefficient: [0, 0.5],
  thickness: [0.02, 0.3],
};

export interface InitOptions {
  kind: InitKind;
  /** nominal (scene) value of each trainable parameter, same order */
  nominal: Float64Array;
  seed?: number;
  priors?: Record<string, MaterialValues>;
}

export function initialValues(
  parameters: readonly TrainableParameter[],
  options: InitOptions,
): { theta: Float64Array; notes: string[] } {
  const theta = Float64Array.from(options.nominal);
  const notes: string[] = [];
  switch (options.kind) {
    case 'itu':
      break;
    case 'uniform': {
      const sigmas = parameters.flatMap((p, k) => (p.name === 'conductivity' ? [options.nominal[k]!] : []));
      const mean = sigmas.reduce((s, x) => s + x, 0) / Math.max(1, sigmas.length);
      parameters.forEach((p, k) => {
        if (p.name === 'conductivity') theta[k] = mean;
      });
      if (sigmas.length > 0)
        notes.push(
          `uniform init: conductivity ${mean.toPrecision(4)} S/m (mean of the nominal values) for all`,
        );
      break;
    }
    case 'random': {
      const rnd = seededRandom(options.seed ?? 1);
      parameters.forEach((p, k) => {
        const [lo, hi] = RANDOM_INIT_RANGES[p.name];
        theta[k] = lo + (hi - lo) * rnd();
      });
      notes.push(`random init (seed ${options.seed ?? 1}) in ${JSON.stringify(RANDOM_INIT_RANGES)}`);
      break;
    }
    case 'priors': {
      const priors = options.priors ?? {};
      parameters.forEach((p, k) => {
        const v = priors[p.owner]?.[p.name];
        if (v !== undefined) theta[k] = v;
        else
          notes.push(
            `no prior for ${parameterLabel(p)}: nominal value ${options.nominal[k]!.toPrecision(4)} used`,
          );
      });
      break;
    }
  }
  return { theta, notes };
}
