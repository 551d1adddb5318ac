/** Viridis (matplotlib), 9 control points, linear in between: perceptually uniform, print-safe. */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** Colour of t ∈ [0, 1] (clamped; non-finite → 0) as [r, g, b] in 0..255. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + f * (b[k]! - a[k]!))) as [number, number, number];
}

/** Cells without any path: neutral grey, outside the colour scale. */
export const NO_PATH_RGB: [number, number, number] = [160, 160, 160];
/** K-factor cells with a single path (K = +∞): magenta, a hue viridis never takes. */
export const SINGLE_PATH_RGB: [number, number, number] = [226, 64, 196];
