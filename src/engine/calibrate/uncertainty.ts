import { spdInverse } from './linalg.ts';
import type { ResidualGroup } from './losses.ts';
import { parameterLabel, physicalDerivative, type TrainableParameter } from './parameters.ts';

/**
 * Uncertainty of the estimates from the Gauss–Newton approximation at the solution:
 * Cov(z) ≈ (JᵀWJ)⁻¹ with W = diag(1/s_g²), where s_g² is the residual variance of each
 * residual group (power, delay spread, path gain) estimated from the residuals themselves,
 * s_g² = Σ_{i∈g} r_i² / (m_g − n·m_g/m). Standard deviations of the physical values follow
 * by the delta method, std θ = |dθ/dz|·std z.
 */
export interface ParameterUncertainty {
  label: string;
  /** std of the unconstrained z (for σ and ε'r−1: std of the natural log) */
  stdUnconstrained: number;
  /** std of the physical value (delta method) */
  std: number;
  /** ‖∂r/∂z_k‖ weighted by the noise: how strongly the soundings see this parameter */
  sensitivity: number;
  identifiable: boolean;
}

export interface UncertaintyResult {
  parameters: ParameterUncertainty[];
  noiseStd: Partial<Record<ResidualGroup, number>>;
  warnings: string[];
}

/** A parameter whose log-std exceeds this is reported as not identifiable (a factor e² at 2σ). */
const NOT_IDENTIFIABLE_LOG_STD = 1;

export function gaussNewtonUncertainty(
  parameters: readonly TrainableParameter[],
  z: Float64Array,
  r: Float64Array,
  J: Float64Array,
  groups: readonly ResidualGroup[],
  nuisanceCount = 0,
  /** std of the Gaussian prior on z when the estimate is a MAP one (adds 1/s₀² to JᵀWJ's diagonal); one for all or one per parameter */
  priorStd?: number | Float64Array,
): UncertaintyResult {
  const n = parameters.length;
  const m = r.length;
  const noiseVar = residualNoiseVariance(r, groups, n + nuisanceCount);
  const noiseStd: UncertaintyResult['noiseStd'] = {};
  for (const [g, v] of noiseVar) noiseStd[g] = Math.sqrt(v);
  const F = new Float64Array(n * n);
  const sensitivity = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const w = 1 / noiseVar.get(groups[i]!)!;
    for (let a = 0; a < n; a++) {
      const ja = J[i * n + a]!;
      if (ja === 0) continue;
      for (let b = 0; b < n; b++) F[a * n + b]! += w * ja * J[i * n + b]!;
    }
  }
  for (let k = 0; k < n; k++) sensitivity[k] = Math.sqrt(F[k * n + k]!);
  const s0 = (k: number) => (typeof priorStd === 'number' ? priorStd : priorStd?.[k]);
  if (priorStd) for (let k = 0; k < n; k++) F[k * n + k]! += 1 / s0(k)! ** 2;
  // A tiny ridge keeps F invertible when a direction is unseen; its std then comes out huge.
  let maxDiag = 0;
  for (let k = 0; k < n; k++) maxDiag = Math.max(maxDiag, F[k * n + k]!);
  for (let k = 0; k < n; k++) F[k * n + k]! += 1e-14 * maxDiag + 1e-300;
  const cov = spdInverse(F, n);
  const warnings: string[] = [];
  const out = parameters.map((p, k): ParameterUncertainty => {
    const varZ = cov ? cov[k * n + k]! : Number.POSITIVE_INFINITY;
    const stdZ = Math.sqrt(Math.max(0, varZ));
    // with a prior, a parameter the data do not inform keeps (nearly) the prior's spread
    const identifiable = priorStd ? stdZ <= 0.8 * s0(k)! : stdZ <= NOT_IDENTIFIABLE_LOG_STD;
    const label = parameterLabel(p);
    if (!identifiable && priorStd) {
      warnings.push(
        `${label} is not identifiable from these soundings: the estimate stays with the prior (log-std ${stdZ.toPrecision(3)} of the prior's ${Number(s0(k)!.toPrecision(3))}); add soundings whose paths interact with it (rftwin plan) or fix it`,
      );
    } else if (!identifiable) {
      warnings.push(
        `${label} is not identifiable from these soundings: its log-std is ${stdZ.toPrecision(3)} (the data constrain it to no better than a factor ${Math.exp(Math.min(stdZ, 50)).toPrecision(3)}); add soundings whose paths interact with it (rftwin plan) or fix it`,
      );
    }
    return {
      label,
      stdUnconstrained: stdZ,
      std: Math.abs(physicalDerivative(p.name, z[k]!)) * stdZ,
      sensitivity: sensitivity[k]!,
      identifiable,
    };
  });
  return { parameters: out, noiseStd, warnings };
}

/**
 * Residual variance of each group, s_g² = Σ_{i∈g} r_i² / (m_g − p·m_g/m) with p fitted
 * parameters, floored so that weights stay finite on noise-free data.
 */
export function residualNoiseVariance(
  r: Float64Array,
  groups: readonly ResidualGroup[],
  fitted: number,
): Map<ResidualGroup, number> {
  const m = r.length;
  const ss = new Map<ResidualGroup, number>();
  const counts = new Map<ResidualGroup, number>();
  for (let i = 0; i < m; i++) {
    const g = groups[i]!;
    ss.set(g, (ss.get(g) ?? 0) + r[i]! ** 2);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  const out = new Map<ResidualGroup, number>();
  for (const [g, s] of ss) {
    const mg = counts.get(g)!;
    const dof = Math.max(1, mg - (fitted * mg) / m);
    out.set(g, Math.max(s / dof, 1e-30));
  }
  return out;
}

/**
 * Parameters that no sounding informs at all: their Jacobian column is zero (no traced path of a
 * sounded link interacts with them, or the sounded quantities do not depend on them), or
 * negligible next to the best-informed parameter. Calibration refuses to estimate these.
 */
export function uninformedParameters(
  parameters: readonly TrainableParameter[],
  J: Float64Array,
  m: number,
  relativeThreshold = 1e-9,
): { index: number; columnNorm: number }[] {
  const n = parameters.length;
  const norms = parameters.map((_, k) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += J[i * n + k]! ** 2;
    return Math.sqrt(s);
  });
  const max = Math.max(0, ...norms);
  return norms.flatMap((c, index) =>
    c === 0 || !(c > relativeThreshold * max) ? [{ index, columnNorm: c }] : [],
  );
}
