import type { Vec3 } from '../../core/vec3.ts';
import {
  bindBuffers,
  computePipeline,
  dispatchGrid,
  emptyBuffer,
  readBack,
  storageBuffer,
  uniformBuffer,
} from '../../gpu/buffers.ts';
import { type GpuContext, withGpuErrors } from '../../gpu/device.ts';
import bvhTraversal from './bvhTraversal.wgsl?raw';
import rayCastKernel from './rayCast.wgsl?raw';
import { kernelSource, type SceneOnGpu } from './sceneBuffers.ts';

export interface GpuRay {
  origin: Vec3;
  /** unit direction */
  direction: Vec3;
  tMin?: number;
  tMax?: number;
}

/** Closest hits of many rays on the GPU (f32): per ray the distance and scene triangle, or undefined. */
export async function castRays(
  ctx: GpuContext,
  scene: SceneOnGpu,
  rays: readonly GpuRay[],
): Promise<({ t: number; triangle: number } | undefined)[]> {
  if (rays.length === 0) return [];
  const data = new Float32Array(8 * rays.length);
  rays.forEach((r, i) => {
    data.set([...r.origin, r.tMin ?? 1e-6, ...r.direction, Math.min(r.tMax ?? 3e38, 3e38)], 8 * i);
  });
  const pipeline = computePipeline(
    ctx,
    kernelSource(`${bvhTraversal}\n${rayCastKernel}`, scene.packed),
    'rayCast',
  );
  const bytes = 8 * rays.length;
  const result = await withGpuErrors(ctx, 'casting rays', () => {
    const params = uniformBuffer(ctx, Uint32Array.of(rays.length), 'rayCast params');
    const rayBuf = storageBuffer(ctx, data, 'rays');
    const hits = emptyBuffer(ctx, bytes, 'hits', GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      bindBuffers(ctx, pipeline, { 0: scene.nodes, 1: scene.triangles, 4: params, 5: rayBuf, 6: hits }),
    );
    pass.dispatchWorkgroups(...dispatchGrid(rays.length, 64));
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
    return { params, rayBuf, hits };
  });
  const out = await readBack(ctx, result.hits, bytes);
  for (const b of [result.params, result.rayBuf, result.hits]) b.destroy();
  const f = new Float32Array(out);
  const u = new Uint32Array(out);
  return rays.map((_, i) => (f[2 * i]! >= 1e38 ? undefined : { t: f[2 * i]!, triangle: u[2 * i + 1]! }));
}
