import type { Complex } from '../core/complex.ts';

/**
 * Link metrics and their exact derivatives with respect to material parameters θ, by the
 * chain rule from each path's coefficient a and ∂a/∂θ (computed by the field code).
 * Geometry (delays, angles) does not depend on materials, so only a carries derivatives.
 */
export interface DifferentiablePath {
  a: Complex;
  /** ∂a/∂θₖ interleaved (re, im) for each parameter k: length 2·parameterCount */
  dA: Float64Array;
  /** seconds */
  delay: number;
  /** arrival azimuth in degrees */
  aoaAzimuthDeg: number;
  los: boolean;
}

export interface ValueAndGradient {
  value: number;
  /** ∂value/∂θₖ for each parameter */
  grad: Float64Array;
}

const DB = 10 / Math.LN10;

/** pᵢ = |aᵢ|² and ∂pᵢ/∂θ = 2·Re(āᵢ·∂aᵢ/∂θ), the building block of every incoherent metric. */
function powers(paths: readonly DifferentiablePath[], n: number): { p: Float64Array; dp: Float64Array[] } {
  const p = new Float64Array(paths.length);
  const dp: Float64Array[] = [];
  for (let i = 0; i < paths.length; i++) {
    const { a, dA } = paths[i]!;
    p[i] = a.re * a.re + a.im * a.im;
    const d = new Float64Array(n);
    for (let k = 0; k < n; k++) d[k] = 2 * (a.re * dA[2 * k]! + a.im * dA[2 * k + 1]!);
    dp.push(d);
  }
  return { p, dp };
}

/** Incoherent path gain 10·log10 Σ|aᵢ|² (dB). */
export function pathGainDbGradient(paths: readonly DifferentiablePath[], n: number): ValueAndGradient {
  const { p, dp } = powers(paths, n);
  let total = 0;
  const dTotal = new Float64Array(n);
  for (let i = 0; i < p.length; i++) {
    total += p[i]!;
    for (let k = 0; k < n; k++) dTotal[k]! += dp[i]![k]!;
  }
  const grad = dTotal.map((d) => (DB * d) / total);
  return { value: DB * Math.log(total), grad };
}

/** Coherent narrowband gain 10·log10 |Σ aᵢ e^{−j2πfτᵢ}|² (dB) and the complex sum h. */
export function coherentGainDbGradient(
  paths: readonly DifferentiablePath[],
  n: number,
  frequencyHz: number,
): ValueAndGradient & { h: Complex; dh: Float64Array } {
  let hr = 0;
  let hi = 0;
  const dh = new Float64Array(2 * n);
  for (const path of paths) {
    const phi = -2 * Math.PI * frequencyHz * path.delay;
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    hr += path.a.re * c - path.a.im * s;
    hi += path.a.re * s + path.a.im * c;
    for (let k = 0; k < n; k++) {
      const dr = path.dA[2 * k]!;
      const di = path.dA[2 * k + 1]!;
      dh[2 * k]! += dr * c - di * s;
      dh[2 * k + 1]! += dr * s + di * c;
    }
  }
  const g = hr * hr + hi * hi;
  const grad = new Float64Array(n);
  for (let k = 0; k < n; k++) grad[k] = (DB * 2 * (hr * dh[2 * k]! + hi * dh[2 * k + 1]!)) / g;
  return { value: DB * Math.log(g), grad, h: { re: hr, im: hi }, dh };
}

/**
 * RMS delay spread (ns) τrms = √(Σpᵢ(τᵢ−τ̄)²/P). Its variance derivative needs no ∂τ̄ term
 * because Σpᵢ(τᵢ−τ̄) = 0.
 */
