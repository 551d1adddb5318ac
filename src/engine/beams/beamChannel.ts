import type { Path } from '../tracer/path.ts';
import { directionOf } from './array.ts';
import { BeamResponder, type BeamSet } from './codebook.ts';

/**
 * The beamformed channel of one link for every Tx/Rx beam pair, from its traced paths
 * (docs/physics.md §16). Path i, with coefficient aᵢ (element patterns included), delay τᵢ,
 * departure and arrival directions, gives through Tx beam t and Rx beam r the coefficient
 * hᵢ(t, r) = aᵢ·Tₜ(aodᵢ)·Rᵣ(aoaᵢ) (codebook.ts responses). The wideband gain over a receiver of
 * bandwidth B is the tap model of §16: deterministic paths in the same tap (round((τᵢ − τ₀)·B))
 * add as fields with their carrier phase e^{−j2πf_cτᵢ}; taps, and diffuse-scattering samples,
 * add as powers:
 *   G(t, r) = Σ_taps |Σ_{i ∈ tap} hᵢ(t, r)·e^{−j2πf_cτᵢ}|² + Σ_diffuse |hᵢ(t, r)|².
 */
export interface BeamPair {
  tx: number;
  rx: number;
  /** linear wideband gain G(t, r) (path gain, element patterns and both beams) */
  gain: number;
  /** beam pairs evaluated to find it */
  evaluations: number;
}

export interface BeamLinkOptions {
  frequencyHz: number;
  bandwidthHz: number;
}

/**
 * One link prepared for beam search: the paths' carrier-phased coefficients, their taps and the
 * responses of every beam at both ends. Preparing costs (Nt + Nr)·P responses; each pair then
 * costs P complex multiply–adds.
 */
export class BeamLink {
  readonly nt: number;
  readonly nr: number;
  /** carrier-phased path coefficients aᵢ·e^{−j2πf_cτᵢ}, deterministic paths sorted by tap, then diffuse */
  private readonly c: Float64Array;
  /** tapStart[k]..tapStart[k+1] are the deterministic paths of the k-th occupied tap; diffuse from `diffuseStart` */
  private readonly tapStart: Int32Array;
  private readonly diffuseStart: number;
  /** Tx responses: [t·2P + 2i] */
  private readonly tr: Float64Array;
  /** Rx responses: [r·2P + 2i] */
  private readonly rr: Float64Array;
  readonly pathCount: number;

  constructor(paths: readonly Path[], tx: BeamResponder, rx: BeamResponder, options: BeamLinkOptions) {
    this.nt = tx.count;
    this.nr = rx.count;
    const taps = tapOrder(paths, options);
    const n = taps.paths.length;
    this.pathCount = n;
    this.c = taps.c;
    this.tapStart = taps.tapStart;
    this.diffuseStart = taps.diffuseStart;
    // per-beam responses at each path's departure and arrival direction
    const dirT = new Float64Array(2 * this.nt);
    const dirR = new Float64Array(2 * this.nr);
    this.tr = new Float64Array(this.nt * 2 * n);
    this.rr = new Float64Array(this.nr * 2 * n);
    taps.paths.forEach((p, i) => {
      tx.responses(directionOf(p.aod.azimuthDeg, p.aod.elevationDeg), dirT);
      rx.responses(directionOf(p.aoa.azimuthDeg, p.aoa.elevationDeg), dirR);
      for (let t = 0; t < this.nt; t++) {
        this.tr[t * 2 * n + 2 * i] = dirT[2 * t]!;
        this.tr[t * 2 * n + 2 * i + 1] = dirT[2 * t + 1]!;
      }
      for (let r = 0; r < this.nr; r++) {
        this.rr[r * 2 * n + 2 * i] = dirR[2 * r]!;
        this.rr[r * 2 * n + 2 * i + 1] = dirR[2 * r + 1]!;
      }
    });
  }

  /** uᵢ = cᵢ·Tₜ(aodᵢ) for Tx beam t (t = −1: the Tx element alone, quasi-omni) into u. */
  private txWeighted(t: number, u: Float64Array): void {
    const n = this.pathCount;
    for (let i = 0; i < n; i++) {
      const cr = this.c[2 * i]!;
      const ci = this.c[2 * i + 1]!;
      if (t < 0) {
        u[2 * i] = cr;
        u[2 * i + 1] = ci;
        continue;
      }
      const tr = this.tr[t * 2 * n + 2 * i]!;
      const ti = this.tr[t * 2 * n + 2 * i + 1]!;
      u[2 * i] = cr * tr - ci * ti;
      u[2 * i + 1] = cr * ti + ci * tr;
    }
  }

  /** G for the Tx-weighted coefficients u and Rx beam r (r = −1: the Rx element alone). */
  private gainOf(u: Float64Array, r: number): number {
    const n = this.pathCount;
    const base = r * 2 * n;
    let g = 0;
    for (let k = 0; k + 1 < this.tapStart.length; k++) {
      let sr = 0;
      let si = 0;
      for (let i = this.tapStart[k]!; i < this.tapStart[k + 1]!; i++) {
        const ur = u[2 * i]!;
        const ui = u[2 * i + 1]!;
        if (r < 0) {
          sr += ur;
          si += ui;
        } else {
          const rr = this.rr[base + 2 * i]!;
          const ri = this.rr[base + 2 * i + 1]!;
          sr += ur * rr - ui * ri;
          si += ur * ri + ui * rr;
        }
      }
      g += sr * sr + si * si;
    }
    for (let i = this.diffuseStart; i < n; i++) {
      const p = u[2 * i]! ** 2 + u[2 * i + 1]! ** 2;
      g += r < 0 ? p : p * (this.rr[base + 2 * i]! ** 2 + this.rr[base + 2 * i + 1]! ** 2);
    }
    return g;
  }

