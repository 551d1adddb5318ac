import type { Vec3 } from '../core/vec3.ts';
import { directionAngles, parabolicPatternDb } from '../field/antenna.ts';

/**
 * Switched horn sectors (docs/physics.md §16), like the sounder of paper 000 §6 (8 Tx and 16 Rx
 * horns): K horns in the horizontal plane, boresights at azimuths φₖ = φ₀ + k·360°/K, each with the
 * TR 38.901 parabolic shape (field/antenna.ts `parabolicPatternDb`) of 3 dB beamwidth B (default
 * 360°/K, so neighbouring sectors cross at −3 dB) and a 30 dB floor, its peak gain set so the
 * pattern radiates the power of an isotropic antenna (sphere average 1, computed numerically).
 * A horn only rotates about z, so a V (H) horn stays V (H): its field is the isotropic antenna's
 * of the same polarisation times the real amplitude √G(d) — paths are evaluated once with the
 * iso element and each sector multiplies by its amplitude.
 */
export interface HornSectors {
  count: number;
  beamwidthDeg: number;
  /** azimuth of sector 0's boresight, degrees */
  azimuthDeg: number;
}

export const HORN_SLA_DB = 30;

const peakCache = new Map<number, number>();

/** Peak gain (linear) of a horn of this beamwidth normalised to a sphere average of 1. */
export function hornPeakGain(beamwidthDeg: number): number {
  const cached = peakCache.get(beamwidthDeg);
  if (cached !== undefined) return cached;
  const bw = (beamwidthDeg * Math.PI) / 180;
  // midpoint rule in θ (weight sin θ) and φ; the pattern is smooth except at the floor's kink
  const nt = 720;
  const np = 1440;
  let sum = 0;
  for (let i = 0; i < nt; i++) {
    const theta = ((i + 0.5) * Math.PI) / nt;
    const w = Math.sin(theta);
    for (let k = 0; k < np; k++) {
      const phi = -Math.PI + ((k + 0.5) * 2 * Math.PI) / np;
      sum += w * 10 ** (parabolicPatternDb(theta, phi, bw, HORN_SLA_DB) / 10);
    }
  }
  const average = (sum * (Math.PI / nt) * ((2 * Math.PI) / np)) / (4 * Math.PI);
  const peak = 1 / average;
  peakCache.set(beamwidthDeg, peak);
  return peak;
}

/** Boresight azimuth of sector k, radians. */
export const hornAzimuth = (h: HornSectors, k: number): number =>
  ((h.azimuthDeg + (k * 360) / h.count) * Math.PI) / 180;

/** Real amplitude √G of sector k of the horns in world direction d. */
export function hornAmplitude(
  h: HornSectors,
  k: number,
  d: Readonly<Vec3>,
  peak = hornPeakGain(h.beamwidthDeg),
): number {
  const { theta, phi } = directionAngles(d);
  const db = parabolicPatternDb(
    theta,
    phi - hornAzimuth(h, k),
    (h.beamwidthDeg * Math.PI) / 180,
    HORN_SLA_DB,
  );
  return Math.sqrt(peak * 10 ** (db / 10));
}
