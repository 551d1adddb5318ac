import { InputError } from '../core/errors.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { SceneMaterial } from '../materials/radioMaterial.ts';
import { groupFaces, triangleNormalArea } from './faces.ts';
import type { Face, MeshInput, Scene, SceneObject } from './types.ts';

/** Apply a column-major 4×4 matrix to a point. */
export function transformPoint(m: readonly number[], x: number, y: number, z: number): Vec3 {
  const w = m[3]! * x + m[7]! * y + m[11]! * z + m[15]!;
  return [
    (m[0]! * x + m[4]! * y + m[8]! * z + m[12]!) / w,
    (m[1]! * x + m[5]! * y + m[9]! * z + m[13]!) / w,
    (m[2]! * x + m[6]! * y + m[10]! * z + m[14]!) / w,
  ];
}

/**
 * Assemble meshes into the scene representation: world-space triangles, faces, bounding box.
 * Rejects NaN/infinite vertices and out-of-range indices with the file and object named;
 * drops zero-area triangles with a warning.
 */
export function buildScene(
  name: string,
  meshes: MeshInput[],
  materials: Record<string, SceneMaterial>,
  warnings: string[] = [],
): Scene {
  const tris: number[] = [];
  const triObject: number[] = [];
  const objects: SceneObject[] = [];
  for (const mesh of meshes) {
    const nVerts = Math.floor(mesh.vertices.length / 3);
    for (let v = 0; v < nVerts; v++) {
      for (let k = 0; k < 3; k++) {
        const x = mesh.vertices[3 * v + k]!;
        if (!Number.isFinite(x)) {
          throw new InputError(
            mesh.file,
            `object '${mesh.name}' vertex ${v}`,
            `coordinate ${'xyz'[k]} is ${x}, expected a finite number`,
          );
        }
      }
    }
    if (mesh.indices.length % 3 !== 0) {
      throw new InputError(
        mesh.file,
        `object '${mesh.name}'`,
        `index count ${mesh.indices.length} is not a multiple of 3`,
      );
    }
    if (mesh.transform) {
      if (mesh.transform.length !== 16 || !mesh.transform.every(Number.isFinite)) {
        throw new InputError(mesh.file, `object '${mesh.name}'`, 'transform must be 16 finite numbers');
      }
    }
    const world: Vec3[] = [];
    for (let v = 0; v < nVerts; v++) {
      const x = mesh.vertices[3 * v]!;
      const y = mesh.vertices[3 * v + 1]!;
      const z = mesh.vertices[3 * v + 2]!;
      world.push(mesh.transform ? transformPoint(mesh.transform, x, y, z) : [x, y, z]);
    }
    const start = triObject.length;
    let dropped = 0;
    for (let t = 0; t < mesh.indices.length / 3; t++) {
      const idx = [mesh.indices[3 * t]!, mesh.indices[3 * t + 1]!, mesh.indices[3 * t + 2]!];
      for (const i of idx) {
        if (!Number.isInteger(i) || i < 0 || i >= nVerts) {
          throw new InputError(
            mesh.file,
            `object '${mesh.name}' triangle ${t}`,
            `vertex index ${i} outside 0…${nVerts - 1}`,
          );
        }
      }
      const p = idx.map((i) => world[i]!);
      const e1 = [p[1]![0] - p[0]![0], p[1]![1] - p[0]![1], p[1]![2] - p[0]![2]];
      const e2 = [p[2]![0] - p[0]![0], p[2]![1] - p[0]![1], p[2]![2] - p[0]![2]];
      const cx = e1[1]! * e2[2]! - e1[2]! * e2[1]!;
      const cy = e1[2]! * e2[0]! - e1[0]! * e2[2]!;
      const cz = e1[0]! * e2[1]! - e1[1]! * e2[0]!;
      if (Math.hypot(cx, cy, cz) < 1e-12) {
        dropped++;
        continue;
      }
      for (const q of p) tris.push(q[0], q[1], q[2]);
      triObject.push(objects.length);
    }
    if (dropped > 0)
      warnings.push(`${mesh.file}: object '${mesh.name}': dropped ${dropped} zero-area triangle(s)`);
    objects.push({
      name: mesh.name,
      materialId: mesh.materialId,
      triangleOffset: start,
      triangleCount: triObject.length - start,
      faceIds: [],
    });
  }
  const positions = Float64Array.from(tris);
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, positions[i + k]!);
      max[k] = Math.max(max[k]!, positions[i + k]!);
    }
  }
  if (positions.length === 0) {
    min.fill(0);
    max.fill(0);
  }
  const size = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const faces: Face[] = [];
  const triangleFace = new Uint32Array(triObject.length);
  objects.forEach((obj, oi) => {
    const objFaces = groupFaces(positions, obj.triangleOffset, obj.triangleCount, oi, faces.length, size);
    for (const f of objFaces) {
      obj.faceIds.push(f.id);
      for (const t of f.triangles) triangleFace[t] = f.id;
      faces.push(f);
    }
  });
  for (const obj of objects) {
    const mat = materials[obj.materialId];
    if (!mat)
      throw new Error(
        `object '${obj.name}' references material '${obj.materialId}' which the scene does not define`,
      );
    if (mat.spec.kind === 'unknown') {
      warnings.push(
        `object '${obj.name}': material '${obj.materialId}' not recognised; traced as concrete until assigned`,
      );
    }
  }
  return {
    name,
    objects,
    materials,
    positions,
    triangleObject: Uint32Array.from(triObject),
    triangleFace,
    faces,
    bbox: { min, max },
    warnings,
  };
}

/** Unit normal of a triangle of the scene (by winding). */
export const sceneTriangleNormal = (scene: Scene, t: number): Vec3 =>
  triangleNormalArea(scene.positions, t).normal;
