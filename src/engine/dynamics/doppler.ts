import type { Vec3 } from '../core/vec3.ts';

/**
 * Doppler shift of one path (docs/physics.md §15), the ray-tracing definition (as Sionna RT's):
 * with p₀ the transmitter, p₁…pₙ the interaction points, pₙ₊₁ the receiver, k̂ᵢ the unit direction
 * of leg i (pᵢ → pᵢ₊₁) and vᵢ the velocity of point i (device, or the object it lies on),
 *
 *   f_D = (1/λ) · Σᵢ₌₀ⁿ⁺¹ vᵢ · (k̂ᵢ − k̂ᵢ₋₁),   k̂₋₁ = k̂ₙ₊₁ = 0,
 *
 * the rate at which the path's length shrinks, over λ. A receiver closing on the transmitter at v
 * gives v/λ; a reflector closing at v on a co-located Tx/Rx gives 2v/λ (two-way); a transmission
 * (k̂ᵢ = k̂ᵢ₋₁) contributes nothing.
 */
export function pathDopplerHz(
  points: readonly Vec3[],
  velocities: readonly Vec3[],
  wavelengthM: number,
): number {
  let sum = 0;
  let prev: Vec3 = [0, 0, 0];
  for (let i = 0; i < points.length; i++) {
    let k: Vec3 = [0, 0, 0];
    if (i + 1 < points.length) {
      const a = points[i]!;
      const b = points[i + 1]!;
      const l = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
      k = [(b[0] - a[0]) / l, (b[1] - a[1]) / l, (b[2] - a[2]) / l];
    }
    const v = velocities[i]!;
    sum += v[0] * (k[0] - prev[0]) + v[1] * (k[1] - prev[1]) + v[2] * (k[2] - prev[2]);
    prev = k;
  }
  return sum / wavelengthM;
}

/** Power-weighted mean and RMS spread of the paths' Doppler shifts (Hz); 0 without power. */
export function dopplerSpread(
  dopplerHz: readonly number[],
  power: readonly number[],
): { mean: number; rms: number } {
  let p = 0;
  let m1 = 0;
  let m2 = 0;
  dopplerHz.forEach((f, i) => {
    const w = power[i]!;
    p += w;
    m1 += w * f;
    m2 += w * f * f;
  });
  if (!(p > 0)) return { mean: 0, rms: 0 };
  const mean = m1 / p;
  return { mean, rms: Math.sqrt(Math.max(0, m2 / p - mean * mean)) };
}
