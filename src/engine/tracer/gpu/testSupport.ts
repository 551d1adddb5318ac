import type { Vec3 } from '../../core/vec3.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh, closestHit } from '../bvh.ts';

/** Deterministic pseudo-random numbers (mulberry32) so that failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A transmitter and `count` receivers at random in the scene's bounding box (inner 90 %);
 * flat scenes (one plate) get heights of 1–2 m above it so that paths exist.
 */
export function randomLinks(scene: Scene, count: number, seed: number): { tx: Vec3; rx: Vec3[] } {
  const r = rng(seed);
  const { min, max } = scene.bbox;
  const bvh = buildBvh(scene);
  const raw = (): Vec3 => {
    const p = [0, 1, 2].map((k) => min[k]! + (max[k]! - min[k]!) * (0.05 + 0.9 * r())) as Vec3;
    if (max[2] - min[2] < 1e-3) p[2] = max[2] + 1 + r();
    return p;
  };
  // prefer open-sky points (nothing straight above: not inside a building); closed scenes
  // (the box) have none, and then any point is taken
  const point = (): Vec3 => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const p = raw();
      if (!closestHit(scene, bvh, p, [0, 0, 1])) return p;
    }
    return raw();
  };
  const tx = point();
  return { tx, rx: Array.from({ length: count }, point) };
}
