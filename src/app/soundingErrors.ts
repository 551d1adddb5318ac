import type { SoundingComparison } from './worker/protocol.ts';

/**
 * Errors of the model against the soundings, before and after calibration: |predicted −
 * measured| in dB for every sounding that measured the power and for which the model predicts
 * some (links without any traced path predict no power and are left out, and counted).
 */
export interface SoundingErrors {
  /** pairs (measured, predicted) in dB, per sounding kept */
  before: { measured: number; predicted: number }[];
  after: { measured: number; predicted: number }[];
  /** absolute errors (dB), sorted ascending */
  absBefore: number[];
  absAfter: number[];
  medianBefore: number;
  medianAfter: number;
  /** soundings left out (not measured in this metric, or no traced path) */
  left: number;
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

export function soundingErrors(c: SoundingComparison): SoundingErrors {
  const keep = c.measured.flatMap((m, i) =>
    Number.isFinite(m) && Number.isFinite(c.before[i]!) && Number.isFinite(c.after[i]!) ? [i] : [],
  );
  const pairs = (pred: number[]) => keep.map((i) => ({ measured: c.measured[i]!, predicted: pred[i]! }));
  const before = pairs(c.before);
  const after = pairs(c.after);
  const abs = (p: { measured: number; predicted: number }[]) =>
    p.map((q) => Math.abs(q.predicted - q.measured)).sort((a, b) => a - b);
  const absBefore = abs(before);
  const absAfter = abs(after);
  return {
    before,
    after,
    absBefore,
    absAfter,
    medianBefore: median(absBefore),
    medianAfter: median(absAfter),
    left: c.measured.length - keep.length,
  };
}
