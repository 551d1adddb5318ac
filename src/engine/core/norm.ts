/**
 * Euclidean norms for the hot loops. V8 runs Math.hypot as a variadic builtin: every call
 * allocates a scratch array and boxes its result, which made Math.hypot a seventh of the
 * bytes a radio map allocated (and the GC it caused). These are inlined and allocate nothing.
 * Squaring loses hypot's guard against overflow and underflow: lengths in metres and complex
 * amplitudes here are nowhere near 1e±154.
 */
export const norm3 = (x: number, y: number, z: number): number => Math.sqrt(x * x + y * y + z * z);
export const norm2 = (x: number, y: number): number => Math.sqrt(x * x + y * y);
