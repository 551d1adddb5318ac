import type { Complex } from '../core/complex.ts';
import { channelFrequencyResponse, type MultipathComponent } from './linkMetrics.ts';

/** Channel impulse response: the paths as (delay, coefficient) pairs sorted by delay. */
export function channelImpulseResponse(paths: readonly MultipathComponent[]): {
  delays: number[];
  coefficients: Complex[];
} {
  const sorted = [...paths].sort((x, y) => x.delay - y.delay);
  return { delays: sorted.map((p) => p.delay), coefficients: sorted.map((p) => p.a) };
}

/** H(f) at each absolute frequency (Hz). */
export function channelFrequencyResponses(
  paths: readonly MultipathComponent[],
  frequenciesHz: readonly number[],
): Complex[] {
  return frequenciesHz.map((f) => channelFrequencyResponse(paths, f));
}

const sinc = (x: number) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/**
 * Discrete baseband taps for a bandwidth W (sample spacing 1/W), as Sionna's cir_to_time_channel:
 * h[l] = Σ aᵢ·e^{−j2πf_cτᵢ}·sinc(l − W·τᵢ) for l = lMin … lMax.
 */
export function channelTaps(
  paths: readonly MultipathComponent[],
  carrierHz: number,
  bandwidthHz: number,
  lMin = -6,
  lMax?: number,
): { l: number[]; taps: Complex[] } {
  const maxDelay = paths.reduce((m, p) => Math.max(m, p.delay), 0);
  const last = lMax ?? Math.ceil(maxDelay * bandwidthHz) + 6;
  const l: number[] = [];
  const taps: Complex[] = [];
  for (let k = lMin; k <= last; k++) {
    let re = 0;
    let im = 0;
    for (const p of paths) {
      const phi = -2 * Math.PI * carrierHz * p.delay;
      const w = sinc(k - bandwidthHz * p.delay);
      re += w * (p.a.re * Math.cos(phi) - p.a.im * Math.sin(phi));
      im += w * (p.a.re * Math.sin(phi) + p.a.im * Math.cos(phi));
    }
    l.push(k);
    taps.push({ re, im });
  }
  return { l, taps };
}
