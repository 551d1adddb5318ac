import { InputError } from '../core/errors.ts';
import { materialFromLabel, type SceneMaterial } from '../materials/radioMaterial.ts';
import { buildScene } from './buildScene.ts';
import { type FileSource, resolveRelative } from './fileSource.ts';
import { readGltfMeshes } from './gltf.ts';
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
 * through `source` (the file system in Node, dropped files in the browser).
 */
export async function loadScene(source: FileSource, path: string): Promise<Scene> {
  if (!(await source.exists(path))) throw new InputError(path, undefined, 'file not found');
  const ext = extensionOf(path);
  switch (ext) {
    case 'xml':
      return loadMitsubaScene(source, path);
    case 'gltf':
    case 'glb':
      return sceneFromNamedMeshes(baseName(path), await readGltfMeshes(source, path));
    case 'obj': {
      const text = new TextDecoder().decode(await source.read(path));
      const { parts, mesh, mtllibs } = parseObj(text, path);
      const warnings: string[] = [];
      const declared = new Set<string>();
      for (const lib of mtllibs) {
        const p = resolveRelative(path, lib);
        if (await source.exists(p))
          for (const n of parseMtlNames(new TextDecoder().decode(await source.read(p)))) declared.add(n);
        else warnings.push(`${path}: mtllib '${lib}' not found; material names are taken from usemtl only`);
      }
      for (const part of parts) {
        if (part.material && declared.size > 0 && !declared.has(part.material)) {
          warnings.push(`${path}: usemtl '${part.material}' is not declared in ${mtllibs.join(', ')}`);
        }
      }
      const meshes: MeshInput[] = parts.map((p) => ({
        name: parts.filter((q) => q.name === p.name).length > 1 ? `${p.name}_${p.material}` : p.name,
        materialId: p.material,
        vertices: mesh.vertices,
        indices: p.indices,
        file: path,
      }));
      return sceneFromNamedMeshes(baseName(path), meshes, warnings);
    }
    case 'ply': {
      const mesh = parsePly(await source.read(path), path);
      return sceneFromNamedMeshes(baseName(path), [
        { name: baseName(path), materialId: '', vertices: mesh.vertices, indices: mesh.indices, file: path },
      ]);
    }
    default:
      throw new InputError(
        path,
        undefined,
        `unsupported scene format '.${ext}' (expected ${SCENE_EXTENSIONS.map((e) => `.${e}`).join(', ')})`,
      );
  }
}

/**
 * Materials for formats without radio materials: the material name (or, if empty, the
 * object name) is matched to an ITU material by keyword; otherwise it stays unknown.
 */
function sceneFromNamedMeshes(name: string, meshes: MeshInput[], warnings: string[] = []): Scene {
  const materials: Record<string, SceneMaterial> = {};
  const named = meshes.map((m) => {
    // A mesh keeps its own material name (even if unrecognised, so the person sees it);
    // a mesh without one is matched by its object name, else shares the 'unknown' material.
    const label = m.materialId || m.name;
    const id = m.materialId || (materialFromLabel(label).spec.kind !== 'unknown' ? label : 'unknown');
    if (!materials[id]) materials[id] = materialFromLabel(id, label);
    return { ...m, materialId: id };
  });
  return buildScene(name, named, materials, warnings);
}
