import { registerNodeGpu } from '../engine/node/index.ts';

// Vitest setup of the gpu tier: the engine's WebGPU is Dawn (SwiftShader where there is no GPU).
registerNodeGpu();
