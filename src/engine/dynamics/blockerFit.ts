import { InputError } from '../core/errors.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { Scene } from '../scene/types.ts';
import type { ActorMaterial, ActorShape } from './actors.ts';
import type { MeasuredTrace } from './measuredTrace.ts';
import { type TimelineOptions, timeline } from './timeline.ts';
import type { ActorsFile } from './trajectory.ts';

/**
 * Fit a moving blocker's proxy to a measured trace (issue 14; docs/physics.md §15): its two
 * horizontal dimensions (a person's width and depth, a box's length and width) and its material,
 * from the trace's path gain over time.
 *
 * The model is the timeline's coherent gain at the trace's own times (a received-power trace at
 * one frequency sees the paths' fields add), plus a constant offset b (cable and antenna
 * calibration: VisRFTwin's per-scenario "global scaling factor"), which is solved in closed form
 * for any dimensions (the weighted mean residual). The dimensions are fitted in log space by a
 * derivative-free pattern search over whole timelines, and their uncertainty comes from central
 * finite differences at the optimum — a stated alternative to exact derivatives: the field code
 * differentiates material parameters, not geometry, and a change of a body's size moves its edges
 * and changes which paths exist (the cost jumps, where a gradient method stalls). Each candidate material
 * (a discrete choice: its parameters hardly change a diffraction-dominated fade) is fitted in turn;
 * the one with the least cost is chosen, and reported as identified only when every
 * other candidate's residual is worse by more than the noise explains (χ²₁ at 95 %: 3.84·s²).
 *
 * The search starts from a 5 × 5 grid of factors of the declared dimensions (the cost has fringes
 * and local minima), then refines its three best points: steps of ±10 % in each dimension, halved
 * down to 0.5 % when none improves; the best end wins.
 *
 * The cost is Huber's (quadratic within 2 × the trace noise, linear beyond), so that a sample in a
 * fringe null does not drag the fit. Uncertainty: s² = cost/(n − 3), covariance s²·(JᵀWJ)⁻¹ of
 * (log dim₁, log dim₂, b) with the Huber weights W; a dimension is
 * reported calibrated only when the fit explains the trace (residual RMS at most twice the trace's
 * stated noise: otherwise the small std of a wrong minimum would be a false precision), its
 * relative standard deviation is below MAX_RELATIVE_STD and it did not end on a bound.
 */
export const MAX_RELATIVE_STD = 0.2;
const BOUNDS: [number, number] = [0.02, 5];
const FD_STEP = 0.02; // relative (log) step of the central differences
/** the pattern search ends when its log step falls below this (0.5 %) */
const MIN_STEP = 0.005;
/** pattern searches, from the grid's best points */
const STARTS = 3;
/** pattern-search evaluations allowed for in progress reports (each halving ≈ 4–8) */
const SEARCH_EVALUATIONS = 60 * STARTS;
/** factors of each declared dimension scanned first (a grid: the cost has fringes and local minima) */
const SCAN = [0.6, 0.8, 1, 1.25, 1.6];
/** the trace's measurement noise when none is stated (dB RMS; a sounder's repeatability) */
export const DEFAULT_TRACE_NOISE_DB = 1;

export interface FittedDimension {
  name: string;
  value: number;
  std: number;
  calibrated: boolean;
  /** why not calibrated (not identifiable, on a bound) */
  reason?: string;
}

export interface BlockerFit {
  actor: string;
  dimensions: FittedDimension[];
  offsetDb: { value: number; std: number };
  material: {
    chosen: string;
    identified: boolean;
    reason?: string;
    /** robust residual RMS (dB) of the best fit with each candidate */
    rmsDb: Record<string, number>;
  };
  rmsDb: number;
  /** √(Huber cost / n): the RMS with samples beyond 2 × the noise counted linearly */
  robustRmsDb: number;
  /** samples beyond 2 × the noise from the model (down-weighted) */
  outliers: number;
  /** the trace noise assumed (dB RMS) */
  noiseDb: number;
  /** the fitted model at the trace's times (offset included), dB */
  predictedGainDb: number[];
  samples: number;
  timelines: number;
}

