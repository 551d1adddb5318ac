import { GpuDeviceLostError, GpuOutOfMemoryError, GpuUnavailableError } from './errors.ts';

/** What adapter the work ran on, so results can say it (SwiftShader vs a real GPU differ 100×). */
export interface GpuAdapterDescription {
  vendor: string;
  architecture: string;
  description: string;
  /** true for software adapters (SwiftShader) */
  fallback: boolean;
  /** how it was obtained (the provider's words): navigator.gpu, Dawn system driver, Dawn + SwiftShader */
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

/**
 * Where adapters come from. The engine touches no host global: the host registers one —
 * the studio's worker and the kernel test page wrap `navigator.gpu` (gpuProviderOf), Node
 * registers Dawn (src/engine/node/nodeGpu.ts: registerNodeGpu). Without one, WebGPU is unavailable
 * and `auto` backends use the CPU reference.
 */
export interface GpuProvider {
  requestAdapter(
    powerPreference: GPUPowerPreference,
  ): Promise<{ adapter: GPUAdapter | null; source: string }>;
  /**
   * What an earlier process on this machine found (Node keeps it in a small cache file), so that
   * `auto` can skip starting an adapter (≈ 0.5 s for Dawn) for jobs it would run on the CPU anyway.
   */
  remembered?(): AdapterMemory | undefined;
  remember?(facts: AdapterMemory): void;
}

/** Whether a WebGPU adapter exists here and whether it is a software one (SwiftShader). */
export interface AdapterMemory {
  available: boolean;
  software: boolean;
  problem?: string;
}

/** The registered provider's memory of this machine's adapter, if it keeps one. */
export function rememberedAdapter(): AdapterMemory | undefined {
  return provider?.remembered?.();
}

export function rememberAdapter(facts: AdapterMemory): void {
  provider?.remember?.(facts);
}

let provider: GpuProvider | undefined;

/** Register (or, with undefined, remove) the host's WebGPU; the next acquireGpu uses it. */
export function setGpuProvider(p: GpuProvider | undefined): void {
  provider = p;
  cached = undefined;
}

/** A provider over a WebGPU entry point (`navigator.gpu` in a browser or worker). */
export function gpuProviderOf(gpu: GPU | undefined, source: string): GpuProvider {
  return {
    async requestAdapter(powerPreference) {
      if (!gpu)
        return { adapter: null, source: `${source} is not available (WebGPU disabled or unsupported)` };
      return { adapter: await gpu.requestAdapter({ powerPreference }), source };
    },
  };
}

function requestAdapter(
  powerPreference: GPUPowerPreference,
): Promise<{ adapter: GPUAdapter | null; source: string }> {
  if (!provider) return Promise.resolve({ adapter: null, source: 'this host registered no WebGPU provider' });
  return provider.requestAdapter(powerPreference);
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
