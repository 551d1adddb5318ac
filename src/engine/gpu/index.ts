/**
 * The WebGPU device layer: a host-registered provider (navigator.gpu, Dawn), the process-wide
 * device, buffers, error scopes, and the cpu | webgpu | auto backend choice.
 */
export * from './backend.ts';
export * from './buffers.ts';
export * from './device.ts';
export * from './errors.ts';
