/**
 * Cross-cutting helpers of the whole engine: complex numbers and 3-vectors, physical constants,
 * the input error type, seeded randomness, RGBA images with the PNG codec, runtime probes.
 */
export * from './complex.ts';
export * from './constants.ts';
export * from './errors.ts';
export * from './image.ts';
export * from './random.ts';
export * from './runtime.ts';
export * from './vec3.ts';
