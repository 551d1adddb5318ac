import { studio } from './store.ts';

/** Whether this browser offers WebGPU; the engine falls back to the CPU otherwise (shown in the status bar). */
export async function detectGpu() {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    studio.set({
      gpu: { checked: true, available: false, reason: 'navigator.gpu is not available in this browser' },
    });
    return;
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      studio.set({ gpu: { checked: true, available: false, reason: 'no WebGPU adapter' } });
      return;
    }
    const info = adapter.info;
    const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'adapter';
    studio.set({ gpu: { checked: true, available: true, adapter: name } });
  } catch (e) {
    studio.set({ gpu: { checked: true, available: false, reason: (e as Error).message } });
  }
}
