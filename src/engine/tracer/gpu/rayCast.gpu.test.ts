import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sionnaSceneFiles } from '../../../test/paths.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { acquireGpu, describeAdapter, type GpuContext, releaseGpu } from '../../gpu/device.ts';
import { nodeFileSource } from '../../node/nodeFileSource.ts';
import { loadScene } from '../../scene/load.ts';
import type { Scene } from '../../scene/types.ts';
import { buildBvh, closestHit } from '../bvh.ts';
import { castRays, type GpuRay } from './rayCast.ts';
import { uploadScene } from './sceneBuffers.ts';
import { rng } from './testSupport.ts';

const sceneFiles = sionnaSceneFiles();

function randomRays(scene: Scene, count: number, seed: number): GpuRay[] {
  const r = rng(seed);
  const { min, max } = scene.bbox;
  const rays: GpuRay[] = [];
  for (let i = 0; i < count; i++) {
    // origins in the (slightly enlarged) bounding box, isotropic directions
    const origin: Vec3 = [0, 1, 2].map((k) => min[k]! - 1 + (max[k]! - min[k]! + 2) * r()) as Vec3;
    const z = 2 * r() - 1;
    const phi = 2 * Math.PI * r();
    const s = Math.sqrt(1 - z * z);
    rays.push({ origin, direction: [s * Math.cos(phi), s * Math.sin(phi), z] });
  }
  return rays;
}

let ctx: GpuContext;
beforeAll(async () => {
  ctx = await acquireGpu();
  console.log(`WebGPU adapter: ${describeAdapter(ctx.adapter)}`);
});
afterAll(releaseGpu);

describe('GPU ray casting (WGSL BVH traversal) agrees with bvh.ts closestHit', () => {
  it.each(sceneFiles)('%s: 4000 random rays', async (file) => {
    const scene = await loadScene(nodeFileSource, file);
    const bvh = buildBvh(scene);
    const gpuScene = uploadScene(ctx, scene, bvh);
    const rays = randomRays(scene, 4000, 7);
    const gpu = await castRays(ctx, gpuScene, rays);
    gpuScene.destroy();
    const extent = Math.hypot(
      ...scene.bbox.max.map((m, k) => Math.max(Math.abs(m), Math.abs(scene.bbox.min[k]!))),
    );
    let hits = 0;
    let mismatches = 0;
    rays.forEach((ray, i) => {
      const cpu = closestHit(scene, bvh, ray.origin, ray.direction, 1e-6);
      const g = gpu[i];
      if (cpu) hits++;
      if (!cpu || !g) {
        // a miss on one side only is allowed solely for rays grazing a triangle edge (f32)
        if (cpu || g) mismatches++;
        return;
      }
      // same face (coplanar triangles of a face are interchangeable at a shared edge), same distance
      const sameFace = scene.triangleFace[cpu.triangle] === scene.triangleFace[g.triangle];
      if (!sameFace && Math.abs(cpu.t - g.t) > 2e-6 * (extent + cpu.t)) mismatches++;
      // f32 coordinates: absolute error a few ulps of the scene's coordinates (1.2e-7 relative)
      expect(Math.abs(g.t - cpu.t)).toBeLessThan(2e-6 * (extent + cpu.t));
    });
    expect(hits).toBeGreaterThan(100);
    expect(mismatches).toBeLessThanOrEqual(2);
  });
});
