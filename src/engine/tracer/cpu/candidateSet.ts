import { norm3 } from '../../core/norm.ts';
import type { Vec3 } from '../../core/vec3.ts';
import type { PathGeometry } from '../path.ts';
import { BeamTree } from './beamTree.ts';
import { HitRecords, shootRays } from './candidates.ts';
import { segmentOccluded } from './rayCast.ts';
import type { ResolvedTraceOptions, TraceControl } from './tracePaths.ts';
import { type TracerGeometry, tracerTolerances } from './tracerGeometry.ts';
import { sceneWedges, type Wedge } from './wedges.ts';

export { tracerTolerances };

/**
 * Everything the path search prepares once per transmitter, before any receiver: the candidate
 * tree (trie, images, beams), the scattering hit records, which faces scatter, and the
 * diffraction wedges. The CPU reference (tracePaths.ts) and the WebGPU tracer
 * (gpu/tracePathsGpu.ts) both call this one function, and both hand what lies beyond the tree
 * to receiverSearch.ts, so their path sets are built from the same candidates and cannot drift
 * apart.
 */
export interface CandidateSet {
  /** the transmitter's candidate tree, complete to tree.completeDepth */
  tree: BeamTree;
  /** hits of the shot rays, the diffuse scattering points (null when scattering is off) */
  records: HitRecords | null;
  /** reflections or transmissions are searched (the trie holds more than the LoS root) */
  specularOn: boolean;
  /** 1 for faces of scattering objects (null when scattering is off) */
  scatterFace: Uint8Array | null;
  wedges: Wedge[];
}

/** Rays per chunk of work between yields (progress, cancellation). */
const CHUNK = 2048;

/**
 * Build the candidate set as a generator that yields between chunks of work; reports
 * 'candidates' progress and checks `control.signal`:
 * - the transmitter's beam tree (beamTree.ts), level by level while it fits
 *   `candidateBudget` nodes, up to maxDepth;
 * - the scattering records: hits of `scatteringRays` rays on the Fibonacci sphere.
 */
export function* candidateSteps(
  g: TracerGeometry,
  tx: Vec3,
  o: ResolvedTraceOptions,
  control: TraceControl = {},
): Generator<void, CandidateSet> {
  const key = cacheKey(tx, o);
  const hit = candidateCache.get(g, key);
  if (hit) return hit;
  const set = yield* buildSteps(g, tx, o, control);
  candidateCache.put(g, key, set, o.maxDepth);
  return set;
}

function* buildSteps(
  g: TracerGeometry,
  tx: Vec3,
  o: ResolvedTraceOptions,
  control: TraceControl,
): Generator<void, CandidateSet> {
  const { tol, occlusionEps } = tracerTolerances(g);
  const abort = () => control.signal?.throwIfAborted();
  const report = control.onProgress ?? (() => {});
  const specularOn = (o.specular || o.transmission) && o.maxDepth >= 1;
  const treeDepth = Math.min(o.maxDepth, o.treeMaxDepth);
  // the deepest level without beams only where it is the search's last (beamTree.ts)
  const lean = !o.lastLevelBeams && treeDepth === o.maxDepth;
  let tree = new BeamTree(g, tx, o.specular, o.transmission, tol, Infinity, !lean);
  if (specularOn) {
    for (const nodes of tree.grow(treeDepth, o.candidateBudget)) {
      report({ phase: 'candidates', done: Math.min(nodes, o.candidateBudget), total: o.candidateBudget });
      yield;
      abort();
    }
    if (lean && tree.overBudget) {
      // without its culling the last level did not fit: build it with beams after all
      tree = new BeamTree(g, tx, o.specular, o.transmission, tol);
      for (const nodes of tree.grow(treeDepth, o.candidateBudget)) {
        report({ phase: 'candidates', done: Math.min(nodes, o.candidateBudget), total: o.candidateBudget });
        yield;
        abort();
      }
    }
  }
  const records = scatteringOn(o) ? new HitRecords() : null;
  if (records) {
    const n = o.scatteringRays;
    const shoot = {
      rays: n,
      maxDepth: o.maxDepth,
      reflection: o.specular,
      transmission: o.transmission,
      minT: occlusionEps,
    };
    for (let i = 0; i < n; i += CHUNK) {
      shootRays(g, tx, shoot, null, records, undefined, i, Math.min(n, i + CHUNK));
      report({ phase: 'candidates', done: Math.min(n, i + CHUNK), total: n });
      yield;
      abort();
    }
  }
  return { tree, records, specularOn, ...perFace(g, o) };
}

