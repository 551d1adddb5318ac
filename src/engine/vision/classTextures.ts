/**
 * Procedural surface textures of common building materials, as functions of in-plane surface
 * coordinates (u, v) in metres. They paint the synthetic test scenes and the demo twin's
 * rendered views, and they define the colour/texture signatures the tiny test CLIP model is
 * built around (scripts/make-tiny-clip.ts), so that the real pipeline has something to see.
 */
import type { RoughnessLabel } from './vocabulary.ts';

export type Rgb = [number, number, number];

/** Integer hash → [0, 1); deterministic, so renders are reproducible. */
export function hash01(i: number, j: number, seed: number): number {
  let h = Math.imul(i | 0, 374761393) ^ Math.imul(j | 0, 668265263) ^ Math.imul(seed | 0, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Bilinear value noise with cells of `cell` metres, in [0, 1). */
export function valueNoise(u: number, v: number, cell: number, seed: number): number {
  const x = u / cell;
  const y = v / cell;
  const i = Math.floor(x);
  const j = Math.floor(y);
  const fx = x - i;
  const fy = y - j;
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = hash01(i, j, seed);
  const b = hash01(i + 1, j, seed);
  const c = hash01(i, j + 1, seed);
  const d = hash01(i + 1, j + 1, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
  a[2] + (b[2] - a[2]) * t,
];
const shade = (c: Rgb, k: number): Rgb => [c[0] * k, c[1] * k, c[2] * k];
const clamp01 = (c: Rgb): Rgb => [
  Math.min(1, Math.max(0, c[0])),
  Math.min(1, Math.max(0, c[1])),
  Math.min(1, Math.max(0, c[2])),
];

/** Running bond brick courses with mortar joints. */
function brick(u: number, v: number): Rgb {
  const bw = 0.225;
  const bh = 0.075;
  const row = Math.floor(v / bh);
  const uu = u + (row % 2 === 0 ? 0 : bw / 2);
  const col = Math.floor(uu / bw);
  const inU = uu - col * bw;
  const inV = v - row * bh;
  if (inU < 0.012 || inV < 0.012) return [0.74, 0.71, 0.64];
  const k = 0.9 + 0.2 * hash01(col, row, 11) + 0.1 * (valueNoise(u, v, 0.02, 12) - 0.5);
  return clamp01(shade([0.63, 0.27, 0.17], k));
}

function concrete(u: number, v: number): Rgb {
  const n = 0.6 * valueNoise(u, v, 0.01, 21) + 0.4 * valueNoise(u, v, 0.05, 22);
  const pores = hash01(Math.floor(u / 0.004), Math.floor(v / 0.004), 23) < 0.03 ? -0.15 : 0;
  return clamp01(shade([0.56, 0.56, 0.54], 0.85 + 0.3 * n + pores));
}

/** Plank-wise grain: stripes along u with a wobble, darker boundaries between planks. */
function wood(u: number, v: number): Rgb {
  const plank = Math.floor(v / 0.15);
  const inPlank = v - plank * 0.15;
  if (inPlank < 0.004) return [0.3, 0.18, 0.1];
  const grain = Math.sin((v + 0.02 * Math.sin(u * 7 + plank)) * 180 + plank * 3);
  const k = 0.9 + 0.12 * grain + 0.08 * (hash01(plank, 0, 31) - 0.5);
  return clamp01(shade([0.55, 0.35, 0.19], k));
}

/** Cool light-grey stone with thin dark veins. */
function marble(u: number, v: number): Rgb {
  const t = u * 3 + v * 2 + 1.5 * valueNoise(u, v, 0.12, 41) + 0.5 * valueNoise(u, v, 0.03, 42);
  const vein = Math.abs(Math.sin(t * 4));
  const veinK = vein < 0.12 ? 0.55 + vein * 3 : 1;
  return clamp01(shade([0.8, 0.82, 0.86], veinK * (0.97 + 0.06 * valueNoise(u, v, 0.01, 43))));
}

/** Pressed chips: light tan with dense dark and light speckle. */
function chipboard(u: number, v: number): Rgb {
  const c = hash01(Math.floor(u / 0.006), Math.floor(v / 0.004), 51);
  const k = c < 0.15 ? 0.7 : c > 0.85 ? 1.12 : 0.92 + 0.1 * c;
  return clamp01(shade([0.8, 0.65, 0.42], k));
}

/** Brushed metal: bluish grey, faint streaks along u. */
function metal(u: number, v: number): Rgb {
  const streak = hash01(0, Math.floor(v / 0.002), 61);
  return clamp01(shade([0.69, 0.72, 0.77], 0.97 + 0.05 * streak + 0.03 * Math.sin(u * 2)));
}

function glass(u: number, v: number): Rgb {
  return clamp01(shade([0.56, 0.76, 0.8], 0.97 + 0.04 * Math.sin((u + v) * 1.3)));
}

function plasterboard(u: number, v: number): Rgb {
  return clamp01(shade([0.96, 0.92, 0.78], 0.98 + 0.03 * valueNoise(u, v, 0.2, 81)));
}

/** Dense loop pile: dark green, fine random texture. */
function carpet(u: number, v: number): Rgb {
  const n = hash01(Math.floor(u / 0.003), Math.floor(v / 0.003), 91);
  return clamp01(shade([0.24, 0.36, 0.27], 0.8 + 0.4 * n));
}

/** Slate-blue ceramic tiles of 0.3 m with light grout. */
function tile(u: number, v: number): Rgb {
  const s = 0.3;
  const iu = u - Math.floor(u / s) * s;
  const iv = v - Math.floor(v / s) * s;
  if (iu < 0.008 || iv < 0.008) return [0.82, 0.82, 0.8];
  return clamp01(shade([0.38, 0.44, 0.6], 0.97 + 0.06 * hash01(Math.floor(u / s), Math.floor(v / s), 101)));
}

/** Woven fabric: purple with a fine checker weave. */
function fabric(u: number, v: number): Rgb {
  const w = (Math.floor(u / 0.004) + Math.floor(v / 0.004)) % 2 === 0 ? 1.06 : 0.9;
  return clamp01(shade([0.55, 0.25, 0.46], w));
}

/** The textured classes, keyed by the material word the vocabulary uses for them. */
export const CLASS_TEXTURES: Readonly<Record<string, (u: number, v: number) => Rgb>> = {
  brick,
  concrete,
  wood,
  marble,
  chipboard,
  metal,
  glass,
  plasterboard,
  carpet,
  tile,
  fabric,
};

export const TEXTURE_CLASSES = Object.keys(CLASS_TEXTURES);

/**
 * How rough each textured class is, in the three classes of paper 000's Table 2 that the vision
 * priors map to a scattering coefficient (docs/physics.md §7): brick (Ra 14.7 µm) is its "rough"
 * row, chipboard (2.7 µm) its "slightly rough" row and painted plasterboard (2.3 µm) its "smooth"
 * row. The others are placed by what they are: concrete, carpet and fabric rough; sawn wood
 * slightly rough; glass, polished metal, polished marble and glazed tile smooth.
 */
export const CLASS_ROUGHNESS: Readonly<Record<string, RoughnessLabel>> = {
  brick: 'rough',
  concrete: 'rough',
  carpet: 'rough',
  fabric: 'rough',
  wood: 'slightly rough',
  chipboard: 'slightly rough',
  plasterboard: 'smooth',
  glass: 'smooth',
  metal: 'smooth',
  marble: 'smooth',
  tile: 'smooth',
};

/**
 * The micro-relief the synthetic renders give each roughness class: what makes the roughness of
 * a rendered surface known and visible. A rough surface's relief tilts the shading normal (RMS
 * slope) and darkens its hollows (ambient occlusion, up to `occlusion` at the deepest point), so
 * it shows dense shading texture under the room's light (rayRender.ts surfaceShade); a smooth
 * one shows none, only its albedo pattern (e.g. marble veins).
 */
export const RELIEF: Readonly<Record<RoughnessLabel, { slope: number; occlusion: number }>> = {
  smooth: { slope: 0, occlusion: 0 },
  'slightly rough': { slope: 0.15, occlusion: 0.12 },
  rough: { slope: 1, occlusion: 0.7 },
};

/** Relief height field in [0, 1.5): two octaves of value noise, 200 mm and 80 mm cells. */
const reliefHeight = (u: number, v: number): number =>
  valueNoise(u, v, 0.2, 201) + 0.5 * valueNoise(u, v, 0.08, 202);

const RELIEF_STEP = 5e-4;
const rawGradient = (u: number, v: number): [number, number] => [
  (reliefHeight(u + RELIEF_STEP, v) - reliefHeight(u - RELIEF_STEP, v)) / (2 * RELIEF_STEP),
  (reliefHeight(u, v + RELIEF_STEP) - reliefHeight(u, v - RELIEF_STEP)) / (2 * RELIEF_STEP),
];

/** RMS of one component of the raw gradient, measured once on a 1 m² grid (deterministic). */
let rawSlopeRms: number | undefined;
function reliefNormalisation(): number {
  if (rawSlopeRms === undefined) {
    let s = 0;
    const n = 128;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const g = rawGradient((i + 0.37) / n, (j + 0.61) / n);
        s += (g[0] * g[0] + g[1] * g[1]) / 2;
      }
    rawSlopeRms = Math.sqrt(s / (n * n));
  }
  return rawSlopeRms;
}

export interface Relief {
  /** [∂h/∂u, ∂h/∂v] of the relief */
  slope: [number, number];
  /** ambient occlusion in [0, 1): how much the hollow at (u, v) darkens the ambient light */
  occlusion: number;
}

const FLAT: Relief = { slope: [0, 0], occlusion: 0 };

/** The relief of a roughness class at (u, v); flat for smooth. */
export function reliefAt(roughness: RoughnessLabel, u: number, v: number): Relief {
  const r = RELIEF[roughness];
  if (r.slope === 0 && r.occlusion === 0) return FLAT;
  const g = rawGradient(u, v);
  const k = r.slope / reliefNormalisation();
  // depth below the mean level (0.75), as a share of the deepest possible
  const depth = Math.max(0, (0.75 - reliefHeight(u, v)) / 0.75);
  return { slope: [k * g[0], k * g[1]], occlusion: r.occlusion * depth };
}

/** A class's relief at (u, v), by its CLASS_ROUGHNESS; flat for unknown classes. */
export const classRelief = (name: string, u: number, v: number): Relief =>
  reliefAt(CLASS_ROUGHNESS[name] ?? 'smooth', u, v);

/** Albedo of a class at surface coordinates; unknown classes are mid grey. */
export function classAlbedo(name: string, u: number, v: number): Rgb {
  const f = CLASS_TEXTURES[name];
  return f ? f(u, v) : mix([0.5, 0.5, 0.5], [0.5, 0.5, 0.5], 0);
}
