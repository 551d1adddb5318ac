import { type Complex, cabs2 } from '../core/complex.ts';

/** What the metrics need from a path: coefficient, delay, arrival azimuth, LoS or not. */
export interface MultipathComponent {
  a: Complex;
  delay: number;
  aoa: { azimuthDeg: number };
  kind: string;
}

/** Per-link channel metrics (docs/physics.md §10). dB values are −Infinity with no paths. */
export interface LinkMetrics {
  /** incoherent: 10·log10 Σ|aᵢ|² */
  pathGainDb: number;
  /** narrowband coherent at the carrier: 10·log10 |Σ aᵢ e^{−j2πf_c τᵢ}|² */
  coherentGainDb: number;
  meanDelayS: number;
  rmsDelaySpreadS: number;
  /** 3GPP 38.901 annex A circular angular spread of arrival azimuths, degrees */
  angularSpreadDeg: number;
  /** Rician K-factor in dB: LoS power over the rest, or the strongest path's if no LoS */
  kFactorDb: number;
  kFactorReference: 'los' | 'strongest' | 'none';
  los: boolean;
  pathCount: number;
}

export const toDb = (p: number): number => 10 * Math.log10(p);

/** Σ aᵢ·e^{−j2πfτᵢ}: channel frequency response at absolute frequency f (Sionna convention). */
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

/** τrms = √(Σpᵢ(τᵢ−τ̄)²/Σpᵢ) with pᵢ = |aᵢ|². */
export function rmsDelaySpread(
  powers: readonly number[],
  delays: readonly number[],
): { mean: number; rms: number } {
  let p = 0;
  let pt = 0;
  for (let i = 0; i < powers.length; i++) {
    p += powers[i]!;
    pt += powers[i]! * delays[i]!;
  }
  if (p <= 0) return { mean: 0, rms: 0 };
  const mean = pt / p;
  let v = 0;
  for (let i = 0; i < powers.length; i++) v += powers[i]! * (delays[i]! - mean) ** 2;
  return { mean, rms: Math.sqrt(Math.max(0, v / p)) };
}

/** AS = √(−2·ln|Σpᵢe^{jφᵢ}/Σpᵢ|) in degrees (3GPP TR 38.901 annex A). */
export function angularSpreadDeg(powers: readonly number[], azimuthsDeg: readonly number[]): number {
  let p = 0;
  let re = 0;
  let im = 0;
  for (let i = 0; i < powers.length; i++) {
    const phi = (azimuthsDeg[i]! * Math.PI) / 180;
    p += powers[i]!;
    re += powers[i]! * Math.cos(phi);
    im += powers[i]! * Math.sin(phi);
  }
  if (p <= 0) return 0;
  const r = Math.min(1, Math.hypot(re, im) / p);
  return (Math.sqrt(Math.max(0, -2 * Math.log(r))) * 180) / Math.PI;
}

export function linkMetrics(paths: readonly MultipathComponent[], frequencyHz: number): LinkMetrics {
  const powers = paths.map((p) => cabs2(p.a));
  const total = powers.reduce((s, x) => s + x, 0);
  const { mean, rms } = rmsDelaySpread(
    powers,
    paths.map((p) => p.delay),
  );
  const losIndex = paths.findIndex((p) => p.kind === 'los');
  let refIndex = losIndex;
  let reference: LinkMetrics['kFactorReference'] = 'los';
  if (refIndex < 0) {
    reference = paths.length > 0 ? 'strongest' : 'none';
    refIndex = powers.reduce((best, x, i) => (x > (powers[best] ?? -1) ? i : best), -1);
  }
  const refPower = refIndex >= 0 ? powers[refIndex]! : 0;
  const rest = total - refPower;
  return {
    pathGainDb: toDb(total),
    coherentGainDb: toDb(cabs2(channelFrequencyResponse(paths, frequencyHz))),
    meanDelayS: mean,
    rmsDelaySpreadS: rms,
    angularSpreadDeg: angularSpreadDeg(
      powers,
      paths.map((p) => p.aoa.azimuthDeg),
    ),
    kFactorDb: refIndex < 0 ? Number.NaN : rest > 0 ? toDb(refPower / rest) : Number.POSITIVE_INFINITY,
    kFactorReference: reference,
    los: losIndex >= 0,
    pathCount: paths.length,
  };
}