  /** G(t, r) of one pair. */
  gain(t: number, r: number): number {
    const u = new Float64Array(2 * this.pathCount);
    this.txWeighted(t, u);
    return this.gainOf(u, r);
  }

  /** Every pair's G, row-major [t·Nr + r]. */
  gainMatrix(): Float64Array {
    const out = new Float64Array(this.nt * this.nr);
    const u = new Float64Array(2 * this.pathCount);
    for (let t = 0; t < this.nt; t++) {
      this.txWeighted(t, u);
      for (let r = 0; r < this.nr; r++) out[t * this.nr + r] = this.gainOf(u, r);
    }
    return out;
  }

  /** Exhaustive search: the pair of largest G over all Nt·Nr pairs (the first on ties). */
  exhaustive(): BeamPair {
    const best: BeamPair = { tx: 0, rx: 0, gain: -1, evaluations: this.nt * this.nr };
    const u = new Float64Array(2 * this.pathCount);
    for (let t = 0; t < this.nt; t++) {
      this.txWeighted(t, u);
      for (let r = 0; r < this.nr; r++) {
        const g = this.gainOf(u, r);
        if (g > best.gain) {
          best.tx = t;
          best.rx = r;
          best.gain = g;
        }
      }
    }
    if (this.pathCount === 0) best.gain = 0;
    return best;
  }

  /**
   * Two-stage search as the 802.11ad sector-level sweep (IEEE Std 802.11ad-2012 §9.35): the Tx
   * sweeps its beams while the Rx listens with its element alone (quasi-omni), then the Rx sweeps
   * its beams against the chosen Tx beam. Nt + Nr evaluations instead of Nt·Nr; it can miss the
   * exhaustive optimum where the quasi-omni Rx favours another path than the best Rx beam does.
   */
  hierarchical(): BeamPair {
    const u = new Float64Array(2 * this.pathCount);
    let tx = 0;
    let best = -1;
    for (let t = 0; t < this.nt; t++) {
      this.txWeighted(t, u);
      const g = this.gainOf(u, -1);
      if (g > best) {
        best = g;
        tx = t;
      }
    }
    this.txWeighted(tx, u);
    let rx = 0;
    best = -1;
    for (let r = 0; r < this.nr; r++) {
      const g = this.gainOf(u, r);
      if (g > best) {
        best = g;
        rx = r;
      }
    }
    return { tx, rx, gain: this.pathCount === 0 ? 0 : best, evaluations: this.nt + this.nr };
  }
}

/**
 * A link's paths in the order of the tap model (§16), shared by BeamLink and the WGSL search
 * (gpu/beamSearchGpu.ts): deterministic paths sorted by tap round((τᵢ − τ₀)·B), then diffuse
 * ones; their carrier-phased coefficients cᵢ = aᵢ·e^{−j2πf_cτᵢ} (the phase reduced in float64
 * turns); tapStart[k]..tapStart[k+1] the k-th occupied tap; diffuse paths from diffuseStart.
 */
export function tapOrder(
  paths: readonly Path[],
  options: BeamLinkOptions,
): { paths: Path[]; c: Float64Array; tapStart: Int32Array; diffuseStart: number } {
  const det = paths.filter((p) => p.kind !== 'scattered');
  const diffuse = paths.filter((p) => p.kind === 'scattered');
  const t0 = paths.reduce((m, p) => Math.min(m, p.delay), Number.POSITIVE_INFINITY);
  const tap = (p: Path) => Math.round((p.delay - t0) * options.bandwidthHz);
  const ordered = det.map((p) => ({ p, tap: tap(p) })).sort((a, b) => a.tap - b.tap);
  const all = [...ordered.map((o) => o.p), ...diffuse];
  const c = new Float64Array(2 * all.length);
  const starts: number[] = [];
  ordered.forEach((o, i) => {
    if (i === 0 || o.tap !== ordered[i - 1]!.tap) starts.push(i);
  });
  starts.push(ordered.length);
  all.forEach((p, i) => {
    // the carrier phase of the propagation delay, −2π·f_c·τ, reduced in float64 turns
    const turns = options.frequencyHz * p.delay;
    const ph = -2 * Math.PI * (turns - Math.floor(turns));
    const cr = Math.cos(ph);
    const ci = Math.sin(ph);
    c[2 * i] = p.a.re * cr - p.a.im * ci;
    c[2 * i + 1] = p.a.re * ci + p.a.im * cr;
  });
  return { paths: all, c, tapStart: Int32Array.from(starts), diffuseStart: ordered.length };
}

/** A link of both ends' beam sets (responders are reused across links). */
export function beamLink(
  paths: readonly Path[],
  tx: BeamSet | BeamResponder,
  rx: BeamSet | BeamResponder,
  options: BeamLinkOptions,
): BeamLink {
  const t = tx instanceof BeamResponder ? tx : new BeamResponder(tx);
  const r = rx instanceof BeamResponder ? rx : new BeamResponder(rx);
  return new BeamLink(paths, t, r, options);
}