function scatteringOn(o: ResolvedTraceOptions): boolean {
  return o.scattering && o.maxDepth >= 1 && (!o.scatteringObjects || o.scatteringObjects.length > 0);
}

/** What a candidate set holds beyond the tree and the records: it depends on the scene alone. */
export function perFace(
  g: TracerGeometry,
  o: ResolvedTraceOptions,
): Pick<CandidateSet, 'scatterFace' | 'wedges'> {
  let scatterFace: Uint8Array | null = null;
  if (scatteringOn(o)) {
    scatterFace = new Uint8Array(g.faceCount);
    const objects = o.scatteringObjects ? new Set(o.scatteringObjects) : null;
    for (let f = 0; f < g.faceCount; f++) scatterFace[f] = !objects || objects.has(g.faceObject[f]!) ? 1 : 0;
  }
  let wedges: Wedge[] = [];
  if (o.diffraction && o.maxDepth >= 1) {
    const w = sceneWedges(g);
    wedges = o.freeEdges ? [...w.wedges, ...w.freeEdges] : w.wedges;
  }
  return { scatterFace, wedges };
}

/**
 * Candidate sets already built, so that traces from the same transmitter (the studio moving only
 * the receiver, calibration iterations, radio-map tiles, link lists) reuse the set-up. Keyed by
 * the tracer geometry (scene and BVH), the transmitter position and every resolved option; only
 * sets whose tree is complete to maxDepth are kept: nothing is added to those later (the shot rays
 * of receiverSearch.ts extend an incomplete tree in place, so such a set belongs to one tracer).
 * Bounded by `weight` (tree nodes plus scattering hit records), least recently used out first;
 * one geometry at a time (another scene or BVH empties it, so a replaced scene is not kept alive).
 */
export class CandidateCache {
  private g: TracerGeometry | null = null;
  private readonly sets = new Map<string, { set: CandidateSet; weight: number }>();
  private total = 0;

  constructor(readonly budget: number) {}

  get(g: TracerGeometry, key: string): CandidateSet | undefined {
    if (g !== this.g) return undefined;
    const e = this.sets.get(key);
    if (!e) return undefined;
    // most recently used last
    this.sets.delete(key);
    this.sets.set(key, e);
    return e.set;
  }

  put(g: TracerGeometry, key: string, set: CandidateSet, maxDepth: number): void {
    if (set.specularOn && set.tree.completeDepth < maxDepth) return;
    const weight = set.tree.trie.size + (set.records?.face.length ?? 0) + set.wedges.length;
    if (weight > this.budget) return;
    if (g !== this.g) this.clear();
    this.g = g;
    const old = this.sets.get(key);
    if (old) {
      this.sets.delete(key);
      this.total -= old.weight;
    }
    this.sets.set(key, { set, weight });
    this.total += weight;
    for (const [k, e] of this.sets) {
      if (this.total <= this.budget) break;
      this.sets.delete(k);
      this.total -= e.weight;
    }
  }

  get size(): number {
    return this.sets.size;
  }

  clear(): void {
    this.sets.clear();
    this.total = 0;
    this.g = null;
  }
}

/** Weight budget of the shared cache: one default-budget tree (10⁶ nodes, ~300 B each). */
export const CANDIDATE_CACHE_WEIGHT = 1_000_000;

/** The cache candidateSteps uses (both backends). */
export const candidateCache = new CandidateCache(CANDIDATE_CACHE_WEIGHT);

export function cacheKey(tx: Vec3, o: ResolvedTraceOptions): string {
  return `${tx[0]},${tx[1]},${tx[2]}|${JSON.stringify(o)}`;
}

/** The candidate set, synchronously (candidateSteps run to the end). */
export function buildCandidates(
  g: TracerGeometry,
  tx: Vec3,
  o: ResolvedTraceOptions,
  control: TraceControl = {},
): CandidateSet {
  const it = candidateSteps(g, tx, o, control);
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
  }
}

/**
 * The line-of-sight path, or null when the segment is blocked (or the receiver sits at the
 * transmitter: no far-field LoS path there).
 */
export function losPath(g: TracerGeometry, tx: Vec3, rx: Vec3, occlusionEps: number): PathGeometry | null {
  const length = norm3(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]);
  if (!(length > 0)) return null;
  if (segmentOccluded(g, tx[0], tx[1], tx[2], rx[0], rx[1], rx[2], -1, -1, occlusionEps)) return null;
  return { kind: 'los', interactions: [], length };
}
