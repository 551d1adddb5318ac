import type { Vec3 } from '../../src/engine/core/vec3.ts';
import { acquireGpu, describeAdapter, gpuProviderOf, setGpuProvider } from '../../src/engine/gpu/device.ts';
import { memoryFileSource } from '../../src/engine/scene/fileSource.ts';
import { loadScene } from '../../src/engine/scene/load.ts';
import { buildBvh } from '../../src/engine/tracer/bvh.ts';
import type { TracePathsOptions } from '../../src/engine/tracer/cpu/tracePaths.ts';
import { tracePathsGpu } from '../../src/engine/tracer/gpu/tracePathsGpu.ts';

setGpuProvider(gpuProviderOf(navigator.gpu, 'navigator.gpu'));

/** Entry points the Playwright test calls through page.evaluate. */
const api = {
  async adapter(): Promise<string> {
    return describeAdapter((await acquireGpu()).adapter);
  },
  /** Scene files as base64 by path; the GPU tracer's paths (JSON-safe) and statistics. */
  async trace(
    files: Record<string, string>,
    sceneFile: string,
    tx: Vec3,
    rx: Vec3[],
    options: TracePathsOptions,
  ) {
    const map = new Map<string, Uint8Array>();
    for (const [name, b64] of Object.entries(files))
      map.set(
        name,
        Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
      );
    const scene = await loadScene(memoryFileSource(map), sceneFile);
    const ctx = await acquireGpu();
    const result = await tracePathsGpu(ctx, scene, buildBvh(scene), tx, rx, options);
    return { paths: result.paths, stats: result.stats };
  },
};
(globalThis as unknown as { rftwinGpu: typeof api }).rftwinGpu = api;
document.getElementById('status')!.textContent = 'ready';
