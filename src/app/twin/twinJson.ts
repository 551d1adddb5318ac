import type { InputLimits, Vec3 } from '../../engine/core/index.ts';
import { checkLimit, DEFAULT_LIMITS, hasId, InputError } from '../../engine/core/index.ts';
import { parseActorsFile } from '../../engine/dynamics/index.ts';
import type { MaterialSource, MaterialSpec } from '../../engine/materials/index.ts';
import { materialSpecProblems, resolveRadioParameters } from '../../engine/materials/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { objectMesh } from '../../engine/scene/index.ts';
import { parseTranslatorJson, type TranslatorJson } from '../../engine/vision/index.ts';
import type { Device, MaterialCalibration, StudioMaterial, StudioTranslator } from '../store.ts';

export const TWIN_FORMAT = 'rftwin-twin';
export const TWIN_VERSION = 1;

/** What a saved twin records about how it was made. */
export interface TwinProvenance {
  tool: string;
  exported_at: string;
  /** files the geometry and soundings came from */
  inputs: string[];
  /** where each material came from (scene/name/vision/manual/calibrated) with evidence */
  priors: Record<string, { source: MaterialSource; confidence?: number; evidence?: string }>;
  /** last calibration run: settings and final errors, when one ran */
  calibration?: unknown;
  errors: string[];
}

/**
 * The translator the studio held when the twin was saved: the model itself (the file
 * `rftwin translator` writes) and its provenance: what it was fitted on, which tfjs backend ran
 * it last, and which materials of which twin it set.
 */
export interface TwinTranslator {
  name: string;
  fitted_from: string[];
  parameters: string[];
  backend?: string;
  backend_note?: string;
  /** objects it learned from and those left out, when fitted in the studio */
  used?: string[];
  skipped?: string[];
  applied?: { twin: string; materials: string[]; outside: string[] };
  model: TranslatorJson;
}

export interface TwinFile {
  format: typeof TWIN_FORMAT;
  version: number;
  name: string;
  frequency_hz: number;
  objects: { name: string; material: string; vertices: number[]; indices: number[] }[];
  materials: Record<
    string,
    {
      spec: MaterialSpec;
      source: MaterialSource;
      confidence?: number;
      evidence?: string;
      /** the applied calibration's verdict: each estimate with its uncertainty, calibrated or not (why) */
      calibration?: MaterialCalibration;
    }
  >;
  /** the same materials as the calibration's materials JSON, resolved at frequency_hz */
  radio_parameters: Record<
    string,
    { relative_permittivity: number; conductivity: number; scattering_coefficient: number; thickness: number }
  >;
  devices: { kind: 'tx' | 'rx'; name: string; position: Vec3 }[];
  provenance: TwinProvenance;
  translator?: TwinTranslator;
  /** actors and their walks, as declaration lines of an actors file (README "Actors and timelines") */
  actors?: Record<string, unknown>[];
}

export function twinToJson(args: {
  scene: Scene;
  materials: Record<string, StudioMaterial>;
  objectMaterial: string[];
  frequencyHz: number;
  devices: Device[];
  inputs: string[];
  calibration?: unknown;
  translator?: StudioTranslator;
  errors: string[];
  /** declaration lines of the actors (actions/dynamics.ts actorsFileText) */
  actors?: Record<string, unknown>[];
}): TwinFile {
  const used = [...new Set(args.objectMaterial)];
  const materials: TwinFile['materials'] = {};
  const radio: TwinFile['radio_parameters'] = {};
  const priors: TwinProvenance['priors'] = {};
  for (const id of used) {
    const m = args.materials[id] ?? { id, spec: { kind: 'unknown' as const }, source: 'default' as const };
    materials[id] = {
      spec: m.spec,
      source: m.source,
      confidence: m.confidence,
      evidence: m.evidence,
      calibration: m.calibration,
    };
    priors[id] = { source: m.source, confidence: m.confidence, evidence: m.evidence };
    const p = resolveRadioParameters(m.spec, args.frequencyHz, { allowExtrapolation: true });
    radio[id] = {
      relative_permittivity: p.relativePermittivity,
      conductivity: p.conductivity,
      scattering_coefficient: p.scatteringCoefficient,
      thickness: p.thickness,
    };
  }
  return {
    format: TWIN_FORMAT,
    version: TWIN_VERSION,
    name: args.scene.name,
    frequency_hz: args.frequencyHz,
    objects: args.scene.objects.map((o, i) => {
      const mesh = objectMesh(args.scene, i);
      return { name: o.name, material: args.objectMaterial[i] ?? o.materialId, ...mesh };
    }),
    materials,
    radio_parameters: radio,
    devices: args.devices.map((d) => ({ kind: d.kind, name: d.name, position: d.position })),
    provenance: {
      tool: 'RFTwin Studio',
      exported_at: new Date().toISOString(),
      inputs: args.inputs,
      priors,
      calibration: args.calibration,
      errors: args.errors,
    },
    ...(args.translator ? { translator: twinTranslator(args.translator) } : {}),
    ...(args.actors && args.actors.length > 0 ? { actors: args.actors } : {}),
  };
}

