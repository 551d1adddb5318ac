import { acquireGpu } from '../../../engine/gpu/index.ts';

/** The WebGPU adapter this worker gets (the engine's device layer): none, software (SwiftShader) or hardware. */
export async function webGpuAdapterKind(): Promise<{ kind: 'none' | 'software' | 'hardware'; name: string }> {
  try {
    const { adapter } = await acquireGpu();
    const name = adapter.architecture || adapter.vendor || 'adapter';
    return { kind: adapter.fallback || /swiftshader/i.test(name) ? 'software' : 'hardware', name };
  } catch {
    return { kind: 'none', name: '' };
  }
}
