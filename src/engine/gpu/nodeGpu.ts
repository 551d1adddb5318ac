import { existsSync } from 'node:fs';
import { create, globals } from 'webgpu';

/** Chromium's SwiftShader Vulkan driver: a CPU implementation of Vulkan, used when no GPU exists. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Request an adapter from Dawn (the `webgpu` package). Detect, don't assume: try the system's
 * Vulkan/Metal/D3D drivers first; when none gives an adapter and the SwiftShader ICD is
 * installed, point the Vulkan loader at it and ask again (a fresh `create` re-reads the env).
 */
// Dawn tears its instance down when the GPU object is garbage-collected, even while a device
// made from it is in use (crashes in the driver threads): keep every instance alive.
const instances: GPU[] = [];
function instance(): GPU {
  const gpu = create([]);
  instances.push(gpu);
  return gpu;
}

export async function requestNodeAdapter(
  powerPreference: GPUPowerPreference,
): Promise<{ adapter: GPUAdapter | null; note: string }> {
  Object.assign(globalThis, globals);
  const first = await instance().requestAdapter({ powerPreference });
  if (first) return { adapter: first, note: 'system driver' };
  const icd = process.env.RFTWIN_SWIFTSHADER_ICD ?? SWIFTSHADER_ICD;
  if (process.env.VK_ICD_FILENAMES !== icd && existsSync(icd)) {
    process.env.VK_ICD_FILENAMES = icd;
    const second = await instance().requestAdapter({ powerPreference });
    if (second) return { adapter: second, note: `SwiftShader (VK_ICD_FILENAMES=${icd})` };
  }
  return {
    adapter: null,
    note: `no adapter from Dawn; SwiftShader ICD ${existsSync(icd) ? 'present but unusable' : `not found at ${icd}`}`,
  };
}
