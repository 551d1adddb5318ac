import { materialFromLabel, type SceneMaterial } from '../../materials/radioMaterial.ts';
import { buildScene } from '../../scene/buildScene.ts';
import type { MeshInput, Scene } from '../../scene/types.ts';
import type { Vec3 } from '../../vec3.ts';

/** Small synthetic scenes for tracer tests and benchmarks (built in code, no files). */

/** A planar quad a-b-c-d (two triangles), one object. */
export function quad(name: string, materialId: string, a: Vec3, b: Vec3, c: Vec3, d: Vec3): MeshInput {
  return {
    name,
    materialId,
    vertices: [...a, ...b, ...c, ...d],
    indices: [0, 1, 2, 0, 2, 3],
    file: `<${name}>`,
  };
}

/** An axis-aligned cuboid (12 triangles, outward winding), one object. */
export function cuboid(name: string, materialId: string, min: Vec3, max: Vec3): MeshInput {
  const [x0, y0, z0] = min;
  const [x1, y1, z1] = max;
  const v = [
    [x0, y0, z0],
    [x1, y0, z0],
    [x1, y1, z0],
    [x0, y1, z0],
    [x0, y0, z1],
    [x1, y0, z1],
    [x1, y1, z1],
    [x0, y1, z1],
  ].flat();
  // prettier-ignore
  const indices = [
    0,
    2,
    1,
    0,
    3,
    2, // bottom (−z)
    4,
    5,
    6,
    4,
    6,
    7, // top (+z)
    0,
    1,
    5,
    0,
    5,
    4, // −y
    2,
    3,
    7,
    2,
    7,
    6, // +y
    1,
    2,
    6,
    1,
    6,
    5, // +x
    3,
    0,
    4,
    3,
    4,
    7, // −x
  ];
  return { name, materialId, vertices: v, indices, file: `<${name}>` };
}

/** Scene from meshes whose material ids are ITU labels such as `itu_metal`. */
export function sceneFromMeshes(name: string, meshes: MeshInput[]): Scene {
  const materials: Record<string, SceneMaterial> = {};
  for (const m of meshes) materials[m.materialId] ??= materialFromLabel(m.materialId);
  return buildScene(name, meshes, materials);
}
