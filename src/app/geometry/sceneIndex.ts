import type { Scene } from '../../engine/scene/index.ts';
import { type Bvh, buildBvh, solidObjects } from '../../engine/tracer/index.ts';

/** What the page needs to answer geometric questions about the twin: its BVH and its solids. */
export interface SceneIndex {
  bvh: Bvh;
  /** objects a device cannot be inside (closed meshes that are not the room itself) */
  solid: boolean[];
}

const cache = new WeakMap<Scene, SceneIndex>();

/**
 * The scene's index, built on first use and kept while the scene lives: picking in the viewport
 * and device checks traverse the engine's BVH (the same one the tracer uses) instead of testing
 * every triangle of every mesh.
 */
export function sceneIndex(scene: Scene): SceneIndex {
  let index = cache.get(scene);
  if (!index) {
    index = { bvh: buildBvh(scene), solid: solidObjects(scene) };
    cache.set(scene, index);
  }
  return index;
}
