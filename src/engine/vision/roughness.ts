import type { RgbaImage } from '../core/image.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import type { Bvh } from '../tracer/bvh.ts';
import { type Camera, projectPoint } from './camera.ts';
import { surfaceAxes } from './rayRender.ts';
import { type PointView, pointVisibility } from './visibility.ts';
import { ROUGHNESS_CLASSES, type RoughnessLabel } from './vocabulary.ts';

/**
 * Surface roughness from the images, at a scale the camera geometry makes known (docs/physics.md
 * §7). Around a sample point that a view sees, a window of n × n cells of side Δ (default 4 cm)
 * is laid on the face's plane; each cell's mean luminance is read from the image through the
 * camera (so every view measures the same cells on the surface, whatever its distance and
 * angle), and the window's texture contrast is the median relative difference between
 * neighbouring cells, |L_a − L_b| / L̄. A rough surface's micro-relief shades every cell a little
 * differently; a smooth one is even, and the median ignores sparse albedo patterns (marble veins,
 * mortar joints) that would otherwise read as roughness. Only views whose pixels resolve Δ count.
 */
export interface TextureWindowOptions {
  /** cell side on the surface (m), default 0.04 */
  cellM?: number;
  /** cells per window side, default 8 */
  cells?: number;
  /** luminance samples per cell side (box filter), default 3 */
  subsamples?: number;
}

const luminanceAt = (img: RgbaImage, x: number, y: number): number => {
  // continuous pixel coordinates: the centre of pixel (i, j) is (i + 0.5, j + 0.5)
  const fx = Math.min(img.width - 1, Math.max(0, x - 0.5));
  const fy = Math.min(img.height - 1, Math.max(0, y - 0.5));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(img.width - 1, x0 + 1);
  const y1 = Math.min(img.height - 1, y0 + 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const L = (i: number, j: number) => {
    const q = 4 * (j * img.width + i);
    return 0.299 * img.data[q]! + 0.587 * img.data[q + 1]! + 0.114 * img.data[q + 2]!;
  };
  const a = L(x0, y0) + (L(x1, y0) - L(x0, y0)) * tx;
  const b = L(x0, y1) + (L(x1, y1) - L(x0, y1)) * tx;
  return a + (b - a) * ty;
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Texture contrast of one window around `point` (on face `faceId`) in one view, or undefined
 * when the view cannot measure it: the pixels are coarser than a cell (along the foreshortened
 * axis too), or a corner of the window is off the face or hidden.
 */
export function textureContrast(
  scene: Scene,
  bvh: Bvh,
  camera: Camera,
  image: RgbaImage,
  point: Vec3,
  faceId: number,
  seen: PointView,
  options: TextureWindowOptions = {},
): number | undefined {
  const cell = options.cellM ?? 0.04;
  const n = options.cells ?? 8;
  const sub = options.subsamples ?? 3;
  if (seen.verdict !== 'visible') return undefined;
  // pixel footprint on the surface along the foreshortened axis: it must not exceed a cell
  const f = Math.min(camera.fx, camera.fy);
  if (seen.distance! / (f * seen.cosView!) > cell) return undefined;
  const { u, v } = surfaceAxes(scene.faces[faceId]!.normal);
  const at = (a: number, b: number): Vec3 => [
    point[0] + a * u[0] + b * v[0],
    point[1] + a * u[1] + b * v[1],
    point[2] + a * u[2] + b * v[2],
  ];
  const half = (n * cell) / 2;
  for (const [a, b] of [
    [-half, -half],
    [half, -half],
    [-half, half],
    [half, half],
  ] as const) {
    if (pointVisibility(scene, bvh, camera, at(a, b), faceId).verdict !== 'visible') return undefined;
  }
  const means: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let sj = 0; sj < sub; sj++) {
        for (let si = 0; si < sub; si++) {
          const q = projectPoint(
            camera,
            at(-half + (i + (si + 0.5) / sub) * cell, -half + (j + (sj + 0.5) / sub) * cell),
          );
          if (!q) return undefined;
          s += luminanceAt(image, q.x, q.y);
        }
      }
      means.push(s / (sub * sub));
    }
  }
  const centre = median(means);
  if (!(centre > 1)) return undefined; // black: nothing to measure
  // robust relative spread: 1.4826·MAD is the std of a normal distribution, and sparse
  // outliers (veins, joints) hardly move it
  return (1.4826 * median(means.map((m) => Math.abs(m - centre)))) / centre;
}

