/** WebGPU field evaluation and exact material derivatives (fieldGpu.ts, fieldKernel.ts, pathField.wgsl). */
export * from './fieldGpu.ts';
export * from './fieldKernel.ts';
