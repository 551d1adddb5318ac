/**
 * The sufficient statistics of a link's multipath components, from which every link metric and
 * its derivatives follow in closed form (linkMetrics.ts, docs/physics.md §10). Computed once per
 * evaluation — on the host from per-path coefficients (accumulateLinkStats), or on the GPU by
 * metrics/gpu/linkStats.wgsl (its port) — so a calibration step moves link-sized data, not
 * path-sized data, and the studio, the CLI and both backends reduce paths the same way.
 *
 * Per link, with pᵢ = |aᵢ|², τᵢ the delays (ns, about the link's reference delay τ0, its first
 * path: moments stay well conditioned), φᵢ the arrival azimuths and f the carrier:
 *   POWER   Σ pᵢ                         DELAY1  Σ pᵢ(τᵢ − τ0)       DELAY2  Σ pᵢ(τᵢ − τ0)²
 *   COH     Σ aᵢ·e^{−j2πfτᵢ} (re, im) over the deterministic paths (LoS, specular, transmitted,
 *           diffracted)                  DIFFUSE Σ pᵢ over the diffuse-scattering samples
 *   ANG     Σ pᵢ·e^{jφᵢ} (re, im)
 *   REF     p of the K-factor reference  REST    Σ of the other pᵢ
 * Diffuse scattering enters every metric as one aggregated component, never sample by sample
 * (docs/physics.md §10). Its samples stand for a field of random phase (Degli-Esposti's diffuse
 * field): their coherent sum is a random variable that does not converge as the number of
 * scattering rays grows, while their power sum does. So the coherent gain is the expected
 * narrowband power |COH|² + DIFFUSE (deterministic paths coherently, diffuse power incoherently),
 * and the K-factor reference is the LoS path when there is one, otherwise the strongest
 * deterministic path; diffuse samples are never the reference and enter REST as one power sum.
 */
export const STAT_POWER = 0;
export const STAT_DELAY1 = 1;
export const STAT_DELAY2 = 2;
export const STAT_COH_RE = 3;
export const STAT_COH_IM = 4;
export const STAT_ANG_RE = 5;
export const STAT_ANG_IM = 6;
export const STAT_REF = 7;
export const STAT_REST = 8;
export const STAT_DIFFUSE = 9;
export const STAT_COUNT = 10;

export const REFERENCE_LOS = 0;
export const REFERENCE_STRONGEST = 1;
export const REFERENCE_NONE = 2;
export type KFactorReference = 'los' | 'strongest' | 'none';
export const REFERENCE_NAMES: readonly KFactorReference[] = ['los', 'strongest', 'none'];

/** Statistics of many links, and optionally their derivatives with respect to n parameters. */
export interface LinkStats {
  links: number;
  /** parameters the derivatives are taken with respect to (0: values only) */
  parameters: number;
  /** links × STAT_COUNT */
  values: Float64Array;
  /** ∂stat/∂θ_k at ((l·STAT_COUNT + s)·parameters + k) */
  derivatives: Float64Array;
  /** τ0 of each link (s): the delay moments are about it */
  referenceDelayS: Float64Array;
  /** REFERENCE_LOS | REFERENCE_STRONGEST | REFERENCE_NONE */
  reference: Uint8Array;
  los: Uint8Array;
  /** paths with a ≠ 0 */
  pathCount: Uint32Array;
}

export function emptyLinkStats(links: number, parameters = 0): LinkStats {
  return {
    links,
    parameters,
    values: new Float64Array(links * STAT_COUNT),
    derivatives: new Float64Array(links * STAT_COUNT * parameters),
    referenceDelayS: new Float64Array(links),
    reference: new Uint8Array(links).fill(REFERENCE_NONE),
    los: new Uint8Array(links),
    pathCount: new Uint32Array(links),
  };
}

/**
 * The paths of one link, as the reduction reads them: coefficients a (2 per path), delays (s),
 * arrival azimuths (degrees), what kind each path is; optionally ∂a (2·n per path).
 */
export interface LinkPaths {
  count: number;
  a: ArrayLike<number>;
  /** index of this link's first path in a, delays, … */
  offset: number;
  delayS: ArrayLike<number>;
  aoaAzimuthDeg: ArrayLike<number>;
  /** 0 LoS, 1 deterministic (specular / transmitted / diffracted), 2 diffuse scattering */
  kind: ArrayLike<number>;
  da?: ArrayLike<number>;
  /** τ0 (s): the delay moments are about it (default: the link's shortest path) */
  referenceDelayS?: number;
}

export const PATH_LOS = 0;
export const PATH_DETERMINISTIC = 1;
export const PATH_DIFFUSE = 2;

