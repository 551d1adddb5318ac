import type { Vec3 } from '../core/vec3.ts';
import type { SceneMaterial } from '../materials/radioMaterial.ts';

/**
 * A planar reflector: coplanar, edge-connected triangles of one object
 * (a wall made of two triangles is one face). The normal follows the triangles' winding.
 */
export interface Face {
  id: number;
  objectIndex: number;
  normal: Vec3;
  /** plane offset: dot(normal, x) = offset for points x on the face */
  offset: number;
  triangles: number[];
  area: number;
  /**
   * Faces of other objects coplanar with this one and overlapping it that take precedence where
   * they overlap (scene/coincidentFaces.ts: the smaller face first); absent when there are none.
   */
  overlappedBy?: number[];
}

export interface SceneObject {
  name: string;
  materialId: string;
  /** first triangle of this object in the scene's triangle arrays */
  triangleOffset: number;
  triangleCount: number;
  faceIds: number[];
}

export interface BoundingBox {
  min: Vec3;
  max: Vec3;
}

/**
 * The one scene representation: a world-space triangle soup tagged by object and face,
 * plus the materials referenced by the objects. Geometry never depends on materials.
 */
export interface Scene {
  name: string;
  objects: SceneObject[];
  materials: Record<string, SceneMaterial>;
  /** 9 numbers per triangle: v0, v1, v2 in world coordinates (metres) */
  positions: Float64Array;
  triangleObject: Uint32Array;
  triangleFace: Uint32Array;
  faces: Face[];
  bbox: BoundingBox;
  /** non-fatal notes from import (unknown materials, degenerate triangles dropped, …) */
  warnings: string[];
}

/** One mesh as an importer produces it, before it becomes part of a Scene. */
export interface MeshInput {
  name: string;
  materialId: string;
  /** xyz per vertex */
  vertices: ArrayLike<number>;
  /** 3 vertex indices per triangle */
  indices: ArrayLike<number>;
  /** column-major 4×4 object-to-world matrix (as three.js), applied by buildScene */
  transform?: number[];
  /** where the mesh came from, for error messages */
  file: string;
}

export const triangleCount = (scene: Scene): number => scene.triangleObject.length;
