import type { MeasuredPath, Sounding } from '../io/soundings.ts';
import { metricWithGradient } from '../metrics/linkMetrics.ts';
import type { LinkStats } from '../metrics/linkStats.ts';

/**
 * Calibration losses in residual + Jacobian form, so that Levenberg–Marquardt can work on
 * Σ λ·r² while Adam follows the papers' mean-absolute losses Σ λ·|r| / N.
 *
 * - smape (paper 000): r = (P̂ − αP)/(P̂ + αP) on power and (τ̂ − τ)/(τ̂ + τ) on RMS delay
 *   spread, P̂, τ̂ measured; α the unknown global power scale of the sounder. α is estimated in
 *   closed form, ln α = mean(ln P̂ − ln P) (the log-domain least-squares scale), and its
 *   dependence on θ is kept in the Jacobian (variable projection), so derivatives are exact.
 * - nae (paper 003): r = (ŝ − s)/s on the coherent received signal strength
 *   s = |Σ aᵢ e^{−j2πfτᵢ}|² (docs/physics.md: incoherent power hardly sees the boxes).
 * - paths: r = predicted − measured gain (dB) of each measured multipath component, matched
 *   once to a traced path by delay (geometry does not change during calibration); the matched
 *   paths are single-path "taps" the forward model reduces after the links.
 * Every loss reads link statistics (metrics/linkStats.ts): link l of the statistics is
 * sounding l; taps follow the links.
 */
export type LossKind = 'smape' | 'nae' | 'paths';
export const LOSS_KINDS: readonly LossKind[] = ['smape', 'nae', 'paths'];

/** Residual groups: each has its own noise level in the uncertainty estimate. */
export type ResidualGroup = 'power' | 'delay_spread' | 'path_gain';

export interface LossEvaluation {
  /** residuals r (m) */
  r: Float64Array;
  /** ∂r/∂θ, m×n row-major, θ physical */
  J: Float64Array;
  m: number;
  /** λ of each residual: LM minimises Σλr², Adam Σλ|r|/N */
  weights: Float64Array;
  groups: ResidualGroup[];
  /** which link each residual comes from */
  links: Int32Array;
  /** the paper's loss value: Σλ|r| / number of soundings used */
  loss: number;
  /** ∂loss/∂θ (physical) */
  lossGrad: Float64Array;
  /** estimated global power scale α (linear), smape only */
  powerScale?: number;
}

export interface LossOptions {
  kind: LossKind;
  frequencyHz: number;
  /** smape: estimate the global power scale α (default true, as paper 000) */
  fitPowerScale?: boolean;
  /** smape weights λp, λτ (default 1, 1) */
  powerWeight?: number;
  delaySpreadWeight?: number;
  /** paths: delay tolerance for matching measured to traced paths (s, default 0.5 ns) */
  pathMatchToleranceS?: number;
  /** nae: use the incoherent path gain even when coherent strength is measured */
  incoherentOnly?: boolean;
}

export interface CalibrationLoss {
  kind: LossKind;
  /** human-readable description of what the loss uses, and notes (e.g. unmatched paths) */
  description: string;
  notes: string[];
  /** paths (link, index in the link's traced paths) the forward model must also reduce alone */
  taps: { link: number; path: number }[];
  evaluate(stats: LinkStats): LossEvaluation;
}

class ResidualBuilder {
  r: number[] = [];
  rows: Float64Array[] = [];
  weights: number[] = [];
  groups: ResidualGroup[] = [];
  links: number[] = [];
  push(r: number, row: Float64Array, weight: number, group: ResidualGroup, link: number) {
    this.r.push(r);
    this.rows.push(row);
    this.weights.push(weight);
    this.groups.push(group);
    this.links.push(link);
  }
  finish(n: number, soundingCount: number, powerScale?: number): LossEvaluation {
    const m = this.r.length;
    const J = new Float64Array(m * n);
    for (let i = 0; i < m; i++) J.set(this.rows[i]!, i * n);
    const r = Float64Array.from(this.r);
    const weights = Float64Array.from(this.weights);
    let loss = 0;
    const lossGrad = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      loss += weights[i]! * Math.abs(r[i]!);
      const s = Math.sign(r[i]!) * weights[i]!;
      for (let k = 0; k < n; k++) lossGrad[k]! += s * J[i * n + k]!;
    }
    const N = Math.max(1, soundingCount);
    return {
      r,
      J,
      m,
      weights,
      groups: this.groups,
      links: Int32Array.from(this.links),
      loss: loss / N,
      lossGrad: lossGrad.map((g) => g / N),
      powerScale,
    };
  }
}

