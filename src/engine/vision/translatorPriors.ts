import { InputError, parseJsonText } from '../core/errors.ts';
import type { Scene } from '../scene/types.ts';
import { meanDirection } from './matching.ts';
import {
  type MaterialPrior,
  type PriorsFile,
  type PriorsFileOptions,
  visionPriorsFile,
} from './priorsFile.ts';
import type { SurfacePriorsResult } from './surfacePriors.ts';
import {
  nearestAnchor,
  TRANSLATED_PARAMETERS,
  type TranslatedParameter,
  type TranslatedValues,
  type TranslatorJson,
  type TranslatorRunOptions,
  type TranslatorSample,
  translate,
} from './transfer.ts';

/**
 * The translator in the product: training samples from a calibrated twin's files (the priors
 * file of `rftwin priors`, which stores each seen object's and patch's mean CLIP embedding, and
 * the result of `rftwin calibrate --out`), and priors proposed by a fitted translator from a new
 * scene's embeddings (`rftwin priors --translator`).
 */

const round = (x: number, digits = 6) => Number(x.toPrecision(digits));

/** Per scene material: the area-weighted mean embedding of its seen objects' patches. */
export function materialEmbeddings(scene: Scene, result: SurfacePriorsResult): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const id of Object.keys(scene.materials)) {
    const seen = result.patches.filter(
      (p) => p.embedding && scene.objects[p.patch.objectIndex]!.materialId === id,
    );
    if (seen.length === 0) continue;
    out.set(
      id,
      meanDirection(
        seen.map((p) => p.embedding!),
        seen.map((p) => p.patch.area),
      ),
    );
  }
  return out;
}

/** The parameter values of a prior that a translator may replace. */
const translatedOf = (m: MaterialPrior): TranslatedValues => ({
  relative_permittivity: m.relative_permittivity,
  conductivity: m.conductivity,
  scattering_coefficient: m.scattering_coefficient,
});

interface FilePatch {
  status?: string;
  area_m2?: number;
  embedding?: number[];
}
interface FileObject {
  material_id?: string;
  status?: string;
  embedding?: number[];
  patches?: FilePatch[];
}

/**
 * Per material of a vision priors file: the area-weighted mean of its seen patches' embeddings
 * (the file keeps each seen patch's mean CLIP embedding), as materialEmbeddings gives it from
 * the pipeline's result.
 */
export function fileMaterialEmbeddings(file: PriorsFile): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const id of Object.keys(file.materials)) {
    const patches = Object.values(file.objects as Record<string, FileObject>)
      .filter((o) => o.material_id === id && o.status === 'seen')
      .flatMap((o) => o.patches ?? [])
      .filter((p) => Array.isArray(p.embedding));
    if (patches.length === 0) continue;
    out.set(
      id,
      meanDirection(
        patches.map((p) => Float32Array.from(p.embedding!)),
        patches.map((p) => p.area_m2 ?? 1),
      ),
    );
  }
  return out;
}

/**
 * Vision priors with the parameters the translator learned taken from its prediction on each
 * material's mean embedding (the others, and the label, confidence and evidence, stay as CLIP
 * matching gave them). A material whose embedding lies outside what the translator learned (no
 * anchor near it) keeps its label's values and says so; materials no view saw keep their
 * name-based priors. The studio and `rftwin priors --translator` both come through here.
 */
