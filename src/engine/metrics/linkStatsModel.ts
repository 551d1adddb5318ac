import { SPEED_OF_LIGHT } from '../core/constants.ts';
import { evaluateFramesWithDerivatives } from '../field/jonesChain.ts';
import type { PathFrames } from '../field/pathFrames.ts';
import type { PathGeometry } from '../tracer/path.ts';
import { accumulateLinkStats, emptyLinkStats, type LinkStats, pathKindCode } from './linkStats.ts';

/**
 * Link statistics of fixed geometry for varying materials (the calibration's forward model):
 * which frame paths make up each reduced link — the sounded links, plus single-path "taps" for
 * losses on individual multipath components — and an evaluator per backend (CPU here, WebGPU in
 * gpu/linkStatsKernel.ts) that turns a material table into LinkStats with derivatives.
 */
export interface LinkRanges {
  frames: PathFrames;
  count: number;
  /** first frame path and path count of each reduced link */
  first: Int32Array;
  length: Int32Array;
  /** τ0 of each reduced link (s): its shortest path */
  referenceDelayS: Float64Array;
  /** per frame path: τ0 of the sounded link it belongs to, its delay, arrival azimuth and kind */
  pathReferenceDelayS: Float64Array;
  delayS: Float64Array;
  aoaAzimuthDeg: Float64Array;
  kind: Uint8Array;
}

/**
 * Ranges of the links (linkStart from field/evaluate.ts linkFrames; their geometries in frame
 * order) followed by one single-path range per tap (frame path index).
 */
export function linkRanges(
  frames: PathFrames,
  linkStart: Int32Array,
  links: readonly { geometries: readonly PathGeometry[] }[],
  taps: readonly number[] = [],
): LinkRanges {
  const nLinks = linkStart.length - 1;
  const count = nLinks + taps.length;
  const np = frames.pathCount;
  const r: LinkRanges = {
    frames,
    count,
    first: new Int32Array(count),
    length: new Int32Array(count),
    referenceDelayS: new Float64Array(count),
    pathReferenceDelayS: new Float64Array(np),
    delayS: new Float64Array(np),
    aoaAzimuthDeg: new Float64Array(np),
    kind: new Uint8Array(np),
  };
  for (let p = 0; p < np; p++) {
    r.delayS[p] = frames.length[p]! / SPEED_OF_LIGHT;
    r.aoaAzimuthDeg[p] = frames.angles[4 * p + 2]!;
  }
  links.forEach((l, i) => {
    l.geometries.forEach((g, k) => {
      r.kind[linkStart[i]! + k] = pathKindCode(g.kind);
    });
  });
  for (let l = 0; l < nLinks; l++) {
    const first = linkStart[l]!;
    const end = linkStart[l + 1]!;
    let tau0 = end > first ? Number.POSITIVE_INFINITY : 0;
    for (let p = first; p < end; p++) tau0 = Math.min(tau0, r.delayS[p]!);
    r.first[l] = first;
    r.length[l] = end - first;
    r.referenceDelayS[l] = tau0;
    for (let p = first; p < end; p++) r.pathReferenceDelayS[p] = tau0;
  }
  taps.forEach((p, t) => {
    r.first[nLinks + t] = p;
    r.length[nLinks + t] = 1;
    r.referenceDelayS[nLinks + t] = r.pathReferenceDelayS[p]!;
  });
  return r;
}

/** Statistics of every reduced link from the frames' coefficients a (and ∂a with n parameters). */
export function reduceLinks(r: LinkRanges, a: ArrayLike<number>, da?: ArrayLike<number>, n = 0): LinkStats {
  const out = emptyLinkStats(r.count, n);
  for (let l = 0; l < r.count; l++) {
    accumulateLinkStats(out, l, r.frames.frequencyHz, {
      count: r.length[l]!,
      a,
      da,
      offset: r.first[l]!,
      delayS: r.delayS,
      aoaAzimuthDeg: r.aoaAzimuthDeg,
      kind: r.kind,
      referenceDelayS: r.referenceDelayS[l]!,
    });
  }
  return out;
}

export interface StatsEvaluator {
  evaluate(table: Float64Array, signal?: AbortSignal): Promise<LinkStats>;
  /**
   * Paths this evaluator cannot take in its kernel and hands to the float64 host chain instead
   * (the WebGPU kernel holds at most MAX_INTERACTIONS interactions per path); 0 on the CPU.
   */
  readonly fallbackPaths: number;
  dispose(): void;
}

/** The CPU evaluator: the Jones chain with forward derivatives, then the host reduction. */
export class CpuStatsEvaluator implements StatsEvaluator {
  readonly fallbackPaths = 0;
  private readonly a: Float64Array;
  private readonly da: Float64Array;

  constructor(
    private readonly r: LinkRanges,
    private readonly columns: Int32Array,
    private readonly n: number,
  ) {
    this.a = new Float64Array(2 * r.frames.pathCount);
    this.da = new Float64Array(2 * n * r.frames.pathCount);
  }

  async evaluate(table: Float64Array, signal?: AbortSignal): Promise<LinkStats> {
    const { r, n, a, da } = this;
    const f = r.frames;
    evaluateFramesWithDerivatives(f, table, this.columns, n, a, da);
    signal?.throwIfAborted();
    return reduceLinks(r, a, da, n);
  }

  dispose(): void {}
}