function twinTranslator(t: StudioTranslator): TwinTranslator {
  return {
    name: t.name,
    fitted_from: t.json.fittedFrom ?? [],
    parameters: t.json.parameters,
    ...(t.backend ? { backend: t.backend } : {}),
    ...(t.backendNote ? { backend_note: t.backendNote } : {}),
    ...(t.used ? { used: t.used } : {}),
    ...(t.skipped ? { skipped: t.skipped } : {}),
    ...(t.applied ? { applied: t.applied } : {}),
    model: t.json,
  };
}

/** The studio's translator from a saved twin's (its model already checked by parseTwinJson). */
export const translatorOfTwin = (t: TwinTranslator): StudioTranslator => ({
  json: t.model,
  name: t.name,
  ...(t.used ? { used: t.used } : {}),
  ...(t.skipped ? { skipped: t.skipped } : {}),
  ...(t.applied ? { applied: t.applied } : {}),
});

const SOURCES: MaterialSource[] = [
  'scene',
  'name',
  'vision',
  'translator',
  'manual',
  'calibrated',
  'default',
];

/**
 * Check a parsed twin file and say precisely what is wrong (file + JSON path): the same rules as
 * the scene loaders (limits, finite numbers, integer indices, material values by the one
 * physical-value rule, ids that are own keys, never inherited names such as "constructor").
 */
