import type { Complex } from '../core/complex.ts';
import { norm2 } from '../core/norm.ts';
import {
  accumulateLinkStats,
  emptyLinkStats,
  type KFactorReference,
  type LinkStats,
  pathKindCode,
  REFERENCE_NAMES,
  REFERENCE_NONE,
  STAT_ANG_IM,
  STAT_ANG_RE,
  STAT_COH_IM,
  STAT_COH_RE,
  STAT_COUNT,
  STAT_DELAY1,
  STAT_DELAY2,
  STAT_DIFFUSE,
  STAT_POWER,
  STAT_REF,
  STAT_REST,
} from './linkStats.ts';

/**
 * Per-link channel metrics (docs/physics.md §10), each a closed form of the link's statistics
 * (linkStats.ts), with its exact derivative for calibration and planning:
 *   path gain (incoherent)   10·log10 Σpᵢ
 *   coherent gain            10·log10 (|Σ_det aᵢe^{−j2πf_cτᵢ}|² + Σ_diffuse pᵢ): deterministic
 *                            paths coherently, diffuse scattering as its expected (incoherent) power
 *   mean delay, RMS delay spread  τ̄ = Σpᵢτᵢ/P,  τrms = √(Σpᵢ(τᵢ−τ̄)²/P)
 *   angular spread           √(−2·ln|Σpᵢe^{jφᵢ}/P|)  (3GPP TR 38.901 annex A, circular)
 *   Rician K-factor          P_ref / Σ(other pᵢ): LoS reference, or the strongest deterministic
 *                            path without LoS (∞ for a single path; undefined without any)
 */

/** What the metrics need from a path: coefficient, delay, arrival azimuth, its kind. */
export interface MultipathComponent {
  a: Complex;
  delay: number;
  aoa: { azimuthDeg: number };
  kind: string;
}

/** Per-link channel metrics. dB values are −Infinity with no paths. */
export interface LinkMetrics {
  /** incoherent: 10·log10 Σ|aᵢ|² */
  pathGainDb: number;
  /**
   * narrowband at the carrier: 10·log10(|Σ aᵢ e^{−j2πf_c τᵢ}|² + Σ pⱼ), the sum over the
   * deterministic paths i, the diffuse samples j added as power (random phase, §10)
   */
  coherentGainDb: number;
  meanDelayS: number;
  rmsDelaySpreadS: number;
  /** 3GPP 38.901 annex A circular angular spread of arrival azimuths, degrees */
  angularSpreadDeg: number;
  /** Rician K-factor in dB: +Infinity for a single path, NaN without any */
  kFactorDb: number;
  kFactorReference: KFactorReference;
  los: boolean;
  /** paths with a ≠ 0 */
  pathCount: number;
}

const DB = 10 / Math.LN10;
export const toDb = (p: number): number => 10 * Math.log10(p);

/** Metrics of link l of the statistics. */
export function linkMetricsFromStats(stats: LinkStats, l: number): LinkMetrics {
  const v = stats.values;
  const o = l * STAT_COUNT;
  const P = v[o + STAT_POWER]!;
  const none = stats.pathCount[l] === 0;
  const mean = none ? 0 : v[o + STAT_DELAY1]! / P;
  const variance = none ? 0 : v[o + STAT_DELAY2]! / P - mean * mean;
  const ref = stats.reference[l]!;
  const rest = v[o + STAT_REST]!;
  return {
    pathGainDb: toDb(P),
    coherentGainDb: toDb(v[o + STAT_COH_RE]! ** 2 + v[o + STAT_COH_IM]! ** 2 + v[o + STAT_DIFFUSE]!),
    meanDelayS: none ? 0 : stats.referenceDelayS[l]! + mean * 1e-9,
    rmsDelaySpreadS: Math.sqrt(Math.max(0, variance)) * 1e-9,
    angularSpreadDeg: none
      ? 0
      : (angularSpreadRad(v[o + STAT_ANG_RE]!, v[o + STAT_ANG_IM]!, P) * 180) / Math.PI,
    kFactorDb:
      ref === REFERENCE_NONE
        ? Number.NaN
        : rest > 0
          ? toDb(v[o + STAT_REF]! / rest)
          : Number.POSITIVE_INFINITY,
    kFactorReference: REFERENCE_NAMES[ref]!,
    los: stats.los[l] === 1,
    pathCount: stats.pathCount[l]!,
  };
}

function angularSpreadRad(ar: number, ai: number, P: number): number {
  const r = Math.min(1, norm2(ar, ai) / P);
  return Math.sqrt(Math.max(0, -2 * Math.log(r)));
}

