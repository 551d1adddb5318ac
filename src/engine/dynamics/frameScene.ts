import type { Vec3 } from '../core/vec3.ts';
import { buildScene } from '../scene/buildScene.ts';
import type { SimpleMesh } from '../scene/primitives.ts';
import type { MeshInput, Scene } from '../scene/types.ts';
import { type Bvh, buildBvh, refitBvh } from '../tracer/bvh.ts';
import {
  type ActorSpec,
  actorMaterialId,
  actorSceneMaterial,
  type Pose,
  placeVertices,
  shapeMesh,
} from './actors.ts';

/**
 * The scene of one frame: the static twin's objects first (the same objects, faces and face ids
 * as the static scene), then one object per actor at its pose. The static scene is rebuilt the
 * same way (rebuildStatic) so that both go through buildScene from the same triangles.
 */
export interface FrameScene {
  scene: Scene;
  /** objects [0, staticObjects) are the twin's; the actor i is object staticObjects + i */
  staticObjects: number;
  /** faces [0, staticFaces) are the twin's */
  staticFaces: number;
  /**
   * The frame's BVH: the root's children are the twin's triangles and the actors'
   * (buildBvh's split); refit from the previous frame's when the layout is the same.
   */
  bvh: Bvh;
}

/** The static scene's objects as meshes (world triangles, one vertex per corner). */
export function staticMeshes(scene: Scene): MeshInput[] {
  return scene.objects.map((o) => {
    const vertices = scene.positions.slice(9 * o.triangleOffset, 9 * (o.triangleOffset + o.triangleCount));
    const indices = new Uint32Array(3 * o.triangleCount);
    for (let i = 0; i < indices.length; i++) indices[i] = i;
    return { name: o.name, materialId: o.materialId, vertices, indices, file: scene.name };
  });
}

/** The actors' meshes in their own frames, built once. */
export const actorMeshes = (actors: readonly ActorSpec[]): SimpleMesh[] =>
  actors.map((a) => shapeMesh(a.shape));

/**
 * A frame: the static meshes with the actors placed at `poses` (one per actor, same order).
 * Actor objects are named `actor:<id>`. Given the `previous` frame of the same twin and actors
 * (the same triangles, only the actors moved), its BVH is refit to this frame's positions
 * rather than rebuilt (refitBvh: the same culling-only tree, exact for any motion).
 */
export function frameScene(
  base: Scene,
  meshes: readonly MeshInput[],
  actors: readonly ActorSpec[],
  shapes: readonly SimpleMesh[],
  poses: readonly Pose[],
  frequencyHz: number,
  previous?: FrameScene,
): FrameScene {
  const materials = { ...base.materials };
  const inputs: MeshInput[] = [...meshes];
  actors.forEach((a, i) => {
    const m = actorSceneMaterial(a.material, a.shape, frequencyHz);
    materials[m.id] = m;
    inputs.push({
      name: `actor:${a.id}`,
      materialId: actorMaterialId(a.material, a.shape),
      vertices: placeVertices(shapes[i]!, poses[i]!),
      indices: shapes[i]!.indices,
      file: a.shape.kind === 'mesh' ? a.shape.file : base.name,
    });
  });
  const scene = buildScene(base.name, inputs, materials, [], { file: base.name });
  const staticFaces = scene.objects.slice(0, meshes.length).reduce((n, o) => n + o.faceIds.length, 0);
  const triangles = scene.triangleObject.length;
  const staticTriangles = scene.objects[meshes.length]?.triangleOffset ?? triangles;
  const sameLayout =
    previous !== undefined &&
    previous.scene.triangleObject.length === triangles &&
    previous.staticObjects === meshes.length &&
    previous.staticFaces === staticFaces;
  const bvh = sameLayout ? refitBvh(previous.bvh, scene.positions) : buildBvh(scene, staticTriangles);
  return { scene, staticObjects: meshes.length, staticFaces, bvh };
}

/** Axis-aligned bounds of the actors' triangles in a frame scene, 6 per actor (min xyz, max xyz). */
export function actorBounds(frame: FrameScene): Float64Array {
  const { scene, staticObjects } = frame;
  const n = scene.objects.length - staticObjects;
  const out = new Float64Array(6 * n);
  for (let a = 0; a < n; a++) {
    const o = scene.objects[staticObjects + a]!;
    const min: Vec3 = [Infinity, Infinity, Infinity];
    const max: Vec3 = [-Infinity, -Infinity, -Infinity];
    for (let i = 9 * o.triangleOffset; i < 9 * (o.triangleOffset + o.triangleCount); i += 3) {
      for (let k = 0; k < 3; k++) {
        min[k] = Math.min(min[k]!, scene.positions[i + k]!);
        max[k] = Math.max(max[k]!, scene.positions[i + k]!);
      }
    }
    out.set([...min, ...max], 6 * a);
  }
  return out;
}
