import type { Vec3 } from '../../core/vec3.ts';
import { materialFromLabel, type SceneMaterial } from '../../materials/radioMaterial.ts';
import { buildScene } from '../../scene/buildScene.ts';
import { boxMesh, quadMesh } from '../../scene/primitives.ts';
import type { MeshInput, Scene } from '../../scene/types.ts';

/** Small synthetic scenes for tracer tests and benchmarks (built in code, no files). */

/** A planar quad a-b-c-d (two triangles), one object. */
export function quad(name: string, materialId: string, a: Vec3, b: Vec3, c: Vec3, d: Vec3): MeshInput {
  return { name, materialId, ...quadMesh(a, b, c, d), file: `<${name}>` };
}

/** An axis-aligned cuboid (12 triangles, outward winding), one object. */
export function cuboid(name: string, materialId: string, min: Vec3, max: Vec3): MeshInput {
  return { name, materialId, ...boxMesh(min, max), file: `<${name}>` };
}

/** Scene from meshes whose material ids are ITU labels such as `itu_metal`. */
export function sceneFromMeshes(name: string, meshes: MeshInput[]): Scene {
  const materials: Record<string, SceneMaterial> = {};
  for (const m of meshes) materials[m.materialId] ??= materialFromLabel(m.materialId);
  return buildScene(name, meshes, materials);
}

/**
 * Free space for link tests: two 1 cm metal markers 50 m out fix the scene's extent; no path of a
 * link near the origin reaches them usefully.
 */
export const freeSpaceScene = (): Scene =>
  sceneFromMeshes('free', [
    quad(
      'marker-a',
      'itu_metal',
      [-50, -50, -50],
      [-49.99, -50, -50],
      [-49.99, -49.99, -50],
      [-50, -49.99, -50],
    ),
    quad('marker-b', 'itu_metal', [50, 50, 50], [49.99, 50, 50], [49.99, 49.99, 50], [50, 49.99, 50]),
  ]);
