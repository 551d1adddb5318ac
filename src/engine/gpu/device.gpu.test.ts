import { afterAll, describe, expect, it } from 'vitest';
import { sionnaScenePath } from '../../test/paths.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import { buildBvh } from '../tracer/bvh.ts';
import { castRays } from '../tracer/gpu/rayCast.ts';
import { uploadScene } from '../tracer/gpu/sceneBuffers.ts';
import { resolveBackend } from './backend.ts';
import { emptyBuffer } from './buffers.ts';
import { acquireGpu, describeAdapter, releaseGpu } from './device.ts';
import { GpuDeviceLostError, GpuOutOfMemoryError } from './errors.ts';

afterAll(releaseGpu);

describe('WebGPU device layer (Node: Dawn, SwiftShader when there is no GPU)', () => {
  it('finds an adapter and says which', async () => {
    const ctx = await acquireGpu();
    expect(describeAdapter(ctx.adapter)).toMatch(/via Dawn/);
    expect((await resolveBackend('auto')).backend).toBe('webgpu');
    expect((await resolveBackend('cpu')).backend).toBe('cpu');
  });

  it('a buffer over the adapter limit is a GpuOutOfMemoryError naming the buffer', async () => {
    const ctx = await acquireGpu();
    expect(() => emptyBuffer(ctx, 2 ** 42, 'huge test buffer', GPUBufferUsage.STORAGE)).toThrow(
      GpuOutOfMemoryError,
    );
    expect(() => emptyBuffer(ctx, 2 ** 42, 'huge test buffer', GPUBufferUsage.STORAGE)).toThrow(
      /huge test buffer/,
    );
  });

  it('a lost device gives GpuDeviceLostError, and the next acquire opens a new device', async () => {
    const scene = await loadScene(nodeFileSource, sionnaScenePath('box'));
    const bvh = buildBvh(scene);
    const ctx = await acquireGpu();
    const gpuScene = uploadScene(ctx, scene, bvh);
    ctx.device.destroy();
    await ctx.device.lost;
    await new Promise((r) => setTimeout(r, 0)); // let the lost handler run
    await expect(castRays(ctx, gpuScene, [{ origin: [0, 0, 1], direction: [1, 0, 0] }])).rejects.toThrow(
      GpuDeviceLostError,
    );
    const fresh = await acquireGpu();
    expect(fresh.device).not.toBe(ctx.device);
    const again = uploadScene(fresh, scene, bvh);
    const [hit] = await castRays(fresh, again, [{ origin: [0, 0, 1], direction: [1, 0, 0] }]);
    expect(hit?.t).toBeCloseTo(5, 5); // the box wall at x = 5
    again.destroy();
  });
});