export function parseTwinJson(value: unknown, file: string, limits: InputLimits = DEFAULT_LIMITS): TwinFile {
  const fail = (where: string, problem: string): never => {
    throw new InputError(file, where, problem);
  };
  const finiteList = (v: unknown, where: string, per: number, what: string): number[] => {
    if (!Array.isArray(v) || v.length % per !== 0) fail(where, `expected ${per} numbers per ${what}`);
    const bad = (v as unknown[]).findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0)
      fail(`${where}[${bad}]`, `expected a finite number, got ${JSON.stringify((v as unknown[])[bad])}`);
    return v as number[];
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('root', 'expected a JSON object');
  const t = value as Partial<TwinFile>;
  if (t.format !== TWIN_FORMAT) fail('format', `expected "${TWIN_FORMAT}", got ${JSON.stringify(t.format)}`);
  if (t.version !== TWIN_VERSION)
    fail('version', `expected ${TWIN_VERSION}, got ${JSON.stringify(t.version)}`);
  if (typeof t.name !== 'string') fail('name', 'expected a string');
  if (!(typeof t.frequency_hz === 'number' && Number.isFinite(t.frequency_hz) && t.frequency_hz > 0))
    fail('frequency_hz', 'expected a positive number');
  if (!Array.isArray(t.objects) || t.objects.length === 0) fail('objects', 'expected a non-empty array');
  checkLimit(limits, 'objects', t.objects!.length, file, 'objects', `has ${t.objects!.length} objects`);
  if (typeof t.materials !== 'object' || t.materials === null || Array.isArray(t.materials))
    fail('materials', 'expected an object');
  t.objects!.forEach((o, i) => {
    if (typeof o !== 'object' || o === null) fail(`objects[${i}]`, 'expected an object');
    if (typeof o.name !== 'string') fail(`objects[${i}].name`, 'expected a string');
    if (typeof o.material !== 'string' || !hasId(t.materials!, o.material))
      fail(`objects[${i}].material`, `${JSON.stringify(o.material)} is not in "materials"`);
    const v = finiteList(o.vertices, `objects[${i}].vertices`, 3, 'vertex');
    checkLimit(
      limits,
      'vertices',
      v.length / 3,
      file,
      `objects[${i}].vertices`,
      `has ${v.length / 3} vertices`,
    );
    const idx = finiteList(o.indices, `objects[${i}].indices`, 3, 'triangle');
    checkLimit(
      limits,
      'faces',
      idx.length / 3,
      file,
      `objects[${i}].indices`,
      `has ${idx.length / 3} triangles`,
    );
    const bad = idx.findIndex((k) => !Number.isInteger(k) || k < 0 || k >= v.length / 3);
    if (bad >= 0)
      fail(`objects[${i}].indices[${bad}]`, `${idx[bad]} is not a vertex index (0…${v.length / 3 - 1})`);
  });
  for (const [id, m] of Object.entries(t.materials!)) {
    if (typeof m !== 'object' || m === null) fail(`materials.${id}`, 'expected an object');
    const kind = (m.spec as { kind?: string } | undefined)?.kind;
    if (kind !== 'itu' && kind !== 'custom' && kind !== 'unknown')
      fail(`materials.${id}.spec.kind`, `expected itu, custom or unknown, got ${JSON.stringify(kind)}`);
    const problems = materialSpecProblems(m.spec);
    if (problems.length > 0) fail(`materials.${id}.spec`, problems.join('; '));
    if (!SOURCES.includes(m.source)) fail(`materials.${id}.source`, `expected one of ${SOURCES.join(', ')}`);
    if (m.calibration !== undefined) checkCalibration(m.calibration, `materials.${id}.calibration`, fail);
  }
  if (t.devices !== undefined) {
    if (!Array.isArray(t.devices)) fail('devices', 'expected an array');
    t.devices!.forEach((d, i) => {
      if (typeof d !== 'object' || d === null || (d.kind !== 'tx' && d.kind !== 'rx'))
        fail(`devices[${i}]`, 'expected {"kind": "tx" | "rx", "name", "position"}');
      if (typeof d.name !== 'string') fail(`devices[${i}].name`, 'expected a string');
      const p = finiteList(d.position, `devices[${i}].position`, 3, 'position');
      if (p.length !== 3) fail(`devices[${i}].position`, 'expected [x, y, z]');
    });
  }
  if (t.provenance !== undefined && (typeof t.provenance !== 'object' || t.provenance === null))
    fail('provenance', 'expected an object');
  if (t.provenance?.inputs !== undefined && !Array.isArray(t.provenance.inputs))
    fail('provenance.inputs', 'expected an array of file names');
  if (t.translator !== undefined) {
    if (typeof t.translator !== 'object' || t.translator === null || typeof t.translator.name !== 'string')
      fail('translator', 'expected {"name", "model": {…}, …}');
    try {
      parseTranslatorJson(JSON.stringify(t.translator!.model), file);
    } catch (e) {
      const err = e as InputError;
      fail(`translator.model${err.element ? `.${err.element}` : ''}`, err.problem ?? err.message);
    }
  }
  if (t.actors !== undefined) {
    if (!Array.isArray(t.actors)) fail('actors', 'expected an array of actor declarations');
    try {
      parseActorsFile(t.actors!.map((a) => JSON.stringify(a)).join('\n'), file);
    } catch (e) {
      const err = e as InputError;
      // the parser counts lines from 1: actors[line − 1]
      const line = /^line (\d+)$/.exec(err.element ?? '');
      fail(line ? `actors[${Number(line[1]) - 1}]` : 'actors', err.problem ?? err.message);
    }
  }
  return t as TwinFile;
}

const CALIBRATION_STATUS = ['calibrated', 'partly calibrated', 'not calibrated'];

/** A material's calibration record: its status and, per parameter, finite numbers (or null) and a flag. */
function checkCalibration(c: unknown, where: string, fail: (where: string, problem: string) => never) {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) fail(where, 'expected an object');
  const r = c as Partial<MaterialCalibration>;
  if (!CALIBRATION_STATUS.includes(r.status as string))
    fail(`${where}.status`, `expected one of ${CALIBRATION_STATUS.join(', ')}`);
  if (typeof r.parameters !== 'object' || r.parameters === null)
    fail(`${where}.parameters`, 'expected an object');
  for (const [name, p] of Object.entries(r.parameters!)) {
    const at = `${where}.parameters.${name}`;
    if (typeof p !== 'object' || p === null) fail(at, 'expected an object');
    for (const k of ['estimate', 'prior'] as const)
      if (typeof p[k] !== 'number' || !Number.isFinite(p[k])) fail(`${at}.${k}`, 'expected a finite number');
    for (const k of ['std', 'relative_std'] as const)
      if (p[k] !== null && (typeof p[k] !== 'number' || !Number.isFinite(p[k])))
        fail(`${at}.${k}`, 'expected a finite number or null');
    if (typeof p.calibrated !== 'boolean') fail(`${at}.calibrated`, 'expected true or false');
  }
}
