/**
 * The value range a radio map's colours span. Min–max lets a few extreme cells (next to the
 * transmitter, behind an obstacle) stretch the scale until the rest of the map is one colour;
 * the default is therefore the 2nd–98th percentile of the finite values, with values outside it
 * drawn in the end colours. A manual range is taken as given.
 */
export type ColorRange =
  | { mode: 'auto'; lowPercentile: number; highPercentile: number }
  | { mode: 'manual'; min: number; max: number };

export const DEFAULT_COLOR_RANGE: ColorRange = { mode: 'auto', lowPercentile: 2, highPercentile: 98 };

/** Check a colour range: percentiles 0 ≤ low < high ≤ 100, or finite min < max. */
export function colorRangeProblem(range: ColorRange): string | undefined {
  if (range.mode === 'auto') {
    const { lowPercentile: lo, highPercentile: hi } = range;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo >= 0 && hi <= 100 && lo < hi))
      return `percentiles must satisfy 0 ≤ low < high ≤ 100, got ${lo} and ${hi}`;
    return undefined;
  }
  if (!(Number.isFinite(range.min) && Number.isFinite(range.max) && range.min < range.max))
    return `the colour range needs finite min < max, got ${range.min} and ${range.max}`;
  return undefined;
}

/**
 * Percentile p (0…100) of the sorted values, linear between closest ranks (the "R-7" rule of
 * numpy's default): p = 0 is the minimum, p = 100 the maximum.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * [lo, hi] of the colour scale for `values` (non-finite values — no path, K = ∞ — are not
 * part of it); always lo < hi (a flat map gets ±1 around its value, an empty one [0, 1]).
 */
export function colorRangeOf(
  values: ArrayLike<number>,
  range: ColorRange = DEFAULT_COLOR_RANGE,
): [number, number] {
  const problem = colorRangeProblem(range);
  if (problem) throw new RangeError(problem);
  if (range.mode === 'manual') return [range.min, range.max];
  let count = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) count++;
  if (count === 0) return [0, 1];
  const finite = new Float64Array(count);
  for (let i = 0, k = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite[k++] = values[i]!;
  finite.sort();
  const lo = percentile(finite, range.lowPercentile);
  const hi = percentile(finite, range.highPercentile);
  return hi > lo ? [lo, hi] : [lo - 1, lo + 1];
}
