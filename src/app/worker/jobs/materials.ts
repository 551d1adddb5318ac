import {
  ituParameters,
  type RadioParameters,
  resolveRadioParameters,
} from '../../../engine/materials/index.ts';
import type { MaterialAssignment } from '../protocol.ts';

/**
 * Radio parameters of every material at the carrier. An ITU material outside its table range
 * uses the nearest band (named in `extrapolated`, shown to the person) instead of failing the trace.
 */
export function radioParametersOf(a: MaterialAssignment): {
  params: Record<string, RadioParameters>;
  extrapolated: string[];
} {
  const params: Record<string, RadioParameters> = {};
  const extrapolated: string[] = [];
  for (const [id, spec] of Object.entries(a.materials)) {
    if (spec.kind === 'itu') {
      try {
        ituParameters(spec.ituName, a.frequencyHz);
      } catch {
        extrapolated.push(`${id} (${spec.ituName})`);
      }
    }
    params[id] = resolveRadioParameters(spec, a.frequencyHz, { allowExtrapolation: true });
  }
  return { params, extrapolated };
}

/** Field option mapping an object index to the material the studio assigned it. */
export const materialOfObject = (a: MaterialAssignment) => (objectIndex: number) => {
  const id = a.objectMaterial[objectIndex];
  if (id === undefined) throw new Error(`object ${objectIndex} has no material assignment`);
  return id;
};
