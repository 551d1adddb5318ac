import type { SceneMaterial } from '../materials/radioMaterial.ts';
import { buildScene } from './buildScene.ts';
import { InputError } from './errors.ts';
import { objectMesh } from './exportSionna.ts';
import type { Scene } from './types.ts';

export const TWIN_FORMAT = 'rftwin-twin';
export const TWIN_VERSION = 1;

/**
 * A saved twin: geometry, materials with their provenance, and whatever the studio or CLI
 * wants to keep about how they were obtained (inputs, priors, calibration settings, errors).
 */
export interface TwinFile {
  format: typeof TWIN_FORMAT;
  version: number;
  name: string;
  objects: { name: string; materialId: string; vertices: number[]; indices: number[] }[];
  materials: Record<string, SceneMaterial & { confidence?: number; evidence?: unknown }>;
  provenance: Record<string, unknown>;
}

export function twinToJson(scene: Scene, provenance: Record<string, unknown> = {}): TwinFile {
  return {
    format: TWIN_FORMAT,
    version: TWIN_VERSION,
    name: scene.name,
    objects: scene.objects.map((o, i) => ({
      name: o.name,
      materialId: o.materialId,
      ...objectMesh(scene, i),
    })),
    materials: scene.materials,
    provenance: { savedAt: new Date().toISOString(), ...provenance },
  };
}

/** Read a twin JSON (as written by twinToJson); errors name the file and the field. */
export function twinFromJson(
  text: string,
  file: string,
): { scene: Scene; provenance: Record<string, unknown> } {
  let data: TwinFile;
  try {
    data = JSON.parse(text) as TwinFile;
  } catch (e) {
    throw new InputError(file, 'JSON', `is not valid JSON (${(e as Error).message})`);
  }
  if (data?.format !== TWIN_FORMAT)
    throw new InputError(file, 'format', `expected "${TWIN_FORMAT}", got ${JSON.stringify(data?.format)}`);
  if (data.version !== TWIN_VERSION)
    throw new InputError(file, 'version', `expected ${TWIN_VERSION}, got ${data.version}`);
  if (!Array.isArray(data.objects)) throw new InputError(file, 'objects', 'must be a list');
  if (typeof data.materials !== 'object' || data.materials === null)
    throw new InputError(file, 'materials', 'must be an object');
  for (const [id, m] of Object.entries(data.materials)) {
    if (!m || !['itu', 'custom', 'unknown'].includes(m.spec?.kind)) {
      throw new InputError(file, `materials.${id}`, 'needs spec.kind itu, custom or unknown');
    }
    m.id = id;
  }
  const scene = buildScene(
    data.name ?? 'twin',
    data.objects.map((o, i) => {
      if (!Array.isArray(o.vertices) || !Array.isArray(o.indices)) {
        throw new InputError(file, `objects[${i}]`, 'needs vertices and indices arrays');
      }
      return { name: o.name, materialId: o.materialId, vertices: o.vertices, indices: o.indices, file };
    }),
    data.materials,
  );
  return { scene, provenance: data.provenance ?? {} };
}
