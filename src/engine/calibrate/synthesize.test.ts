import { describe, expect, it } from 'vitest';
import { linkMetrics } from '../metrics/linkMetrics.ts';
import type { Path } from '../tracer/path.ts';
import { synthesizeSoundings } from './synthesize.ts';

const path = (re: number, delayNs: number, los: boolean): Path => ({
  kind: los ? 'los' : 'scattered',
  interactions: [],
  length: delayNs * 0.299792458,
  a: { re, im: 0 },
  delay: delayNs * 1e-9,
  aod: { azimuthDeg: 0, elevationDeg: 0 },
  aoa: { azimuthDeg: 0, elevationDeg: 0 },
});
const link = (paths: Path[]) => ({
  tx: [0, 0, 1] as [number, number, number],
  rx: [5, 0, 1] as [number, number, number],
  paths,
  metrics: linkMetrics(paths, 28e9),
});

describe('synthetic soundings', () => {
  it('K = 10·log10(P_LoS / P_rest) when other paths carry power', () => {
    // |a|² = 1e-6 (LoS) and 1e-7 (the rest) → K = 10 dB exactly
    const [s] = synthesizeSoundings([link([path(1e-3, 10, true), path(Math.sqrt(1e-7), 20, false)])], {
      frequencyHz: 28e9,
    });
    expect(s!.metrics.k_factor_db).toBeCloseTo(10, 9);
  });

  it('leaves K empty, not Infinity, when only the LoS carries power (S = 0 scattered paths)', () => {
    const [s] = synthesizeSoundings([link([path(1e-3, 10, true), path(0, 20, false)])], {
      frequencyHz: 28e9,
      noiseDb: 1,
    });
    expect(s!.metrics.k_factor_db).toBeUndefined();
    expect(Number.isFinite(s!.metrics.path_gain_db)).toBe(true);
  });
});