/**
 * Texture contrast between the roughness classes (median over a surface's windows, 4 cm cells):
 * below `smoothBelow` smooth, above `roughAbove` rough, slightly rough between. They sit at the
 * geometric means between what the renders' relief model (classTextures.ts RELIEF) shows for the
 * classes in an evenly lit room, measured on the demo views and the synthetic rooms: smooth
 * surfaces 0.5–1.8 % (marble veins included), slightly rough 3.5–5 %, rough 8–12 %. Real photos
 * are lit otherwise and carry sensor noise; docs/real-photos.md says how to check them.
 */
export const TEXTURE_THRESHOLDS = { smoothBelow: 0.026, roughAbove: 0.067 } as const;

/** A surface's roughness class and the scattering coefficient prior it gives (paper 000 Table 2). */
export interface RoughnessEstimate {
  /** the most probable class */
  label: RoughnessLabel;
  /** what decided it: texture contrast at known scale, or CLIP's roughness prompts */
  source: 'texture' | 'clip';
  /** every class with its probability, in ROUGHNESS_CLASSES order */
  probabilities: { label: RoughnessLabel; probability: number }[];
  /** centre of the most probable class's S range */
  scatteringCoefficient: number;
  /** spread of S under the class probabilities (within-range spread included) */
  scatteringStd: number;
  /** median texture contrast over the windows (texture source) */
  textureContrast?: number;
  /** texture windows measured (0 when CLIP decided) */
  windows: number;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/**
 * The S prior of class probabilities: the centre of the most probable class's range (the paper
 * takes the table entry of the class the VLM chose), with a std that keeps the other classes'
 * probability: σ² = Σ p_c·((centre_c − S)² + width_c²/12), the second moment about S of a mixture
 * of uniform distributions over the ranges. A sure class leaves its range's own spread
 * (0.009 for smooth, 0.058 for rough); an unsure one widens it, so calibration can move S.
 */
export function roughnessPrior(
  probabilities: readonly number[],
  source: RoughnessEstimate['source'],
  extra: { textureContrast?: number; windows?: number } = {},
): RoughnessEstimate {
  const total = probabilities.reduce((a, b) => a + b, 0) || 1;
  const p = ROUGHNESS_CLASSES.map((_, k) => (probabilities[k] ?? 0) / total);
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  const centre = (k: number) =>
    (ROUGHNESS_CLASSES[k]!.scatteringRange[0] + ROUGHNESS_CLASSES[k]!.scatteringRange[1]) / 2;
  const S = centre(best);
  const variance = p.reduce((acc, pk, k) => {
    const [lo, hi] = ROUGHNESS_CLASSES[k]!.scatteringRange;
    return acc + pk * ((centre(k) - S) ** 2 + (hi - lo) ** 2 / 12);
  }, 0);
  return {
    label: ROUGHNESS_CLASSES[best]!.label,
    source,
    probabilities: ROUGHNESS_CLASSES.map((c, k) => ({ label: c.label, probability: p[k]! })),
    scatteringCoefficient: S,
    scatteringStd: Math.sqrt(variance),
    ...(extra.textureContrast !== undefined ? { textureContrast: extra.textureContrast } : {}),
    windows: extra.windows ?? 0,
  };
}

/** Fewest texture windows a surface needs before its texture decides its roughness. */
export const MIN_TEXTURE_WINDOWS = 3;

/**
 * Roughness of a surface from the texture contrast of its windows: the log of their median,
 * with the standard error of a median (1.2533·σ/√n, σ from the windows' MAD, at least 0.15 for
 * what the thresholds themselves are unsure of), placed against the class thresholds.
 * Undefined when fewer than MIN_TEXTURE_WINDOWS windows were measured.
 */
export function roughnessFromTexture(contrasts: readonly number[]): RoughnessEstimate | undefined {
  const c = contrasts.filter((x) => x > 0 && Number.isFinite(x));
  if (c.length < MIN_TEXTURE_WINDOWS) return undefined;
  const logs = c.map(Math.log);
  const m = median(logs);
  const spread = 1.4826 * median(logs.map((x) => Math.abs(x - m)));
  const s = Math.max(0.15, (1.2533 * spread) / Math.sqrt(c.length));
  const pSmooth = normalCdf((Math.log(TEXTURE_THRESHOLDS.smoothBelow) - m) / s);
  const pRough = 1 - normalCdf((Math.log(TEXTURE_THRESHOLDS.roughAbove) - m) / s);
  return roughnessPrior([pSmooth, Math.max(0, 1 - pSmooth - pRough), pRough], 'texture', {
    textureContrast: Math.exp(m),
    windows: c.length,
  });
}
