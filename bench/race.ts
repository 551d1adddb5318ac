/**
 * CPU against WebGPU in one run: the best of `rounds` interleaved runs of each backend (CPU,
 * WebGPU, CPU, …), after one warm-up run of each unless `warmUp` is false (jobs of minutes, where
 * a warm-up is lost in the noise). `run` returns its time in ms.
 */
export async function race(
  run: (backend: 'cpu' | 'webgpu') => Promise<number>,
  rounds: number,
  warmUp = true,
): Promise<{ cpuMs: number; webgpuMs: number }> {
  if (warmUp) {
    await run('cpu');
    await run('webgpu');
  }
  let cpuMs = Number.POSITIVE_INFINITY;
  let webgpuMs = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    cpuMs = Math.min(cpuMs, await run('cpu'));
    webgpuMs = Math.min(webgpuMs, await run('webgpu'));
  }
  return { cpuMs, webgpuMs };
}
