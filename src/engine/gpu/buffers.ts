import type { GpuContext } from './device.ts';
import { GpuOutOfMemoryError } from './errors.ts';

/** Storage buffer initialised from typed data (padded to 4 bytes, at least 16 bytes). */
export function storageBuffer(
  ctx: GpuContext,
  data: ArrayBufferView,
  label: string,
  extraUsage = 0,
): GPUBuffer {
  const size = Math.max(16, Math.ceil(data.byteLength / 4) * 4);
  checkSize(ctx, size, label);
  const buffer = ctx.device.createBuffer({
    label,
    size,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | extraUsage,
    mappedAtCreation: true,
  });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}

export function emptyBuffer(ctx: GpuContext, byteLength: number, label: string, usage: number): GPUBuffer {
  const size = Math.max(16, Math.ceil(byteLength / 4) * 4);
  checkSize(ctx, size, label);
  return ctx.device.createBuffer({ label, size, usage });
}

export function uniformBuffer(ctx: GpuContext, data: ArrayBufferView, label: string): GPUBuffer {
  const size = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
  const buffer = ctx.device.createBuffer({
    label,
    size,
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  ctx.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  return buffer;
}

function checkSize(ctx: GpuContext, size: number, label: string): void {
  const max = Math.min(ctx.device.limits.maxStorageBufferBindingSize, ctx.device.limits.maxBufferSize);
  if (size > max) {
    throw new GpuOutOfMemoryError(
      `${label} needs ${(size / 2 ** 20).toFixed(1)} MiB, over the adapter's ${(max / 2 ** 20).toFixed(0)} MiB buffer limit`,
    );
  }
}

/** Copy `byteLength` bytes of a storage buffer back to the host. */
export async function readBack(
  ctx: GpuContext,
  source: GPUBuffer,
  byteLength: number,
  offset = 0,
): Promise<ArrayBuffer> {
  const size = Math.max(4, Math.ceil(byteLength / 4) * 4);
  const staging = ctx.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = ctx.device.createCommandEncoder();
  enc.copyBufferToBuffer(source, offset, staging, 0, size);
  ctx.device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0, byteLength);
  staging.unmap();
  staging.destroy();
  return out;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/**
 * Compute pipeline for WGSL `code` (entry `main`) with values for its pipeline-overridable
 * constants (`override NAME: bool/u32/f32;` in the kernel), compiled once per device.
 */
export function computePipeline(
  ctx: GpuContext,
  code: string,
  label: string,
  constants: Record<string, number> = {},
): GPUComputePipeline {
  let cache = pipelines.get(ctx.device);
  if (!cache) {
    cache = new Map();
    pipelines.set(ctx.device, cache);
  }
  const key = `${JSON.stringify(constants)}\n${code}`;
  let p = cache.get(key);
  if (!p) {
    const module = ctx.device.createShaderModule({ label, code });
    p = ctx.device.createComputePipeline({
      label,
      layout: 'auto',
      compute: { module, entryPoint: 'main', constants },
    });
    cache.set(key, p);
  }
  return p;
}

/**
 * Bind group 0 from binding number → buffer. With layout 'auto' only the bindings a kernel
 * actually uses exist, so each kernel lists exactly those.
 */
export function bindBuffers(
  ctx: GpuContext,
  pipeline: GPUComputePipeline,
  buffers: Record<number, GPUBuffer>,
): GPUBindGroup {
  return ctx.device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: Object.entries(buffers).map(([binding, buffer]) => ({
      binding: Number(binding),
      resource: { buffer },
    })),
  });
}

/**
 * Workgroup grid for `threads` invocations of a kernel with `workgroupSize` lanes: 2-D when
 * one dimension would exceed the 65 535 limit. Kernels rebuild the index as y·(x·size) + x.
 */
export function dispatchGrid(threads: number, workgroupSize: number): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / workgroupSize));
  if (groups <= 65535) return [groups, 1];
  const x = 65535;
  return [x, Math.ceil(groups / x)];
}
