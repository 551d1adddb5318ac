import { FieldKernel } from '../field/gpu/fieldKernel.ts';
import { evaluateFrames } from '../field/jonesChain.ts';
import type { GpuContext } from '../gpu/device.ts';
import { GpuStatsEvaluator } from '../metrics/gpu/linkStatsKernel.ts';
import { GpuPathTracer } from '../tracer/gpu/tracePathsGpu.ts';
import type { ChannelBackend } from './backend.ts';

/** Short name of an adapter for status lines. */
export function adapterLabel(gpu: GpuContext): string {
  const a = gpu.adapter;
  const name = [a.vendor, a.architecture, a.description].join(' ');
  if (/swiftshader/i.test(name)) return 'WebGPU (SwiftShader)';
  const short = [a.vendor, a.architecture].filter((x) => x && x.length > 0).join(' ');
  return `WebGPU (${short || a.description || 'unknown adapter'}${a.fallback ? ', software' : ''})`;
}

/** Whether the adapter is software (SwiftShader or a fallback adapter): the CPU may then be faster. */
export function isSoftwareAdapter(gpu: GpuContext): boolean {
  const a = gpu.adapter;
  return a.fallback || /swiftshader/i.test([a.vendor, a.architecture, a.description].join(' '));
}

/** The WebGPU backend: WGSL path search, field and link-statistics kernels. */
export function gpuBackend(gpu: GpuContext): ChannelBackend {
  return {
    kind: 'webgpu',
    label: adapterLabel(gpu),
    async tracer(scene, bvh, tx, options, control = {}) {
      const t = GpuPathTracer.create(gpu, scene, bvh, tx, options, control.signal);
      return {
        trace: (rx, c) => t.trace(rx, c),
        traceGrid: (grid, rowStart, rowEnd, c) => t.traceGrid(grid, rowStart, rowEnd, c),
        destroy: () => t.destroy(),
      };
    },
    async evaluate(frames, table, signal) {
      const kernel = new FieldKernel(gpu, frames, false);
      try {
        await kernel.dispatch(table, signal);
        const a = Float64Array.from(await kernel.readA());
        // paths longer than the kernel holds: the host chain (the same frames)
        for (const p of kernel.hostPaths) evaluateFrames(frames, table, a, p, p + 1);
        return a;
      } finally {
        kernel.destroy();
      }
    },
    statsEvaluator(ranges, columns, parameters) {
      return new GpuStatsEvaluator(gpu, ranges, columns, parameters);
    },
  };
}
