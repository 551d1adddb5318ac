import { InputError } from '../core/errors.ts';
import { getId } from '../core/idRecord.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { SceneMaterial } from '../materials/radioMaterial.ts';
import { Float64List, Uint32List } from './arrays.ts';
import { applyCoincidenceRule, findCoincidentFaces } from './coincidentFaces.ts';
import { groupFaces, triangleNormalArea } from './faces.ts';
import { transformProblem } from './matrix4.ts';
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
 * Largest coordinate a scene may have, in metres: beyond it normals and distances lose all
 * precision (and squares overflow); a twin spans at most a city, so such a value is a unit error.
 */
export const MAX_COORDINATE = 1e9;

export interface BuildOptions {
  limits?: InputLimits;
  /** the scene file, named when the scene as a whole is wrong (empty) */
  file?: string;
}

/**
 * Assemble meshes into the scene representation: world-space triangles, faces, bounding box.
 * Rejects NaN/infinite vertices, out-of-range indices, singular or non-finite transforms and
 * scenes without triangles, with the file and object named; drops zero-area triangles with a
 * warning, and warns about coincident surfaces (coincidentFaces.ts).
 */
export function buildScene(
  name: string,
  meshes: MeshInput[],
  materials: Record<string, SceneMaterial>,
  warnings: string[] = [],
  options: BuildOptions = {},
): Scene {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const sceneFile = options.file ?? meshes[0]?.file ?? name;
  checkLimit(limits, 'objects', meshes.length, sceneFile, 'scene', `has ${meshes.length} objects`);
  const tris = new Float64List();
  const triObject = new Uint32List();
  const objects: SceneObject[] = [];
  for (const mesh of meshes) {
    const nVerts = Math.floor(mesh.vertices.length / 3);
    if (mesh.indices.length % 3 !== 0) {
      throw new InputError(
        mesh.file,
        `object '${mesh.name}'`,
        `index count ${mesh.indices.length} is not a multiple of 3`,
      );
    }
    if (mesh.transform) {
      const problem = transformProblem(mesh.transform);
      if (problem) throw new InputError(mesh.file, `object '${mesh.name}' transform`, problem);
    }
    const world = new Float64Array(3 * nVerts);
    for (let v = 0; v < nVerts; v++) {
      const x = mesh.vertices[3 * v]!;
      const y = mesh.vertices[3 * v + 1]!;
      const z = mesh.vertices[3 * v + 2]!;
      for (const [k, c] of [x, y, z].entries()) {
        if (!Number.isFinite(c)) {
          throw new InputError(
            mesh.file,
            `object '${mesh.name}' vertex ${v}`,
            `coordinate ${'xyz'[k]} is ${c}, expected a finite number`,
          );
        }
      }
      const p = mesh.transform ? transformPoint(mesh.transform, x, y, z) : [x, y, z];
      if (!p.every((c) => Math.abs(c) <= MAX_COORDINATE))
        throw new InputError(
          mesh.file,
          `object '${mesh.name}' vertex ${v}`,
          `is at (${p.map((c) => c.toPrecision(4)).join(', ')}) m${mesh.transform ? ' after the transform' : ''}, beyond ±${MAX_COORDINATE} m (wrong units?)`,
        );
      world[3 * v] = p[0]!;
      world[3 * v + 1] = p[1]!;
      world[3 * v + 2] = p[2]!;
    }
    const start = triObject.length;
    let dropped = 0;
    const nTris = mesh.indices.length / 3;
    checkLimit(
      limits,
      'faces',
      start + nTris,
      mesh.file,
      `object '${mesh.name}'`,
      `the scene has more than ${start} triangles`,
    );
    for (let t = 0; t < nTris; t++) {
      const i0 = mesh.indices[3 * t]!;
      const i1 = mesh.indices[3 * t + 1]!;
      const i2 = mesh.indices[3 * t + 2]!;
      for (const i of [i0, i1, i2]) {
        if (!Number.isInteger(i) || i < 0 || i >= nVerts) {
          throw new InputError(
            mesh.file,
            `object '${mesh.name}' triangle ${t}`,
            `vertex index ${i} outside 0…${nVerts - 1}`,
          );
        }
      }
      const a = 3 * i0;
      const b = 3 * i1;
      const c = 3 * i2;
      const e1x = world[b]! - world[a]!;
      const e1y = world[b + 1]! - world[a + 1]!;
      const e1z = world[b + 2]! - world[a + 2]!;
      const e2x = world[c]! - world[a]!;
      const e2y = world[c + 1]! - world[a + 1]!;
      const e2z = world[c + 2]! - world[a + 2]!;
      const cx = e1y * e2z - e1z * e2y;
      const cy = e1z * e2x - e1x * e2z;
      const cz = e1x * e2y - e1y * e2x;
      if (!(Math.hypot(cx, cy, cz) >= 1e-12)) {
        dropped++;
        continue;
      }
      for (const q of [a, b, c]) {
        tris.push(world[q]!);
        tris.push(world[q + 1]!);
        tris.push(world[q + 2]!);
      }
      triObject.push(objects.length);
    }
    if (dropped > 0)
      warnings.push(`${mesh.file}: object '${mesh.name}': dropped ${dropped} zero-area triangle(s)`);
    if (triObject.length === start)
      warnings.push(`${mesh.file}: object '${mesh.name}' has no triangles with an area; it is empty`);
    objects.push({
      name: mesh.name,
      materialId: mesh.materialId,
      triangleOffset: start,
      triangleCount: triObject.length - start,
      faceIds: [],
    });
  }
  if (triObject.length === 0)
    throw new InputError(
      sceneFile,
      'scene',
      meshes.length === 0
        ? 'has no objects: nothing to trace'
        : `its ${meshes.length} object(s) have no triangle with an area: nothing to trace`,
    );
  const positions = tris.toArray();
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, positions[i + k]!);
      max[k] = Math.max(max[k]!, positions[i + k]!);
    }
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
  warnings.push(
    ...applyCoincidenceRule(faces, objects, findCoincidentFaces(positions, triangleFace, faces, size)),
  );
  for (const obj of objects) {
    const mat = getId(materials, obj.materialId);
    if (!mat)
      throw new InputError(
        sceneFile,
        `object '${obj.name}'`,
        `references material '${obj.materialId}' which the scene does not define`,
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
    triangleObject: triObject.toArray(),
    triangleFace,
    faces,
    bbox: { min, max },
    warnings,
  };
}

/** Unit normal of a triangle of the scene (by winding). */
export const sceneTriangleNormal = (scene: Scene, t: number): Vec3 =>
  triangleNormalArea(scene.positions, t).normal;
