/**
 * Which estimates of a calibration may replace the twin's values: an estimate is "calibrated"
 * only when the soundings identify it (uncertainty.ts: its posterior spread is well below the
 * prior's) and its relative uncertainty std/|estimate| (Gauss–Newton, delta method) is at most
 * a threshold the person sets. Everything else keeps its prior value and says why. One rule for
 * the studio's Apply, its twin export and `rftwin calibrate`'s result.
 */
export interface EstimateUncertainty {
  estimate: number;
  std: number;
  identifiable: boolean;
}

export interface EstimateTrust {
  calibrated: boolean;
  /** std / |estimate| (Infinity when it cannot be formed) */
  relativeStd: number;
  /** why it is not calibrated, one line; absent when it is */
  reason?: string;
}

/** Default largest relative uncertainty of an estimate written to the twin (±20 % at 1σ). */
export const DEFAULT_MAX_RELATIVE_STD = 0.2;

export function maxRelativeStdProblem(threshold: number): string | undefined {
  return Number.isFinite(threshold) && threshold > 0 && threshold <= 10
    ? undefined
    : `the uncertainty threshold must be a fraction above 0 and at most 10 (1000 %), got ${threshold}`;
}

export function estimateTrust(
  u: EstimateUncertainty,
  maxRelativeStd: number = DEFAULT_MAX_RELATIVE_STD,
): EstimateTrust {
  const problem = maxRelativeStdProblem(maxRelativeStd);
  if (problem) throw new RangeError(problem);
  const relativeStd =
    Number.isFinite(u.std) && Number.isFinite(u.estimate) && u.estimate !== 0
      ? Math.abs(u.std / u.estimate)
      : Number.POSITIVE_INFINITY;
  const pct = (x: number) => `${(100 * x).toPrecision(3)} %`;
  if (!u.identifiable)
    return {
      calibrated: false,
      relativeStd,
      reason: 'not identifiable from these soundings: no sounded path constrains it beyond its prior',
    };
  if (!Number.isFinite(relativeStd))
    return { calibrated: false, relativeStd, reason: 'no finite uncertainty could be computed' };
  if (relativeStd > maxRelativeStd)
    return {
      calibrated: false,
      relativeStd,
      reason: `uncertainty ±${pct(relativeStd)} exceeds the ±${pct(maxRelativeStd)} threshold`,
    };
  return { calibrated: true, relativeStd };
}
