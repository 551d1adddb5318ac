import type { Vec3 } from '../core/vec3.ts';
import { ituParameters } from '../materials/itu.ts';
import {
  DEFAULT_THICKNESS,
  ituSpec,
  type RadioParameters,
  type SceneMaterial,
} from '../materials/radioMaterial.ts';
import { buildScene } from '../scene/buildScene.ts';
import type { MeshInput, Scene } from '../scene/types.ts';

/**
 * Small analytic scenes for the field tests (not test files themselves so that several test
 * files share them): a large horizontal plate and a right-angled wedge.
 */

/** Square plate in the plane z = 0, normal +z, side `size`, one material. */
export function plateScene(materialId: string, size = 2000): Scene {
  const h = size / 2;
  const mesh: MeshInput = {
    name: 'plate',
    materialId,
    vertices: [-h, -h, 0, h, -h, 0, h, h, 0, -h, h, 0],
    indices: [0, 1, 2, 0, 2, 3],
    file: 'test-plate',
  };
  return buildScene('plate', [mesh], {
    [materialId]: { id: materialId, spec: ituSpec('metal'), source: 'manual' },
  });
}

/**
 * Right-angled wedge along the z axis (edge x = y = 0, z ∈ [−h, h]): face 0 lies in y = 0 for
 * x ≤ 0 (normal +y), face n in x = 0 for y ≤ 0 (normal +x). The solid is the quadrant x < 0, y < 0;
 * free space is the other 270° (exterior angle nπ with n = 1.5).
 */
export function wedgeScene(materialId: string, size = 200, height = 200, materialIdN = materialId): Scene {
  const s = size;
  const h = height / 2;
  const face0: MeshInput = {
    name: 'face0',
    materialId,
    // y = 0, x ∈ [−s, 0], z ∈ [−h, h]; winding gives normal +y
    vertices: [0, 0, -h, -s, 0, -h, -s, 0, h, 0, 0, h],
    indices: [0, 1, 2, 0, 2, 3],
    file: 'test-wedge',
  };
  const faceN: MeshInput = {
    name: 'faceN',
    materialId: materialIdN,
    // x = 0, y ∈ [−s, 0]; winding gives normal +x
    vertices: [0, 0, -h, 0, 0, h, 0, -s, h, 0, -s, -h],
    indices: [0, 1, 2, 0, 2, 3],
    file: 'test-wedge',
  };
  return buildScene('wedge', [face0, faceN], {
    [materialId]: { id: materialId, spec: ituSpec('metal'), source: 'manual' } satisfies SceneMaterial,
    [materialIdN]: { id: materialIdN, spec: ituSpec('metal'), source: 'manual' } satisfies SceneMaterial,
  });
}

/** Radio parameters of an ITU material at a frequency (S = 0, Kx = 0, d = 0.1 m unless given). */
export function ituRadio(
  name: string,
  frequencyHz: number,
  extra: Partial<RadioParameters> = {},
): RadioParameters {
  return {
    ...ituParameters(name, frequencyHz),
    scatteringCoefficient: 0,
    xpdCoefficient: 0,
    thickness: DEFAULT_THICKNESS,
    ...extra,
  };
}

/** Specular point on the plane z = 0 between a and b (both above it). */
export function groundReflectionPoint(a: Vec3, b: Vec3): Vec3 {
  const t = a[2] / (a[2] + b[2]);
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, 0];
}

/** Quadrilateral (two triangles, corners in order; the normal follows the winding). */
export function quad(name: string, materialId: string, corners: [Vec3, Vec3, Vec3, Vec3]): MeshInput {
  return { name, materialId, vertices: corners.flat(), indices: [0, 1, 2, 0, 2, 3], file: `test-${name}` };
}

/** Scene of the given meshes; the scene materials are placeholders (tests pass radio parameters). */
export function meshScene(name: string, meshes: MeshInput[]): Scene {
  const materials: Record<string, SceneMaterial> = {};
  for (const m of meshes)
    materials[m.materialId] = { id: m.materialId, spec: ituSpec('concrete'), source: 'manual' };
  return buildScene(name, meshes, materials);
}
