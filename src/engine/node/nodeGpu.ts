import { existsSync } from 'node:fs';
import { type GpuProvider, setGpuProvider } from '../gpu/device.ts';
import { rememberedNodeAdapter, rememberNodeAdapter } from './adapterMemory.ts';

/**
 * WebGPU in Node through Dawn (the `webgpu` package). Detect, don't assume: try the system's
 * Vulkan/Metal/D3D drivers first; when none gives an adapter and Chromium's SwiftShader ICD (a
 * CPU implementation of Vulkan, from Debian's chromium package) is installed, point the Vulkan
 * loader at it and ask again (a fresh `create` re-reads the environment).
 */
// installed by scripts/setup.sh (Debian's chromium package); RFTWIN_SWIFTSHADER_ICD overrides it
const SWIFTSHADER_ICD_DEFAULT = '/usr/lib/chromium/vk_swiftshader_icd.json';

// Dawn tears its instance down when the GPU object is garbage-collected, even while a device
// made from it is in use (crashes in the driver threads): keep every instance alive.
const instances: GPU[] = [];
async function instance(): Promise<GPU> {
  // loaded on first use: commands that never touch the GPU do not pay for Dawn's start-up
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  instances.push(gpu);
  return gpu;
}

export async function requestNodeAdapter(
  powerPreference: GPUPowerPreference,
): Promise<{ adapter: GPUAdapter | null; note: string }> {
  const first = await (await instance()).requestAdapter({ powerPreference });
  if (first) return { adapter: first, note: 'system driver' };
  const icd = process.env.RFTWIN_SWIFTSHADER_ICD ?? SWIFTSHADER_ICD_DEFAULT;
  if (process.env.VK_ICD_FILENAMES !== icd && existsSync(icd)) {
    process.env.VK_ICD_FILENAMES = icd;
    const second = await (await instance()).requestAdapter({ powerPreference });
    if (second) return { adapter: second, note: `SwiftShader (VK_ICD_FILENAMES=${icd})` };
  }
  return {
    adapter: null,
    note: `no adapter from Dawn; SwiftShader ICD ${existsSync(icd) ? 'present but unusable' : `not found at ${icd}`}`,
  };
}

export const nodeGpuProvider: GpuProvider = {
  async requestAdapter(powerPreference) {
    const { adapter, note } = await requestNodeAdapter(powerPreference);
    return { adapter, source: `Dawn (webgpu npm package), ${note}` };
  },
  remembered: () => rememberedNodeAdapter(),
  remember: (facts) => rememberNodeAdapter(facts),
};

/** Register Dawn as the engine's WebGPU (CLI, tests, benchmarks). */
export function registerNodeGpu(): void {
  setGpuProvider(nodeGpuProvider);
}
