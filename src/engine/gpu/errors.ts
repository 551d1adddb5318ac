/**
 * GPU failures a user can act on. Each says what happened and what to do; `auto` backends
 * catch `GpuUnavailableError` and fall back to the CPU reference.
 */
export class GpuUnavailableError extends Error {
  override name = 'GpuUnavailableError';
}

export class GpuDeviceLostError extends Error {
  override name = 'GpuDeviceLostError';
}

export class GpuOutOfMemoryError extends Error {
  override name = 'GpuOutOfMemoryError';
}
