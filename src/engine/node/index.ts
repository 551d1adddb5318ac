/**
 * Node adapters of the engine (CLI, tests, benchmarks): the file system, Dawn's WebGPU and
 * sharp's image decoding. The rest of the engine runs unchanged in a browser, where the studio
 * passes its own (File objects, navigator.gpu, createImageBitmap).
 */
export { rememberedNodeAdapter } from './adapterMemory.ts';
export { nodeFileSource } from './nodeFileSource.ts';
export { registerNodeGpu, requestNodeAdapter } from './nodeGpu.ts';
export { nodeImageDecoder } from './nodeImageDecoder.ts';