export async function applyTranslator(
  vision: PriorsFile,
  translator: TranslatorJson,
  translatorFile: string,
  options: TranslatorRunOptions = {},
): Promise<PriorsFile> {
  const file = structuredClone(vision);
  const byMaterial = fileMaterialEmbeddings(file);
  const dim = byMaterial.values().next().value?.length;
  if (dim !== undefined && dim !== translator.inputSize) {
    throw new InputError(
      translatorFile,
      'inputSize',
      `the translator takes ${translator.inputSize}-d CLIP embeddings but ${file.model ?? 'these priors'} gives ${dim}-d ones; fit it on priors made with the same model`,
    );
  }
  if (dim === undefined)
    throw new InputError(
      translatorFile,
      undefined,
      'the priors carry no CLIP embeddings (name-based, or no surface seen): the translator has nothing to read',
    );
  if (translator.model && translator.model !== file.model) {
    file.warnings.push(
      `translator ${translatorFile} was fitted on embeddings of ${translator.model}, these come from ${file.model} (same dimension, but its predictions may not carry over)`,
    );
  }
  const ids = [...byMaterial.keys()].filter((id) => file.materials[id]);
  const coverage = new Map(ids.map((id) => [id, nearestAnchor(translator, byMaterial.get(id)!)]));
  const covered = ids.filter((id) => coverage.get(id)?.covered ?? true);
  const predicted = await translate(
    translator,
    covered.map((id) => byMaterial.get(id)!),
    options,
  );
  covered.forEach((id, k) => {
    const prior = file.materials[id]!;
    const fromLabel = translatedOf(prior);
    for (const p of translator.parameters)
      prior[p] = round(predicted[k]![p]!, p === 'scattering_coefficient' ? 4 : 6);
    // the roughness prior's std was about the label's S, not the translator's
    if (translator.parameters.includes('scattering_coefficient')) delete prior.scattering_coefficient_std;
    const near = coverage.get(id);
    file.material_evidence[id] = {
      ...file.material_evidence[id],
      source: 'translator',
      translated: translator.parameters,
      // what the CLIP label alone would have given: the translator's prediction differs by what
      // the calibrated twins taught it
      label_values: Object.fromEntries(translator.parameters.map((p) => [p, fromLabel[p]])),
      ...(near ? { nearest_learned: { label: near.label, cosine: round(near.cosine, 4) } } : {}),
    };
  });
  for (const id of ids.filter((i) => !covered.includes(i))) {
    const near = coverage.get(id)!;
    const why = `outside what the translator learned (nearest: ${near.label} at cosine ${near.cosine.toFixed(3)}, its own surfaces ≥ ${near.minCosine.toFixed(3)}); the CLIP label's values kept`;
    file.material_evidence[id] = { ...file.material_evidence[id], translator_skipped: why };
    file.warnings.push(`material '${id}': ${why}`);
  }
  // per object as well, so that a per-object calibration can start from them
  const objects = Object.entries(file.objects as Record<string, FileObject>).filter(
    ([, o]) => o.status === 'seen' && Array.isArray(o.embedding) && covered.includes(o.material_id ?? ''),
  );
  const perObject = await translate(
    translator,
    objects.map(([, o]) => Float32Array.from(o.embedding!)),
    options,
  );
  objects.forEach(([name], k) => {
    file.objects[name]!.translated = Object.fromEntries(
      translator.parameters.map((p) => [p, round(perObject[k]![p]!, 6)]),
    );
  });
  return covered.length > 0 ? { ...file, source: 'translator', translator: translatorFile } : file;
}

/** translatorPriorsFile from the pipeline's result: the vision priors file, then the translator. */
export async function translatorPriorsFile(
  scene: Scene,
  result: SurfacePriorsResult,
  translator: TranslatorJson,
  translatorFile: string,
  options: PriorsFileOptions & TranslatorRunOptions,
): Promise<PriorsFile> {
  return applyTranslator(visionPriorsFile(scene, result, options), translator, translatorFile, options);
}

/** Training samples of one calibrated twin, and what was left out and why. */
export interface CalibratedTwinSamples {
  samples: TranslatorSample[];
  /** the calibrated parameters the samples give (those the translator can learn) */
  parameters: TranslatedParameter[];
  model?: string;
  used: string[];
  skipped: string[];
}

function parseJsonObject(text: string, file: string): Record<string, unknown> {
  const root = parseJsonText(text, file);
  if (typeof root !== 'object' || root === null || Array.isArray(root))
    throw new InputError(file, 'JSON', 'expected a JSON object');
  return root as Record<string, unknown>;
}

function embeddingOf(v: unknown, file: string, element: string, dim: number | undefined): Float32Array {
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
    throw new InputError(file, element, 'embedding must be a non-empty list of numbers');
  if (dim !== undefined && v.length !== dim)
    throw new InputError(file, element, `embedding has ${v.length} numbers, the others ${dim}`);
  return Float32Array.from(v as number[]);
}

/**
 * Samples from a twin's priors file (per-object and per-patch CLIP embeddings) and its
 * calibration result (`rftwin calibrate --out`: per material id, or per object with
 * --per-object, the calibrated value, `<param>_std` for each calibrated parameter and
 * `<param>_identifiable: false` where the soundings could not tell it). Only calibrated,
 * identifiable values are learned: a parameter the calibration did not estimate is just the
 * nominal table value, and one it could not identify stays wherever the prior put it; neither
 * says anything about what the surface looks like.
 */
export function calibratedTwinSamples(
  priorsText: string,
  priorsFile: string,
  calibrationText: string,
  calibrationFile: string,
): CalibratedTwinSamples {
  return twinSamples(
    parseJsonObject(priorsText, priorsFile),
    priorsFile,
    parseJsonObject(calibrationText, calibrationFile),
    calibrationFile,
  );
}

