import { InputError } from '../core/errors.ts';
import { idRecord } from '../core/idRecord.ts';
import { DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';
import { type RadioParameters, radioParameterProblems } from '../materials/radioMaterial.ts';
import { getField, parseLocatedJson } from './jsonLines.ts';

/**
 * Materials JSON: {"materials": {"<material id>": {"relative_permittivity", "conductivity",
 * "scattering_coefficient", "thickness"}}}. Each entry may give any subset (the rest come from
 * the scene); keys ending in `_std` / `_identifiable` (written by calibrate) are skipped, so a
 * calibration result can serve as the priors file of the next calibration.
 */
export const MATERIAL_PARAMETER_NAMES = [
  'relative_permittivity',
  'conductivity',
  'scattering_coefficient',
  'thickness',
] as const;
export type MaterialParameterName = (typeof MATERIAL_PARAMETER_NAMES)[number];
export type MaterialValues = Partial<Record<MaterialParameterName, number>>;

/** The RadioParameters field each file key sets (validated by radioParameterProblems). */
const FIELD: Record<MaterialParameterName, keyof RadioParameters> = {
  relative_permittivity: 'relativePermittivity',
  conductivity: 'conductivity',
  scattering_coefficient: 'scatteringCoefficient',
  thickness: 'thickness',
};

/** Materials by id; the record has no prototype, so any id (even "__proto__") is kept as given. */
export function parseMaterialsJson(
  data: string | Uint8Array,
  file: string,
  limits: InputLimits = DEFAULT_LIMITS,
): Record<string, MaterialValues> {
  const root = parseLocatedJson(data, file, limits);
  const mats = getField(root, 'materials');
  if (mats?.kind !== 'object')
    throw new InputError(file, `line ${root.line}`, 'expected {"materials": {"<material id>": {…}}}');
  const out = idRecord<MaterialValues>();
  for (const [id, entry] of mats.entries) {
    if (entry.kind !== 'object')
      throw new InputError(file, `line ${entry.line}`, `material '${id}' must be an object of parameters`);
    const values: MaterialValues = {};
    for (const [key, v] of entry.entries) {
      if (key.endsWith('_std') || key.endsWith('_identifiable') || key === 'itu_name') continue;
      if (!(MATERIAL_PARAMETER_NAMES as readonly string[]).includes(key)) {
        throw new InputError(
          file,
          `line ${v.line}`,
          `material '${id}': unknown parameter '${key}' (known: ${MATERIAL_PARAMETER_NAMES.join(', ')})`,
        );
      }
      const name = key as MaterialParameterName;
      if (v.kind !== 'number')
        throw new InputError(
          file,
          `line ${v.line}`,
          `material '${id}': ${key} must be a number, got ${v.kind}`,
        );
      const [problem] = radioParameterProblems({ [FIELD[name]]: v.value as number });
      if (problem)
        throw new InputError(
          file,
          `line ${v.line}`,
          `material '${id}': ${problem.replace(FIELD[name], key)}`,
        );
      values[name] = v.value as number;
    }
    out[id] = values;
  }
  return out;
}

/** Materials JSON text; `extra` adds per-material fields such as conductivity_std. */
export function writeMaterialsJson(
  materials: Record<string, MaterialValues & Record<string, number | string | boolean | undefined>>,
  extra: Record<string, unknown> = {},
): string {
  return `${JSON.stringify({ materials, ...extra }, null, 2)}\n`;
}

/**
 * The `<parameter>_std` entries of a materials JSON (a priors file's scattering_coefficient_std,
 * or a calibration result's stds): how sure each value is, for calibration's prior on it.
 * Each must be a positive number (error with its line otherwise).
 */
export function parseMaterialStds(
  text: string,
  file: string,
): Record<string, Partial<Record<MaterialParameterName, number>>> {
  const root = parseLocatedJson(text, file);
  const mats = getField(root, 'materials');
  const out: Record<string, Partial<Record<MaterialParameterName, number>>> = {};
  if (mats?.kind !== 'object') return out;
  for (const [id, entry] of mats.entries) {
    if (entry.kind !== 'object') continue;
    for (const [key, v] of entry.entries) {
      const name = key.replace(/_std$/, '');
      if (name === key || !(MATERIAL_PARAMETER_NAMES as readonly string[]).includes(name)) continue;
      if (v.kind !== 'number' || !((v.value as number) > 0) || !Number.isFinite(v.value as number))
        throw new InputError(
          file,
          `line ${v.line}`,
          `material '${id}': ${key} must be a positive number, got ${JSON.stringify(v.kind === 'number' ? v.value : v.kind)}`,
        );
      out[id] ??= {};
      out[id]![name as MaterialParameterName] = v.value as number;
    }
  }
  return out;
}