/** Delays (s) of each sounding's traced paths: what the paths loss matches measured paths to. */
export type TracedDelays = readonly (readonly number[])[];

export function makeLoss(
  soundings: readonly Sounding[],
  options: LossOptions,
  traced?: TracedDelays,
): CalibrationLoss {
  switch (options.kind) {
    case 'smape':
      return smapeLoss(soundings, options);
    case 'nae':
      return naeLoss(soundings, options);
    case 'paths':
      return pathLoss(soundings, options, traced);
  }
}

function smapeLoss(soundings: readonly Sounding[], options: LossOptions): CalibrationLoss {
  const fit = options.fitPowerScale ?? true;
  const lp = options.powerWeight ?? 1;
  const lt = options.delaySpreadWeight ?? 1;
  const usesIncoherent = soundings.some((s) => s.metrics.path_gain_db !== undefined);
  const powerMetric = usesIncoherent ? 'path_gain_db' : 'coherent_gain_db';
  const notes: string[] = [];
  const powerLinks = soundings.flatMap((s, i) => (s.metrics[powerMetric] !== undefined ? [i] : []));
  const dsLinks = soundings.flatMap((s, i) => (s.metrics.rms_delay_spread_ns !== undefined ? [i] : []));
  if (powerLinks.length === 0 && dsLinks.length === 0) {
    throw new Error(
      'smape loss needs path_gain_db (or power_dbm), coherent_gain_db or rms_delay_spread_ns in the soundings',
    );
  }
  if (fit && powerLinks.length === 1)
    notes.push('only one power sounding: with an unknown power scale it carries no information');
  const used = new Set([...powerLinks, ...dsLinks]).size;
  return {
    kind: 'smape',
    description: `SMAPE on ${powerMetric === 'path_gain_db' ? 'incoherent path gain' : 'coherent gain'} (${powerLinks.length} links${fit ? ', unknown power scale' : ''}) and RMS delay spread (${dsLinks.length} links)`,
    notes,
    taps: [],
    evaluate(stats) {
      const n = stats.parameters;
      const b = new ResidualBuilder();
      // Power: d = ln P̂ − ln P, r = tanh((d − ln α)/2) = (P̂ − αP)/(P̂ + αP).
      const d: number[] = [];
      const dd: Float64Array[] = [];
      for (const i of powerLinks) {
        const g = metricWithGradient(stats, i, powerMetric);
        const toLn = Math.LN10 / 10;
        d.push((soundings[i]!.metrics[powerMetric]! - g.value) * toLn);
        dd.push(g.grad.map((x) => -x * toLn));
      }
      let lnAlpha = 0;
      const dLnAlpha = new Float64Array(n);
      if (fit && d.length > 0) {
        for (let j = 0; j < d.length; j++) {
          lnAlpha += d[j]! / d.length;
          for (let k = 0; k < n; k++) dLnAlpha[k]! += dd[j]![k]! / d.length;
        }
      }
      for (let j = 0; j < d.length; j++) {
        const r = Math.tanh((d[j]! - lnAlpha) / 2);
        const f = (1 - r * r) / 2;
        // r is measured-minus-model; the Jacobian is ∂r/∂θ (the model moves through −d)
        b.push(
          r,
          dd[j]!.map((x, k) => f * (x - dLnAlpha[k]!)),
          lp,
          'power',
          powerLinks[j]!,
        );
      }
      for (const i of dsLinks) {
        const g = metricWithGradient(stats, i, 'rms_delay_spread_ns');
        const meas = soundings[i]!.metrics.rms_delay_spread_ns!;
        const sum = meas + g.value;
        if (sum <= 0) continue; // both zero: nothing to compare
        const r = (meas - g.value) / sum;
        // ∂/∂τ of (τ̂ − τ)/(τ̂ + τ) = −2τ̂/(τ̂ + τ)²
        const f = (-2 * meas) / (sum * sum);
        b.push(
          r,
          g.grad.map((x) => f * x),
          lt,
          'delay_spread',
          i,
        );
      }
      return b.finish(n, used, fit ? Math.exp(lnAlpha) : undefined);
    },
  };
}

