import { InputError } from '../core/errors.ts';
import { hasId, idRecord } from '../core/idRecord.ts';
import { materialFromLabel, type SceneMaterial } from '../materials/radioMaterial.ts';
import { type BuildOptions, buildScene } from './buildScene.ts';
import { type FileSource, InputFiles, type LoadOptions } from './fileSource.ts';
import { readGltf } from './gltf.ts';
import { loadMitsubaScene } from './mitsuba.ts';
import { parseMtlNames, parseObj } from './obj.ts';
import { parsePly } from './ply.ts';
import type { MeshInput, Scene } from './types.ts';

export const SCENE_EXTENSIONS = ['xml', 'gltf', 'glb', 'obj', 'ply'] as const;

const extensionOf = (path: string) => path.split('.').pop()!.toLowerCase();
const baseName = (path: string) =>
  path
    .split('/')
    .pop()!
    .replace(/\.[^.]+$/, '');

/**
 * Load a scene of any supported format. Referenced files are resolved relative to `path`
 * through `source` (the file system in Node, dropped files in the browser), within the folder
 * of `path` and the limits of `options` (DEFAULT_LIMITS otherwise).
 */
export async function loadScene(source: FileSource, path: string, options: LoadOptions = {}): Promise<Scene> {
  const files = new InputFiles(source, path, options);
  const ext = extensionOf(path);
  if (!(SCENE_EXTENSIONS as readonly string[]).includes(ext))
    throw new InputError(
      path,
      'file name',
      `unsupported scene format '.${ext}' (expected ${SCENE_EXTENSIONS.map((e) => `.${e}`).join(', ')})`,
    );
  if (!(await source.exists(path))) throw new InputError(path, undefined, 'file not found');
  const build = { limits: files.limits, file: path };
  switch (ext) {
    case 'xml':
      return loadMitsubaScene(source, path, files);
    case 'gltf':
    case 'glb': {
      const { meshes, warnings } = await readGltf(source, path, files);
      return sceneFromNamedMeshes(baseName(path), meshes, warnings, build);
    }
    case 'obj': {
      const { parts, mtllibs, warnings } = parseObj(await files.readTop(), path, files.limits);
      const declared = new Set<string>();
      for (const lib of mtllibs) {
        const where = `line ${lib.line}`;
        const p = files.resolve(path, lib.name, where, 'mtllib');
        if (await files.exists(p)) {
          for (const n of parseMtlNames(await files.readRef(path, p, where, 'mtllib'), p)) declared.add(n);
        } else
          warnings.push(`${path}: mtllib '${lib.name}' not found; material names are taken from usemtl only`);
      }
      const undeclared = new Set<string>();
      for (const part of parts)
        if (part.material && declared.size > 0 && !declared.has(part.material)) undeclared.add(part.material);
      for (const m of undeclared)
        warnings.push(`${path}: usemtl '${m}' is not declared in ${mtllibs.map((l) => l.name).join(', ')}`);
      // an object split by usemtl keeps its name with the material appended
      const nameCount = new Map<string, number>();
      for (const p of parts) nameCount.set(p.name, (nameCount.get(p.name) ?? 0) + 1);
      const meshes: MeshInput[] = parts.map((p) => ({
        name: nameCount.get(p.name)! > 1 ? `${p.name}_${p.material}` : p.name,
        materialId: p.material,
        vertices: p.vertices,
        indices: p.indices,
        file: path,
      }));
      return sceneFromNamedMeshes(baseName(path), meshes, warnings, build);
    }
    case 'ply': {
      const mesh = parsePly(await files.readTop(), path, files.limits);
      return sceneFromNamedMeshes(
        baseName(path),
        [
          {
            name: baseName(path),
            materialId: '',
            vertices: mesh.vertices,
            indices: mesh.indices,
            file: path,
          },
        ],
        mesh.warnings,
        build,
      );
    }
    default:
      throw new InputError(path, 'file name', `unsupported scene format '.${ext}'`);
  }
}

/**
 * Materials for formats without radio materials: the material name (or, if empty, the
 * object name) is matched to an ITU material by keyword; otherwise it stays unknown.
 */
function sceneFromNamedMeshes(
  name: string,
  meshes: MeshInput[],
  warnings: string[],
  options: BuildOptions,
): Scene {
  const materials = idRecord<SceneMaterial>();
  const named = meshes.map((m) => {
    // A mesh keeps its own material name (even if unrecognised, so the person sees it);
    // a mesh without one is matched by its object name, else shares the 'unknown' material.
    const label = m.materialId || m.name;
    const id = m.materialId || (materialFromLabel(label).spec.kind !== 'unknown' ? label : 'unknown');
    if (!hasId(materials, id)) materials[id] = materialFromLabel(id, label);
    return { ...m, materialId: id };
  });
  return buildScene(name, named, materials, warnings, options);
}
