/**
 * The channel pipeline every consumer uses (CLI, studio worker, benchmarks): ChannelSettings,
 * the cpu | webgpu backends behind one ChannelBackend interface, the `auto` rule, and
 * Channel (trace → evaluate → metrics).
 */

/** the most interactions a path may have on the WebGPU field kernel (longer ones: the CPU chain) */
export { MAX_INTERACTIONS } from '../field/gpu/fieldKernel.ts';
export * from './autoRule.ts';
export * from './backend.ts';
export * from './channel.ts';
export * from './cpuBackend.ts';
export * from './gpuBackend.ts';
export * from './nearField.ts';
export * from './settings.ts';
