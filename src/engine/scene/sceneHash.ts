import { fingerprint } from '../core/hash.ts';
import type { Scene } from './types.ts';

/**
 * A fingerprint of a scene's geometry and material references (core/hash.ts): two runs that
 * loaded the same scene agree on it, so parts of one job computed on different machines (map
 * tiles, link chunks) can be told from parts of another scene. Covers the triangle coordinates
 * (their float64 bytes), the triangle → object and face tags, and the objects' names and
 * materials.
 */
export function sceneHash(scene: Scene): string {
  return fingerprint([
    scene.positions,
    scene.triangleObject,
    scene.triangleFace,
    new TextEncoder().encode(JSON.stringify(scene.objects.map((o) => [o.name, o.materialId]))),
  ]);
}
