/**
 * Cross-cutting helpers of the whole engine: complex numbers and 3-vectors, physical constants,
 * the input error type, input limits, the number grammar of text inputs, line reading, id
 * records, capped inflation, seeded randomness, RGBA images with the PNG codec, runtime probes,
 * and structured clones rebuilt for the hot code of the thread that received them.
 */
export * from './cloned.ts';
export * from './complex.ts';
export * from './constants.ts';
export * from './errors.ts';
export * from './hash.ts';
export * from './idRecord.ts';
export * from './image.ts';
export * from './inflate.ts';
export * from './limits.ts';
export * from './lines.ts';
export * from './numbers.ts';
export * from './random.ts';
export * from './runtime.ts';
export * from './vec3.ts';
export * from './zip.ts';
