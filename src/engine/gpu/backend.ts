import { acquireGpu, describeAdapter, type GpuContext } from './device.ts';
import { GpuUnavailableError } from './errors.ts';

export type BackendChoice = 'cpu' | 'webgpu' | 'auto';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['cpu', 'webgpu', 'auto'];

export interface ResolvedBackend {
  backend: 'cpu' | 'webgpu';
  gpu?: GpuContext;
  /** what was used and why, for logs and result files */
  note: string;
}

/**
 * Resolve a backend request: `webgpu` requires an adapter (GpuUnavailableError otherwise),
 * `auto` uses WebGPU when an adapter exists and otherwise the CPU reference, saying so.
 */
export async function resolveBackend(choice: BackendChoice): Promise<ResolvedBackend> {
  if (choice === 'cpu') return { backend: 'cpu', note: 'CPU reference (requested)' };
  try {
    const gpu = await acquireGpu();
    return { backend: 'webgpu', gpu, note: `WebGPU on ${describeAdapter(gpu.adapter)}` };
  } catch (e) {
    if (choice === 'auto' && e instanceof GpuUnavailableError) {
      return { backend: 'cpu', note: `CPU reference (auto: ${e.message})` };
    }
    throw e;
  }
}