export function rmsDelaySpreadNsGradient(paths: readonly DifferentiablePath[], n: number): ValueAndGradient {
  const { p, dp } = powers(paths, n);
  let total = 0;
  let pt = 0;
  for (let i = 0; i < p.length; i++) {
    total += p[i]!;
    pt += p[i]! * paths[i]!.delay;
  }
  const mean = pt / total;
  let v = 0;
  for (let i = 0; i < p.length; i++) v += p[i]! * (paths[i]!.delay - mean) ** 2;
  const variance = v / total;
  const rms = Math.sqrt(Math.max(0, variance));
  const grad = new Float64Array(n);
  if (rms > 0) {
    for (let k = 0; k < n; k++) {
      let dTotal = 0;
      let dv = 0;
      for (let i = 0; i < p.length; i++) {
        dTotal += dp[i]![k]!;
        dv += dp[i]![k]! * (paths[i]!.delay - mean) ** 2;
      }
      const dVariance = (dv - variance * dTotal) / total;
      grad[k] = (dVariance / (2 * rms)) * 1e9;
    }
  }
  return { value: rms * 1e9, grad };
}

/**
 * Rician K-factor (dB): LoS power over the rest; without LoS the strongest path's (chosen at
 * the evaluation point, so the derivative is that of a fixed reference path).
 */
export function kFactorDbGradient(
  paths: readonly DifferentiablePath[],
  n: number,
): ValueAndGradient & { reference: 'los' | 'strongest' } {
  const { p, dp } = powers(paths, n);
  let ref = paths.findIndex((x) => x.los);
  const reference = ref >= 0 ? 'los' : 'strongest';
  if (ref < 0) for (let i = 0; i < p.length; i++) if (ref < 0 || p[i]! > p[ref]!) ref = i;
  let rest = 0;
  const dRest = new Float64Array(n);
  for (let i = 0; i < p.length; i++) {
    if (i === ref) continue;
    rest += p[i]!;
    for (let k = 0; k < n; k++) dRest[k]! += dp[i]![k]!;
  }
  const pr = p[ref]!;
  const grad = new Float64Array(n);
  for (let k = 0; k < n; k++) grad[k] = DB * (dp[ref]![k]! / pr - dRest[k]! / rest);
  return { value: DB * Math.log(pr / rest), grad, reference };
}

/** Angular spread of arrival azimuths (degrees, 3GPP 38.901 annex A): AS = √(−2 ln|z|), z = Σpᵢe^{jφᵢ}/P. */
export function angularSpreadDegGradient(paths: readonly DifferentiablePath[], n: number): ValueAndGradient {
  const { p, dp } = powers(paths, n);
  let total = 0;
  let sr = 0;
  let si = 0;
  const cos = paths.map((x) => Math.cos((x.aoaAzimuthDeg * Math.PI) / 180));
  const sin = paths.map((x) => Math.sin((x.aoaAzimuthDeg * Math.PI) / 180));
  for (let i = 0; i < p.length; i++) {
    total += p[i]!;
    sr += p[i]! * cos[i]!;
    si += p[i]! * sin[i]!;
  }
  const zr = sr / total;
  const zi = si / total;
  const z2 = zr * zr + zi * zi;
  const as = Math.sqrt(Math.max(0, -Math.log(Math.min(1, z2))));
  const grad = new Float64Array(n);
  const toDeg = 180 / Math.PI;
  if (as > 0) {
    for (let k = 0; k < n; k++) {
      let dTotal = 0;
      let dsr = 0;
      let dsi = 0;
      for (let i = 0; i < p.length; i++) {
        dTotal += dp[i]![k]!;
        dsr += dp[i]![k]! * cos[i]!;
        dsi += dp[i]![k]! * sin[i]!;
      }
      const dzr = (dsr - zr * dTotal) / total;
      const dzi = (dsi - zi * dTotal) / total;
      // AS² = −ln|z|² → 2·AS·dAS = −d|z|²/|z|²
      const dz2 = 2 * (zr * dzr + zi * dzi);
      grad[k] = (-dz2 / z2 / (2 * as)) * toDeg;
    }
  }
  return { value: as * toDeg, grad };
}