/** Metrics of one link's paths (the reduction of linkStats.ts, then the closed forms). */
export function linkMetrics(paths: readonly MultipathComponent[], frequencyHz: number): LinkMetrics {
  const n = paths.length;
  const a = new Float64Array(2 * n);
  const delay = new Float64Array(n);
  const az = new Float64Array(n);
  const kind = new Uint8Array(n);
  paths.forEach((p, i) => {
    a[2 * i] = p.a.re;
    a[2 * i + 1] = p.a.im;
    delay[i] = p.delay;
    az[i] = p.aoa.azimuthDeg;
    kind[i] = pathKindCode(p.kind);
  });
  const stats = emptyLinkStats(1);
  accumulateLinkStats(stats, 0, frequencyHz, {
    count: n,
    a,
    offset: 0,
    delayS: delay,
    aoaAzimuthDeg: az,
    kind,
  });
  return linkMetricsFromStats(stats, 0);
}

/**
 * Σ aᵢ·e^{−j2πfτᵢ}: channel frequency response at absolute frequency f (Sionna convention), one
 * realisation: diffuse-scattering samples are summed with the phases they were sampled with. The
 * coherent-gain metric (linkMetricsFromStats) instead adds their power (its expectation, §10).
 */
export function channelFrequencyResponse(paths: readonly MultipathComponent[], frequencyHz: number): Complex {
  let re = 0;
  let im = 0;
  for (const p of paths) {
    const phi = -2 * Math.PI * frequencyHz * p.delay;
    const c = Math.cos(phi);
    const s = Math.sin(phi);
    re += p.a.re * c - p.a.im * s;
    im += p.a.re * s + p.a.im * c;
  }
  return { re, im };
}

/** Metrics a calibration can fit, in the soundings' units. */
export type FittedMetric =
  | 'path_gain_db'
  | 'coherent_gain_db'
  | 'rms_delay_spread_ns'
  | 'k_factor_db'
  | 'angular_spread_deg';

export interface ValueAndGradient {
  value: number;
  /** ∂value/∂θₖ for each parameter of the statistics */
  grad: Float64Array;
}

/**
 * A metric of link l and its exact derivatives ∂/∂θₖ from the statistics' derivatives (chain
 * rule; geometry — delays, angles — does not depend on materials).
 */
export function metricWithGradient(stats: LinkStats, l: number, metric: FittedMetric): ValueAndGradient {
  const n = stats.parameters;
  const v = stats.values;
  const o = l * STAT_COUNT;
  const d = (s: number, k: number) => stats.derivatives[(o + s) * n + k]!;
  const grad = new Float64Array(n);
  const P = v[o + STAT_POWER]!;
  switch (metric) {
    case 'path_gain_db': {
      for (let k = 0; k < n; k++) grad[k] = (DB * d(STAT_POWER, k)) / P;
      return { value: DB * Math.log(P), grad };
    }
    case 'coherent_gain_db': {
      // |H_det|² + P_diffuse
      const hr = v[o + STAT_COH_RE]!;
      const hi = v[o + STAT_COH_IM]!;
      const g = hr * hr + hi * hi + v[o + STAT_DIFFUSE]!;
      for (let k = 0; k < n; k++)
        grad[k] = (DB * (2 * (hr * d(STAT_COH_RE, k) + hi * d(STAT_COH_IM, k)) + d(STAT_DIFFUSE, k))) / g;
      return { value: DB * Math.log(g), grad };
    }
    case 'rms_delay_spread_ns': {
      // variance = D2/P − (D1/P)²; its derivative needs no ∂τ̄ term beyond the chain rule below
      const m = v[o + STAT_DELAY1]! / P;
      const variance = v[o + STAT_DELAY2]! / P - m * m;
      const rms = Math.sqrt(Math.max(0, variance));
      if (rms > 0)
        for (let k = 0; k < n; k++) {
          const dP = d(STAT_POWER, k);
          const dm = (d(STAT_DELAY1, k) - m * dP) / P;
          const dVariance = (d(STAT_DELAY2, k) - (variance + m * m) * dP) / P - 2 * m * dm;
          grad[k] = dVariance / (2 * rms);
        }
      return { value: rms, grad };
    }
    case 'k_factor_db': {
      const pr = v[o + STAT_REF]!;
      const rest = v[o + STAT_REST]!;
      for (let k = 0; k < n; k++) grad[k] = DB * (d(STAT_REF, k) / pr - d(STAT_REST, k) / rest);
      return { value: DB * Math.log(pr / rest), grad };
    }
    case 'angular_spread_deg': {
      const ar = v[o + STAT_ANG_RE]!;
      const ai = v[o + STAT_ANG_IM]!;
      const z2 = (ar * ar + ai * ai) / (P * P);
      const as = Math.sqrt(Math.max(0, -Math.log(Math.min(1, z2))));
      const toDeg = 180 / Math.PI;
      if (as > 0)
        for (let k = 0; k < n; k++) {
          // AS² = −ln|z|², |z|² = |A|²/P²
          const dz2 =
            (2 * (ar * d(STAT_ANG_RE, k) + ai * d(STAT_ANG_IM, k))) / (P * P) -
            (2 * z2 * d(STAT_POWER, k)) / P;
          grad[k] = (-dz2 / z2 / (2 * as)) * toDeg;
        }
      return { value: as * toDeg, grad };
    }
  }
}