function naeLoss(soundings: readonly Sounding[], options: LossOptions): CalibrationLoss {
  const coherent = !options.incoherentOnly && soundings.some((s) => s.metrics.coherent_gain_db !== undefined);
  const metric = coherent ? 'coherent_gain_db' : 'path_gain_db';
  const used = soundings.flatMap((s, i) => (s.metrics[metric] !== undefined ? [i] : []));
  if (used.length === 0)
    throw new Error(
      'nae loss needs coherent_gain_db / rss_dbm (or at least path_gain_db / power_dbm) in the soundings',
    );
  const notes = coherent
    ? []
    : [
        'soundings carry no coherent gain (rss_dbm / coherent_gain_db): NAE falls back to incoherent path gain, which hardly sees small objects (docs/physics.md)',
      ];
  return {
    kind: 'nae',
    description: `NAE on ${coherent ? 'coherent received signal strength' : 'incoherent path gain'} (${used.length} links)`,
    notes,
    taps: [],
    evaluate(stats) {
      const n = stats.parameters;
      const b = new ResidualBuilder();
      let nae = 0;
      const naeGrad = new Float64Array(n);
      for (const i of used) {
        const g = metricWithGradient(stats, i, metric);
        const lnRatio = ((g.value - soundings[i]!.metrics[metric]!) * Math.LN10) / 10; // ln(ŝ/s)
        const ratio = Math.exp(lnRatio);
        const f = Math.LN10 / 10;
        // LM works on ln(ŝ/s): the same zero as ŝ/s − 1, symmetric in over- and under-estimate,
        // and far less prone to the spurious minima that coherent fades create in ŝ/s − 1.
        b.push(
          lnRatio,
          g.grad.map((x) => f * x),
          1,
          'power',
          i,
        );
        nae += Math.abs(ratio - 1);
        const s = Math.sign(ratio - 1) * ratio * f;
        for (let k = 0; k < n; k++) naeGrad[k]! += s * g.grad[k]!;
      }
      const out = b.finish(n, used.length);
      // the reported loss (and Adam's objective) is paper 003's NAE, mean |ŝ − s|/|s|
      out.loss = nae / used.length;
      out.lossGrad = naeGrad.map((x) => x / used.length);
      return out;
    },
  };
}

/** Match each measured path to the traced path nearest in delay (each traced path used once). */
export function matchPaths(
  measured: readonly MeasuredPath[],
  traced: readonly { delay: number }[],
  toleranceS: number,
): (number | undefined)[] {
  const order = measured.map((_, j) => j).sort((x, y) => measured[y]!.gainDb - measured[x]!.gainDb);
  const taken = new Set<number>();
  const out: (number | undefined)[] = measured.map(() => undefined);
  for (const j of order) {
    let best = -1;
    let bestErr = toleranceS;
    for (let i = 0; i < traced.length; i++) {
      if (taken.has(i)) continue;
      const err = Math.abs(traced[i]!.delay - measured[j]!.delayS);
      if (err <= bestErr) {
        best = i;
        bestErr = err;
      }
    }
    if (best >= 0) {
      taken.add(best);
      out[j] = best;
    }
  }
  return out;
}

function pathLoss(
  soundings: readonly Sounding[],
  options: LossOptions,
  traced?: TracedDelays,
): CalibrationLoss {
  const tol = options.pathMatchToleranceS ?? 0.5e-9;
  const withPaths = soundings.flatMap((s, i) => (s.paths && s.paths.length > 0 ? [i] : []));
  if (withPaths.length === 0)
    throw new Error('paths loss needs soundings with multipath lists (JSON soundings with "paths")');
  if (!traced) throw new Error('paths loss needs the traced paths of the sounded links');
  // Geometry is fixed during calibration, so measured paths are matched to traced ones once.
  const notes: string[] = [];
  const taps: { link: number; path: number }[] = [];
  /** per matched measured path: its sounding, measured gain and tap index */
  const matched: { link: number; gainDb: number; tap: number }[] = [];
  let unmatched = 0;
  for (const i of withPaths) {
    const delays = traced[i]!.map((delay) => ({ delay }));
    const m = matchPaths(soundings[i]!.paths!, delays, tol);
    m.forEach((t, j) => {
      if (t === undefined) {
        unmatched++;
        return;
      }
      matched.push({ link: i, gainDb: soundings[i]!.paths![j]!.gainDb, tap: taps.length });
      taps.push({ link: i, path: t });
    });
  }
  if (unmatched > 0)
    notes.push(`${unmatched} measured paths have no traced path within ${tol * 1e9} ns and are ignored`);
  return {
    kind: 'paths',
    description: `per-path gain error (dB) on ${withPaths.length} links`,
    notes,
    taps,
    evaluate(stats) {
      const n = stats.parameters;
      const links = stats.links - taps.length;
      const b = new ResidualBuilder();
      for (const m of matched) {
        // a tap is a link of one path: its path gain is that path's gain
        const g = metricWithGradient(stats, links + m.tap, 'path_gain_db');
        b.push(g.value - m.gainDb, g.grad, 1, 'path_gain', m.link);
      }
      return b.finish(n, withPaths.length);
    },
  };
}
