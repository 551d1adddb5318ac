import { GpuDeviceLostError, GpuOutOfMemoryError, GpuUnavailableError } from './errors.ts';

/** What adapter the work ran on, so results can say it (SwiftShader vs a real GPU differ 100×). */
export interface GpuAdapterDescription {
  vendor: string;
  architecture: string;
  description: string;
  /** true for software adapters (SwiftShader) */
  fallback: boolean;
  /** how it was obtained: navigator.gpu, Dawn system driver, Dawn + SwiftShader */
  source: string;
}

export interface GpuContext {
  device: GPUDevice;
  adapter: GpuAdapterDescription;
  /** set once the device is lost; kernels check it before dispatching */
  lostReason?: string;
}

let cached: Promise<GpuContext> | undefined;

export function describeAdapter(a: GpuAdapterDescription): string {
  const name =
    [a.vendor, a.architecture, a.description].filter((s) => s && s.length > 0).join(' / ') ||
    'unknown adapter';
  return `${name}${a.fallback ? ' (software)' : ''} via ${a.source}`;
}

async function requestAdapter(
  powerPreference: GPUPowerPreference,
): Promise<{ adapter: GPUAdapter | null; source: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu)
    return { adapter: await nav.gpu.requestAdapter({ powerPreference }), source: 'navigator.gpu' };
  if (typeof process === 'undefined' || !process.versions?.node) {
    return { adapter: null, source: 'this browser has no navigator.gpu (WebGPU disabled or unsupported)' };
  }
  // Kept out of browser bundles: the specifier is not a literal, so bundlers leave it alone.
  const nodeModule = './nodeGpu.ts';
  const { requestNodeAdapter } = (await import(
    /* @vite-ignore */ nodeModule
  )) as typeof import('./nodeGpu.ts');
  const { adapter, note } = await requestNodeAdapter(powerPreference);
  return { adapter, source: `Dawn (webgpu npm package), ${note}` };
}

async function open(): Promise<GpuContext> {
  const { adapter, source } = await requestAdapter('high-performance');
  if (!adapter) throw new GpuUnavailableError(`no WebGPU adapter: ${source}`);
  const info = adapter.info;
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      // storage buffers hold the BVH, candidates and results; ask for what the adapter offers
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
    },
  });
  const ctx: GpuContext = {
    device,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      fallback: Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter),
      source,
    },
  };
  device.lost.then((l) => {
    ctx.lostReason = `${l.reason}: ${l.message}`;
    if (cached) cached = undefined; // the next acquireGpu opens a fresh device
  });
  return ctx;
}

/** The process-wide WebGPU device (opened once; reopened after a loss). Throws GpuUnavailableError. */
export function acquireGpu(): Promise<GpuContext> {
  if (!cached) {
    cached = open();
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

/** Whether a WebGPU adapter can be had here (used by `auto` backends). */
export async function gpuAvailable(): Promise<boolean> {
  try {
    await acquireGpu();
    return true;
  } catch (e) {
    if (e instanceof GpuUnavailableError) return false;
    throw e;
  }
}

/** Release the device (CLI exit, tests); a later acquireGpu opens a new one. */
export async function releaseGpu(): Promise<void> {
  const c = cached;
  cached = undefined;
  if (!c) return;
  try {
    (await c).device.destroy();
  } catch {
    // never opened: nothing to release
  }
}

export function checkDevice(ctx: GpuContext): void {
  if (ctx.lostReason)
    throw new GpuDeviceLostError(`WebGPU device lost (${ctx.lostReason}); rerun, or use --backend cpu`);
}

/**
 * Run `body` inside out-of-memory and validation error scopes, turning GPU errors into
 * exceptions that say what was being done (WebGPU reports them asynchronously otherwise).
 */
export async function withGpuErrors<T>(ctx: GpuContext, what: string, body: () => T): Promise<T> {
  checkDevice(ctx);
  const { device } = ctx;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let thrown: unknown;
  try {
    result = body();
  } catch (e) {
    thrown = e;
  }
  // pop both scopes whatever happened, then report the most useful error
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (oom)
    throw new GpuOutOfMemoryError(
      `GPU out of memory while ${what}: ${oom.message}; use smaller tiles or --backend cpu`,
    );
  if (validation) throw new Error(`WebGPU validation error while ${what}: ${validation.message}`);
  if (thrown !== undefined) throw thrown;
  checkDevice(ctx);
  return result as T;
}