export interface BlockerFitControl {
  signal?: AbortSignal;
  /** timelines run so far, and the most the fit will run */
  onProgress?: (done: number, total: number) => void;
}

export const materialLabel = (m: ActorMaterial): string => (m.kind === 'itu' ? m.name : m.kind);

/** The two fitted dimensions of a shape (names, values) and the shape with new values. */
function dimensionsOf(shape: ActorShape): { names: [string, string]; values: [number, number] } {
  if (shape.kind === 'human') return { names: ['width', 'depth'], values: [shape.width, shape.depth] };
  if (shape.kind === 'box') return { names: ['length', 'width'], values: [shape.length, shape.width] };
  throw new RangeError('only a human proxy or a box can be fitted (a mesh has no dimensions to fit)');
}

function withDimensions(shape: ActorShape, [a, b]: readonly number[]): ActorShape {
  if (shape.kind === 'human') return { ...shape, width: a!, depth: b! };
  if (shape.kind === 'box') return { ...shape, length: a!, width: b! };
  return shape;
}

const clampLog = (x: number) => Math.min(Math.log(BOUNDS[1]), Math.max(Math.log(BOUNDS[0]), x));

export async function fitBlocker(
  base: Scene,
  actorsFile: ActorsFile,
  tx: Vec3,
  rx: Vec3,
  trace: MeasuredTrace,
  options: {
    actorId: string;
    materials: readonly ActorMaterial[];
    /** RMS noise of the trace (dB): a fit that leaves more than twice it is not calibrated */
    noiseDb?: number;
    timeline: Omit<TimelineOptions, 'times' | 'start' | 'duration' | 'dt'>;
  },
  control: BlockerFitControl = {},
): Promise<BlockerFit> {
  const index = actorsFile.actors.findIndex((a) => a.id === options.actorId);
  if (index < 0) throw new RangeError(`no actor '${options.actorId}' in the actors file`);
  const actor = actorsFile.actors[index]!;
  const { names, values } = dimensionsOf(actor.shape);
  if (options.materials.length === 0) throw new RangeError('no candidate material to fit');
  const n = trace.t.length;
  const noiseDb = options.noiseDb ?? DEFAULT_TRACE_NOISE_DB;
  if (!(noiseDb > 0)) throw new RangeError(`the trace noise must be a positive number of dB, got ${noiseDb}`);
  const perMaterial = SCAN.length * SCAN.length + SEARCH_EVALUATIONS + 4;
  const total = perMaterial * options.materials.length;
  let runs = 0;

  /** coherent gain (dB) at the trace's times for log-dimensions θ and a material */
  const predict = async (theta: readonly number[], material: ActorMaterial): Promise<number[]> => {
    control.signal?.throwIfAborted();
    const actors = actorsFile.actors.map((a, i) =>
      i === index ? { ...a, material, shape: withDimensions(a.shape, theta.map(Math.exp)) } : a,
    );
    const out: number[] = [];
    await timeline(base, { ...actorsFile, actors }, tx, rx, { ...options.timeline, times: trace.t }).run(
      (s) => {
        out.push(s.link.metrics.coherentGainDb);
      },
      { signal: control.signal },
    );
    runs++;
    control.onProgress?.(runs, total);
    return out;
  };
  /**
   * Huber cost (×2, so that it is the residual sum of squares when no sample is an outlier) with
   * the offset solved for it (iteratively reweighted mean), and the weights. δ = 2 × the trace
   * noise: a sample in a fringe null (a body edge exactly on the line of sight, 10 dB off) then
   * weighs like a few normal samples instead of pulling the offset and the size.
   */
  const delta = 2 * noiseDb;
  const score = (pred: readonly number[]) => {
    const w = new Array<number>(n).fill(1);
    let b = 0;
    for (let it = 0; it < 8; it++) {
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        num += w[i]! * (trace.gainDb[i]! - pred[i]!);
        den += w[i]!;
      }
      b = num / den;
      for (let i = 0; i < n; i++) {
        const r = Math.abs(pred[i]! + b - trace.gainDb[i]!);
        w[i] = r <= delta ? 1 : delta / r;
      }
    }
    let rss = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.abs(pred[i]! + b - trace.gainDb[i]!);
      rss += r <= delta ? r * r : 2 * delta * r - delta * delta;
    }
    return { b, rss: Number.isFinite(rss) ? rss : Number.POSITIVE_INFINITY, w };
  };

  interface Fit {
    material: ActorMaterial;
    theta: number[];
    pred: number[];
    b: number;
    rss: number;
    w: number[];
    jac: number[][];
  }
  const fits: Fit[] = [];
  for (const material of options.materials) {
    // a grid over both dimensions first, into the right basins
    type Point = { theta: number[]; pred: number[]; b: number; rss: number; w: number[] };
    const grid: Point[] = [];
    for (const k1 of SCAN)
      for (const k2 of SCAN) {
        const th = [clampLog(Math.log(values[0] * k1)), clampLog(Math.log(values[1] * k2))];
        const pred = await predict(th, material);
        grid.push({ theta: th, pred, ...score(pred) });
      }
    grid.sort((x, y) => x.rss - y.rss);
    // pattern search from each of the grid's best STARTS points (robust where a size change makes
    // a path appear or vanish and the cost jumps): ± step on each log-dimension, halved when
    // nothing improves; the best end wins
    let best = grid[0]!;
    for (const start of grid.slice(0, STARTS)) {
      let here = start;
      for (let step = 0.1; step >= MIN_STEP; ) {
        let moved = false;
        for (let p = 0; p < here.theta.length && !moved; p++)
          for (const sign of [1, -1]) {
            const th = here.theta.map((x, q) => (q === p ? clampLog(x + sign * step) : x));
            if (th[p] === here.theta[p]) continue;
            const pred = await predict(th, material);
            const sc = score(pred);
            if (sc.rss < here.rss) {
              here = { theta: th, pred, ...sc };
              moved = true;
              break;
            }
          }
        if (!moved) step /= 2;
      }
      if (here.rss < best.rss) best = here;
    }
    const theta = best.theta;
    // the Jacobian at the optimum (central differences) for the covariance
    const jac: number[][] = [];
    for (let p = 0; p < theta.length; p++) {
      const up = theta.map((x, q) => (q === p ? x + FD_STEP : x));
      const dn = theta.map((x, q) => (q === p ? x - FD_STEP : x));
      const [a, c] = [await predict(up, material), await predict(dn, material)];
      jac.push(a.map((v, i) => (v - c[i]!) / (2 * FD_STEP)));
    }
    fits.push({ material, theta, pred: best.pred, b: best.b, rss: best.rss, w: best.w, jac });
  }

  fits.sort((a, b) => a.rss - b.rss);
  const fit = fits[0]!;
  if (!Number.isFinite(fit.rss)) {
    // a sample where the model has no path at all (−∞ dB) cannot be compared with a measured gain
    const empty = fit.pred.filter((v) => !Number.isFinite(v)).length;
    throw new InputError(
      trace.file ?? 'the measured trace',
      undefined,
      `the model has no path at ${empty} of the trace's ${n} samples for every size tried (the body blocks every path: is diffraction off?); nothing to fit`,
    );
  }
  const dof = Math.max(1, n - 3);
  const s2 = fit.rss / dof;
  // covariance of (log dim₁, log dim₂, b): s²·(JᵀJ)⁻¹ with J = [∂pred/∂θ₁, ∂pred/∂θ₂, 1]
  const cols = [...fit.jac, new Array<number>(n).fill(1)];
  // JᵀWJ with the Huber weights (IRLS at the optimum)
  const jtj = cols.map((c) =>
    cols.map((d) =>
      dot(
        c,
        d.map((v, i) => v * fit.w[i]!),
      ),
    ),
  );
  const inv = invert3(jtj);
  // the robust RMS (from the Huber cost): what the misfit check uses; the plain RMS is reported too
  const rms = Math.sqrt(fit.rss / n);
  const plainRms = Math.sqrt(fit.pred.reduce((a, v, i) => a + (v + fit.b - trace.gainDb[i]!) ** 2, 0) / n);
  const misfit =
    rms > 2 * noiseDb
      ? `the model leaves ${rms.toFixed(2)} dB RMS, more than twice the trace's noise (${noiseDb} dB): a proxy or material that does not fit, or a local minimum`
      : undefined;
  const dimensions = names.map((name, p): FittedDimension => {
    const value = Math.exp(fit.theta[p]!);
    const relStd = inv ? Math.sqrt(Math.max(0, s2 * inv[p]![p]!)) : Number.POSITIVE_INFINITY;
    const onBound =
      fit.theta[p]! <= Math.log(BOUNDS[0]) + 1e-9 || fit.theta[p]! >= Math.log(BOUNDS[1]) - 1e-9;
    const reason = misfit
      ? misfit
      : !(relStd < MAX_RELATIVE_STD)
        ? `not identifiable from this trace (relative std ${Number.isFinite(relStd) ? relStd.toFixed(2) : '∞'} > ${MAX_RELATIVE_STD})`
        : onBound
          ? `on the bound of [${BOUNDS[0]}, ${BOUNDS[1]}] m`
          : undefined;
    return {
      name,
      value,
      std: value * relStd,
      calibrated: reason === undefined,
      ...(reason ? { reason } : {}),
    };
  });
  const rmsDb = Object.fromEntries(fits.map((f) => [materialLabel(f.material), Math.sqrt(f.rss / n)]));
  const rivals = fits.slice(1).filter((f) => f.rss - fit.rss <= 3.84 * s2);
  return {
    actor: actor.id,
    dimensions,
    offsetDb: {
      value: fit.b,
      std: inv ? Math.sqrt(Math.max(0, s2 * inv[2]![2]!)) : Number.POSITIVE_INFINITY,
    },
    material: {
      chosen: materialLabel(fit.material),
      identified: fits.length > 1 && rivals.length === 0 && !misfit,
      ...(misfit
        ? { reason: misfit }
        : fits.length === 1
          ? { reason: 'one candidate only' }
          : rivals.length > 0
            ? {
                reason: `not identifiable from this trace: ${rivals.map((f) => materialLabel(f.material)).join(', ')} fit${rivals.length === 1 ? 's' : ''} within the noise`,
              }
            : {}),
      rmsDb,
    },
    rmsDb: plainRms,
    robustRmsDb: rms,
    outliers: fit.w.filter((x) => x < 1).length,
    noiseDb,
    predictedGainDb: fit.pred.map((v) => v + fit.b),
    samples: n,
    timelines: runs,
  };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Inverse of a symmetric 3 × 3 matrix by cofactors; undefined when singular. */
function invert3(m: number[][]): number[][] | undefined {
  const [a, b, c] = m[0]!;
  const [d, e, f] = m[1]!;
  const [g, h, i] = m[2]!;
  const A = e! * i! - f! * h!;
  const B = -(d! * i! - f! * g!);
  const C = d! * h! - e! * g!;
  const det = a! * A + b! * B + c! * C;
  if (!(Math.abs(det) > 1e-300) || !Number.isFinite(det)) return undefined;
  const D = -(b! * i! - c! * h!);
  const E = a! * i! - c! * g!;
  const F = -(a! * h! - b! * g!);
  const G = b! * f! - c! * e!;
  const H = -(a! * f! - c! * d!);
  const I = a! * e! - b! * d!;
  return [
    [A / det, D / det, G / det],
    [B / det, E / det, H / det],
    [C / det, F / det, I / det],
  ];
}