/** Path-kind code of the reduction for a Path's kind. */
export const pathKindCode = (kind: string): number =>
  kind === 'los' ? PATH_LOS : kind === 'scattered' ? PATH_DIFFUSE : PATH_DETERMINISTIC;

/** Reduce the paths of link l into stats (values, and derivatives when stats.parameters > 0). */
export function accumulateLinkStats(stats: LinkStats, l: number, frequencyHz: number, p: LinkPaths): void {
  const n = stats.parameters;
  const v = stats.values;
  const o = l * STAT_COUNT;
  v.fill(0, o, o + STAT_COUNT);
  if (n > 0) stats.derivatives.fill(0, o * n, (o + STAT_COUNT) * n);
  const { a, offset: b, count } = p;
  // reference delay (geometry: the same whatever the materials) and K-factor reference (LoS,
  // else the strongest deterministic path)
  let tau0 = p.referenceDelayS ?? Number.POSITIVE_INFINITY;
  if (p.referenceDelayS === undefined)
    for (let i = 0; i < count; i++) tau0 = Math.min(tau0, p.delayS[b + i]!);
  let ref = -1;
  let refPower = -1;
  let los = false;
  let nonzero = 0;
  for (let i = 0; i < count; i++) {
    const x = a[2 * (b + i)]!;
    const y = a[2 * (b + i) + 1]!;
    const pw = x * x + y * y;
    if (pw === 0) continue;
    nonzero++;
    const k = p.kind[b + i]!;
    if (k === PATH_LOS) {
      los = true;
      ref = i;
      refPower = Number.POSITIVE_INFINITY;
    } else if (k === PATH_DETERMINISTIC && pw > refPower) {
      ref = i;
      refPower = pw;
    }
  }
  stats.pathCount[l] = nonzero;
  stats.los[l] = los ? 1 : 0;
  stats.reference[l] = ref < 0 ? REFERENCE_NONE : los ? REFERENCE_LOS : REFERENCE_STRONGEST;
  stats.referenceDelayS[l] = count > 0 ? tau0 : 0;
  if (nonzero === 0) return;
  const w = -2 * Math.PI * frequencyHz;
  const der = stats.derivatives;
  for (let i = 0; i < count; i++) {
    const x = a[2 * (b + i)]!;
    const y = a[2 * (b + i) + 1]!;
    const pw = x * x + y * y;
    if (pw === 0 && !p.da) continue;
    const delay = p.delayS[b + i]!;
    const t = (delay - tau0) * 1e9;
    // carrier phase e^{−j2πfτ} (τ absolute: the phase of the sum is what is sounded)
    const c = Math.cos(w * delay);
    const s = Math.sin(w * delay);
    const az = (p.aoaAzimuthDeg[b + i]! * Math.PI) / 180;
    const ca = Math.cos(az);
    const sa = Math.sin(az);
    const diffuse = p.kind[b + i] === PATH_DIFFUSE;
    v[o + STAT_POWER] += pw;
    v[o + STAT_DELAY1] += pw * t;
    v[o + STAT_DELAY2] += pw * t * t;
    if (diffuse) v[o + STAT_DIFFUSE] += pw;
    else {
      v[o + STAT_COH_RE] += x * c - y * s;
      v[o + STAT_COH_IM] += x * s + y * c;
    }
    v[o + STAT_ANG_RE] += pw * ca;
    v[o + STAT_ANG_IM] += pw * sa;
    const slot = i === ref ? STAT_REF : STAT_REST;
    v[o + slot] += pw;
    if (!p.da) continue;
    const da = p.da;
    const r = 2 * n * (b + i);
    for (let k = 0; k < n; k++) {
      const dx = da[r + 2 * k]!;
      const dy = da[r + 2 * k + 1]!;
      if (dx === 0 && dy === 0) continue;
      const dp = 2 * (x * dx + y * dy);
      der[(o + STAT_POWER) * n + k] += dp;
      der[(o + STAT_DELAY1) * n + k] += dp * t;
      der[(o + STAT_DELAY2) * n + k] += dp * t * t;
      if (diffuse) der[(o + STAT_DIFFUSE) * n + k] += dp;
      else {
        der[(o + STAT_COH_RE) * n + k] += dx * c - dy * s;
        der[(o + STAT_COH_IM) * n + k] += dx * s + dy * c;
      }
      der[(o + STAT_ANG_RE) * n + k] += dp * ca;
      der[(o + STAT_ANG_IM) * n + k] += dp * sa;
      der[(o + slot) * n + k] += dp;
    }
  }
}
