import { dot, type Vec3 } from '../core/vec3.ts';

/**
 * Diffuse scattering patterns (Degli-Esposti et al. 2007, as in Sionna RT). A pattern f(k̂i, k̂s)
 * (per steradian) integrates to 1 over the hemisphere of scattered directions k̂s (n̂·k̂s > 0):
 *   Lambertian        f = cos θs / π
 *   directive         f = ((1 + k̂r·k̂s)/2)^αR / F_αR(θi)
 *   backscattering    f = (Λ((1 + k̂r·k̂s)/2)^αR + (1 − Λ)((1 − k̂i·k̂s)/2)^αI) / (Λ F_αR + (1 − Λ) F_αI)
 * with k̂r the specular direction and the closed-form normalisation
 *   F_α(θi) = 2^{−α} Σ_{k=0}^{α} C(α,k)·I_k,  I_k = ∫_hemisphere (k̂r·k̂s)^k dΩ
 *           = 2π/(k+1)                                               (k even)
 *           = 2π/(k+1)·cos θi·Σ_{w=0}^{(k−1)/2} C(2w,w)·sin^{2w}θi / 2^{2w}   (k odd).
 * (The back lobe around −k̂i has the same normalisation as the lobe around k̂r: −k̂i is the mirror
 * of k̂r in the normal, and the hemisphere is symmetric under that mirror.)
 */
export type ScatteringPattern =
  | { kind: 'lambertian' }
  | { kind: 'directive'; alphaR: number }
  | { kind: 'backscattering'; alphaR: number; alphaI: number; lambda: number };

export const LAMBERTIAN: ScatteringPattern = { kind: 'lambertian' };

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** I_k = ∫ over the hemisphere n̂·k̂s > 0 of (k̂r·k̂s)^k, with k̂r at angle θi from the normal. */
function lobeMoment(k: number, cosThetaI: number): number {
  if (k % 2 === 0) return (2 * Math.PI) / (k + 1);
  const sin2 = 1 - cosThetaI * cosThetaI;
  let sum = 0;
  let p = 1; // sin^{2w}θ / 2^{2w}
  for (let w = 0; w <= (k - 1) / 2; w++) {
    sum += binomial(2 * w, w) * p;
    p *= sin2 / 4;
  }
  return ((2 * Math.PI) / (k + 1)) * cosThetaI * sum;
}

/** F_α(θi): hemisphere integral of ((1 + k̂r·k̂s)/2)^α; α a non-negative integer. */
export function directiveNormalisation(alpha: number, cosThetaI: number): number {
  if (!Number.isInteger(alpha) || alpha < 0)
    throw new RangeError(`scattering lobe exponent must be an integer ≥ 0, got ${alpha}`);
  let f = 0;
  for (let k = 0; k <= alpha; k++) f += binomial(alpha, k) * lobeMoment(k, cosThetaI);
  return f / 2 ** alpha;
}

/**
 * Pattern value f for incident direction kIn (propagation direction, towards the surface),
 * scattered direction kOut (away from the surface) and unit normal n facing the incident wave.
 * Returns 0 for directions below the surface.
 */
export function scatteringPatternValue(pattern: ScatteringPattern, kIn: Vec3, kOut: Vec3, n: Vec3): number {
  const cosThetaI = -dot(kIn, n);
  const cosThetaS = dot(kOut, n);
  if (cosThetaS <= 0 || cosThetaI <= 0) return 0;
  if (pattern.kind === 'lambertian') return cosThetaS / Math.PI;
  // specular direction k̂r = k̂i + 2cosθi·n̂
  const kr: Vec3 = [
    kIn[0] + 2 * cosThetaI * n[0],
    kIn[1] + 2 * cosThetaI * n[1],
    kIn[2] + 2 * cosThetaI * n[2],
  ];
  const lobeR = ((1 + dot(kr, kOut)) / 2) ** pattern.alphaR;
  if (pattern.kind === 'directive') return lobeR / directiveNormalisation(pattern.alphaR, cosThetaI);
  const lobeI = ((1 - dot(kIn, kOut)) / 2) ** pattern.alphaI;
  const l = pattern.lambda;
  const norm =
    l * directiveNormalisation(pattern.alphaR, cosThetaI) +
    (1 - l) * directiveNormalisation(pattern.alphaI, cosThetaI);
  return (l * lobeR + (1 - l) * lobeI) / norm;
}