/**
 * calibratedTwinSamples on parsed files (the studio hands its priors and its calibration as
 * objects): each sample's group is the calibrated material (or object) it stands for.
 */
export function twinSamples(
  priors: Record<string, unknown>,
  priorsFile: string,
  cal: Record<string, unknown>,
  calibrationFile: string,
): CalibratedTwinSamples {
  if (priors.format !== 'rftwin-priors/1')
    throw new InputError(
      priorsFile,
      'format',
      `expected "rftwin-priors/1" (a file written by rftwin priors), got ${JSON.stringify(priors.format)}`,
    );
  const objects = priors.objects;
  if (typeof objects !== 'object' || objects === null || Array.isArray(objects))
    throw new InputError(priorsFile, 'objects', 'expected an object of per-object priors');
  // a priors file carries stds too (its S prior's), but nothing in it was calibrated
  if (cal.format === 'rftwin-priors/1')
    throw new InputError(
      calibrationFile,
      'format',
      'this is a priors file (rftwin priors), not a calibration result (rftwin calibrate --out)',
    );
  const materials = cal.materials;
  if (typeof materials !== 'object' || materials === null || Array.isArray(materials))
    throw new InputError(
      calibrationFile,
      'materials',
      'expected {"materials": {…}} as written by rftwin calibrate --out',
    );
  const scope = cal.scope === 'object' ? 'object' : 'material';
  const entries = materials as Record<string, Record<string, unknown>>;
  const parameters = TRANSLATED_PARAMETERS.filter((p) =>
    Object.values(entries).some((e) => typeof e === 'object' && e !== null && `${p}_std` in e),
  );
  if (parameters.length === 0)
    throw new InputError(
      calibrationFile,
      'materials',
      `no calibrated parameter in it (expected ${TRANSLATED_PARAMETERS.map((p) => `${p}_std`).join(' / ')} beside the values, as rftwin calibrate --out writes)`,
    );
  const samples: TranslatorSample[] = [];
  const used: string[] = [];
  const skipped: string[] = [];
  let dim: number | undefined;
  let withEmbedding = 0;
  for (const [name, raw] of Object.entries(objects as Record<string, Record<string, unknown>>)) {
    if (raw?.status !== 'seen' || raw.embedding === undefined) continue;
    withEmbedding++;
    const embedding = embeddingOf(raw.embedding, priorsFile, `objects.${name}.embedding`, dim);
    dim = embedding.length;
    const owner = scope === 'object' ? name : String(raw.material_id);
    const entry = entries[owner];
    if (!entry) {
      skipped.push(`${name}: no calibrated ${scope} '${owner}' in ${calibrationFile}`);
      continue;
    }
    const values: TranslatedValues = {};
    const unidentifiable = parameters.filter((p) => entry[`${p}_identifiable`] === false);
    if (unidentifiable.length > 0) {
      skipped.push(`${name}: ${unidentifiable.join(', ')} of '${owner}' not identifiable`);
      continue;
    }
    for (const p of parameters) {
      const v = entry[p];
      if (typeof v !== 'number' || !Number.isFinite(v) || (p !== 'scattering_coefficient' && !(v > 0)))
        throw new InputError(
          calibrationFile,
          `materials.${owner}.${p}`,
          `expected a ${p === 'scattering_coefficient' ? '' : 'positive '}number, got ${JSON.stringify(v)}`,
        );
      values[p] = v;
    }
    samples.push({ embedding, values, group: owner });
    const patches = Array.isArray(raw.patches) ? (raw.patches as Record<string, unknown>[]) : [];
    patches.forEach((patch, k) => {
      if (patch?.embedding === undefined) return;
      samples.push({
        embedding: embeddingOf(patch.embedding, priorsFile, `objects.${name}.patches[${k}].embedding`, dim),
        values,
        group: owner,
      });
    });
    used.push(name);
  }
  if (withEmbedding === 0)
    throw new InputError(
      priorsFile,
      'objects',
      'no seen object carries a CLIP embedding (name-based priors, or written by an older rftwin priors): run rftwin priors with a CLIP model',
    );
  if (used.length === 0)
    throw new InputError(
      calibrationFile,
      undefined,
      `no seen object of ${priorsFile} has identifiable calibrated values here (${skipped.join('; ')})`,
    );
  return {
    samples,
    parameters,
    ...(typeof priors.model === 'string' ? { model: priors.model } : {}),
    used,
    skipped,
  };
}
