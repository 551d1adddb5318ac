import { norm3 } from '../../core/norm.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { Yielder } from '../../core/yielding.ts';
import type { Scene } from '../../scene/types.ts';
import type { Bvh } from '../bvh.ts';
import { gridCells, type ReceiverGrid } from '../gridCells.ts';
import { type PathGeometry, pathSignature } from '../path.ts';
import { beamContains } from './beams.ts';
import type { BeamTree } from './beamTree.ts';
import { type CandidateSet, candidateSteps, losPath } from './candidateSet.ts';
import { EdgeDiffraction } from './diffraction.ts';
import { type ReceiverBins, receiverBins } from './receiverBins.ts';
import { BeyondTree, type SearchReport } from './receiverSearch.ts';
import { scatteredPaths } from './scattering.ts';
import { SpecularSolver } from './specular.ts';
import { type TracerGeometry, tracerGeometry, tracerTolerances } from './tracerGeometry.ts';

export type { SearchReport };

/**
 * CPU reference path search: one transmitter, many receivers → PathGeometry[] per receiver.
 *
 * Algorithm (deterministic; the WebGPU port reproduces it and is compared by pathSignature):
 * 1. Candidate sequences of (face, reflection|transmission) in a trie, built once per
 *    transmitter by candidateSet.ts (the one function the WebGPU tracer also calls): the beam
 *    tree (beamTree.ts), every sequence any receiver could complete, pruned by exact beam and
 *    occlusion culling, level by level while it fits `candidateBudget` nodes.
 * 2. Per receiver: LoS (segment unobstructed); every tree node whose beam holds the receiver,
 *    solved exactly by the image method and validated (specular.ts); beyond the tree's depth,
 *    receiverSearch.ts (the receiver's own tree met in the middle, then shot rays); diffuse
 *    scattering at the last interaction from the hits of `scatteringRays` shot rays
 *    (scattering.ts); first-order diffraction on wedges and free edges (diffraction.ts,
 *    wedges.ts). Each receiver gets a SearchReport: complete, or the estimated miss rate.
 * 3. Geometric duplicates (same interaction types and points, e.g. a bounce on the seam of two
 *    coplanar faces) are removed; paths are sorted by length, then signature, then discovery.
 * Depth counts every interaction (reflection, transmission, scattering, diffraction).
 */
export interface PathTypes {
  los: boolean;
  /** specular reflections (chains, possibly mixed with transmissions) */
  specular: boolean;
  transmission: boolean;
  scattering: boolean;
  diffraction: boolean;
}

export const DEFAULT_PATH_TYPES: PathTypes = {
  los: true,
  specular: true,
  transmission: true,
  scattering: true,
  diffraction: true,
};

export interface TracePathsOptions extends Partial<PathTypes> {
  /** maximum number of interactions per path (default 3) */
  maxDepth?: number;
  /**
   * shot rays for the candidates beyond the exhaustive search (default: derived from the scene
   * and `missProbability`, receiverSearch.ts rayPlan); only used where the search is incomplete
   */
  rays?: number;
  /** rays whose hits become scattering points (default 10 000) */
  scatteringRays?: number;
  /** nodes the transmitter's candidate tree may hold (default 1 000 000) */
  candidateBudget?: number;
  /** nodes each receiver's own tree may hold (default 100 000) */
  receiverBudget?: number;
  /** depth limit of the transmitter's tree (default: none; tests use it to force the rest) */
  treeMaxDepth?: number;
  /** grow receiver trees beyond the transmitter's (default true; false: shot rays only) */
  receiverTrees?: boolean;
  /** target miss probability of the shot rays (default 10⁻³) */
  missProbability?: number;
  /** at most this many derived rays (default 1 000 000) */
  maxRays?: number;
  /** objects that scatter diffusely (default: all) */
  scatteringObjects?: Iterable<number>;
  /** diffraction on free edges (edges of one face only, e.g. a plate or a screen); default true */
  freeEdges?: boolean;
  /**
   * beams for the deepest level of the transmitter's tree (default true); false when only a few
   * receivers follow (links): a faster set-up, the same paths (beamTree.ts)
   */
  lastLevelBeams?: boolean;
}

export interface TraceProgress {
  phase: 'candidates' | 'receivers';
  done: number;
  total: number;
}

export interface TraceControl {
  signal?: AbortSignal;
  onProgress?: (p: TraceProgress) => void;
}

export const DEFAULT_MAX_DEPTH = 3;
export const DEFAULT_SCATTERING_RAYS = 10_000;
export const DEFAULT_CANDIDATE_BUDGET = 1_000_000;
export const DEFAULT_RECEIVER_BUDGET = 100_000;
export const DEFAULT_MISS_PROBABILITY = 1e-3;
export const DEFAULT_MAX_RAYS = 1_000_000;

/** Resolved options with defaults, also reported by traceLinks. */
export function resolveTraceOptions(o: TracePathsOptions = {}) {
  const maxDepth = o.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 12) {
    throw new RangeError(`maxDepth must be an integer from 0 to 12, got ${maxDepth}`);
  }
  const scatteringRays = o.scatteringRays ?? DEFAULT_SCATTERING_RAYS;
  const counts = [
    ['rays', o.rays ?? 1],
    ['scatteringRays', scatteringRays],
    ['candidateBudget', o.candidateBudget ?? 1],
    ['receiverBudget', o.receiverBudget ?? 0],
    ['maxRays', o.maxRays ?? 1],
  ] as const;
  for (const [name, v] of counts) {
    if (!Number.isInteger(v) || v < (name === 'receiverBudget' ? 0 : 1))
      throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  const missProbability = o.missProbability ?? DEFAULT_MISS_PROBABILITY;
  if (!(missProbability > 0 && missProbability < 1))
    throw new RangeError(`missProbability must be in (0, 1), got ${missProbability}`);
  return {
    maxDepth,
    rays: o.rays,
    scatteringRays,
    los: o.los ?? true,
    specular: o.specular ?? true,
    transmission: o.transmission ?? true,
    scattering: o.scattering ?? true,
    diffraction: o.diffraction ?? true,
    candidateBudget: o.candidateBudget ?? DEFAULT_CANDIDATE_BUDGET,
    receiverBudget: o.receiverBudget ?? DEFAULT_RECEIVER_BUDGET,
    treeMaxDepth: o.treeMaxDepth ?? 12,
    receiverTrees: o.receiverTrees ?? true,
    missProbability,
    maxRays: o.maxRays ?? DEFAULT_MAX_RAYS,
    freeEdges: o.freeEdges ?? true,
    lastLevelBeams: o.lastLevelBeams ?? true,
    scatteringObjects: o.scatteringObjects ? [...o.scatteringObjects] : undefined,
  };
}

export type ResolvedTraceOptions = ReturnType<typeof resolveTraceOptions>;

/** Throws a RangeError naming `what` unless p is three finite numbers. */
export function checkPoint(p: readonly number[], what: string): void {
  if (p.length !== 3 || !p.every(Number.isFinite))
    throw new RangeError(`${what} must be three finite numbers, got [${p.join(', ')}]`);
}

/**
 * The search for one transmitter, prepared once: candidates (trie, scattering records, wedges)
 * and the specular solver; then any number of receiver sets (radio-map tiles, link lists)
 * without rebuilding them.
 */
export class CpuPathTracer {
  private constructor(
    private readonly g: TracerGeometry,
    private readonly tx: Vec3,
    private readonly o: ResolvedTraceOptions,
    private readonly candidates: CandidateSet,
    private readonly solver: SpecularSolver,
    private readonly beyond: BeyondTree,
    private readonly edges: EdgeDiffraction,
    private readonly tol: number,
    private readonly occlusionEps: number,
  ) {}

  /** Build the candidates (yields between chunks of work: progress, cancellation). */
  static *createSteps(
    scene: Scene,
    bvh: Bvh | undefined,
    tx: Vec3,
    options: TracePathsOptions,
    control: TraceControl,
  ): Generator<void, CpuPathTracer> {
    checkPoint(tx, 'transmitter position');
    const o = resolveTraceOptions(options);
    const g = tracerGeometry(scene, bvh);
    const { tol, occlusionEps } = tracerTolerances(g);
    control.signal?.throwIfAborted();
    const c = yield* candidateSteps(g, tx, o, control);
    const solver = new SpecularSolver(g, tx, c.tree.trie, c.tree.images, tol, occlusionEps);
    const beyond = new BeyondTree(g, tx, o, c, solver);
    const edges = new EdgeDiffraction(g, c.wedges, tx, occlusionEps);
    return new CpuPathTracer(g, tx, o, c, solver, beyond, edges, tol, occlusionEps);
  }

  static async create(
    scene: Scene,
    bvh: Bvh | undefined,
    tx: Vec3,
    options: TracePathsOptions = {},
    control: TraceControl = {},
  ): Promise<CpuPathTracer> {
    return runYielding(CpuPathTracer.createSteps(scene, bvh, tx, options, control), control);
  }

  /** The transmitter's candidate tree: how deep it is complete, and its size. */
  get tree() {
    const t = this.candidates.tree;
    return { completeDepth: t.completeDepth, nodes: t.completeSize - 1 };
  }

  /** The transmitter's beam tree itself (read only: dynamics/incremental.ts reuses its beams). */
  get beamTree(): BeamTree {
    return this.candidates.tree;
  }

  /**
   * Paths to every receiver, as a generator that yields between chunks of work; each
   * receiver's SearchReport goes to `reports` when given.
   */
  *traceSteps(
    rxList: readonly Vec3[],
    control: TraceControl = {},
    reports?: SearchReport[],
    grid?: { grid: ReceiverGrid; first: number; limit: number },
  ): Generator<void, PathGeometry[][]> {
    rxList.forEach((r, i) => {
      checkPoint(r, `receiver ${i} position`);
    });
    const { g, tx, o, solver, tol, occlusionEps } = this;
    const { tree, records, scatterFace, wedges, specularOn } = this.candidates;
    const abort = () => control.signal?.throwIfAborted();
    const report = control.onProgress ?? (() => {});
    const result: PathGeometry[][] = [];
    const beams = tree.beams;
    const nodes = specularOn ? tree.completeSize : 1;
    report({ phase: 'receivers', done: 0, total: rxList.length });
    for (let r0 = 0; r0 < rxList.length; ) {
      // receivers in blocks whose (candidate, receiver) lists fit MAX_BIN_PAIRS; grid cells from
      // the bins of a whole block of cells, kept for the next tiles
      let r1 = Math.min(rxList.length, r0 + RECEIVER_BLOCK);
      let bins: ReceiverBins | null = null;
      let at = r0;
      if (nodes > 1 && grid) {
        const block = yield* this.gridBins(grid.grid, grid.first + r0, grid.first + r1, grid.limit);
        if (block) {
          bins = block.bins;
          at = block.first - grid.first;
        }
      }
      if (nodes > 1 && !bins) bins = yield* receiverBins(beams, nodes, rxList, r0, r1);
      while (nodes > 1 && !bins && r1 - r0 > 1) {
        r1 = r0 + ((r1 - r0) >> 1);
        bins = yield* receiverBins(beams, nodes, rxList, r0, r1);
      }
      abort();
      // beyond the transmitter's tree: the meet-in-the-middle join for the whole block at once
      const joined = this.beyond.treeComplete
        ? undefined
        : yield* this.beyond.joinSteps(rxList, r0, r1, control);
      for (let r = r0; r < r1; r++) {
        const rx = rxList[r]!;
        const paths: PathGeometry[] = [];
        if (o.los) {
          const los = losPath(g, tx, rx, occlusionEps);
          if (los) paths.push(los);
        }
        if (bins) {
          const list = bins.nodes;
          for (let k = bins.start[r - at]!, end = bins.start[r - at + 1]!; k < end; k++) {
            const p = solver.solve(list[k]!, rx);
            if (p) paths.push(p);
          }
        } else {
          // one receiver over the pair budget on its own: every node, tested here
          for (let node = 1; node < nodes; node++) {
            if (beamContains(beams, node, rx[0], rx[1], rx[2])) {
              const p = solver.solve(node, rx);
              if (p) paths.push(p);
            }
            if ((node & 65535) === 0) {
              yield;
              abort();
            }
          }
        }
        // the tree's last level when listed rather than built (few receivers, beamTree.ts)
        tree.lastLevelFor(rx, (node) => {
          solver.images = tree.images;
          const p = solver.solve(node, rx);
          if (p) paths.push(p);
        });
        const searched = yield* this.beyond.pathsSteps(rx, paths, control, joined?.[r - r0]);
        reports?.push(searched);
        if (records && scatterFace)
          scatteredPaths(g, records, rx, scatterFace, o.maxDepth, tol, occlusionEps, paths);
        if (wedges.length > 0) this.edges.paths(rx, paths);
        result.push(dedupeAndSort(paths));
        report({ phase: 'receivers', done: r + 1, total: rxList.length });
        yield;
        abort();
      }
      r0 = r1;
    }
    return result;
  }

  trace(
    rxList: readonly Vec3[],
    control: TraceControl = {},
    reports?: SearchReport[],
  ): Promise<PathGeometry[][]> {
    return runYielding(this.traceSteps(rxList, control, reports), control);
  }

  /**
   * Paths to the cells of grid rows [rowStart, rowEnd) (a radio-map tile), as trace() finds them;
   * the next tiles stop at row `rowLimit`.
   */
  traceGrid(
    grid: ReceiverGrid,
    rowStart: number,
    rowEnd: number,
    control: TraceControl = {},
    reports?: SearchReport[],
    rowLimit = grid.ny,
  ): Promise<PathGeometry[][]> {
    const first = rowStart * grid.nx;
    const rx = gridCells(grid, first, rowEnd * grid.nx);
    const limit = Math.max(rowEnd, Math.min(grid.ny, rowLimit)) * grid.nx;
    return runYielding(this.traceSteps(rx, control, reports, { grid, first, limit }), control);
  }

  /** Receiver bins of a block of grid cells, reused by the tiles inside it (see gridBins). */
  private block:
    | { grid: ReceiverGrid; first: number; end: number; nodes: number; bins: ReceiverBins }
    | undefined;

  /**
   * Bins holding grid cells [first, end): the kept block's when it covers them, else those of a
   * new block of RECEIVER_BLOCK cells from `first`, not past cell `limit` (null when over the
   * pair budget). A radio map asks for a tile of ~128 cells at a time; binning each tile against
   * every beam on its own cost 7 % of a demo map, since a beam's query costs about the same for
   * 128 receivers as for 4,096.
   */
  private *gridBins(
    grid: ReceiverGrid,
    first: number,
    end: number,
    limit: number,
  ): Generator<void, { first: number; bins: ReceiverBins } | null> {
    const { tree } = this.candidates;
    const b = this.block;
    if (b && b.grid === grid && b.nodes === tree.completeSize && b.first <= first && end <= b.end) return b;
    this.block = undefined;
    const blockEnd = Math.max(end, Math.min(limit, first + RECEIVER_BLOCK));
    const rx = gridCells(grid, first, blockEnd);
    const bins = yield* receiverBins(tree.beams, tree.completeSize, rx, 0, rx.length);
    if (!bins) return null;
    this.block = { grid, first, end: blockEnd, nodes: tree.completeSize, bins };
    return this.block;
  }
}

/** Candidates, then receivers: the whole search for one transmitter as one generator. */
function* traceSteps(
  scene: Scene,
  bvh: Bvh | undefined,
  tx: Vec3,
  rxList: readonly Vec3[],
  options: TracePathsOptions,
  control: TraceControl,
  reports?: SearchReport[],
): Generator<void, PathGeometry[][]> {
  rxList.forEach((r, i) => {
    checkPoint(r, `receiver ${i} position`);
  });
  const tracer = yield* CpuPathTracer.createSteps(scene, bvh, tx, options, control);
  return yield* tracer.traceSteps(rxList, control, reports);
}

/**
 * Run a generator to its end, yielding to the event loop every ~30 ms so that `control.signal`
 * can abort the run (it rejects with the signal's reason) and progress can be shown.
 */
async function runYielding<T>(it: Generator<void, T>, control: TraceControl): Promise<T> {
  const yielder = new Yielder();
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
    await yielder.maybe(control.signal);
  }
}

const SAME_POINT = 1e-6;

/** Receivers binned together (receiverBins.ts): one box tree over them per block. */
const RECEIVER_BLOCK = 4096;

/**
 * Remove geometric duplicates and sort by (length, signature, discovery order). `known`: a
 * sorted rank for some of the paths (rank[i] ≥ 0, ranks < count, −1 for the others) that agrees
 * with this order among them, and their lengths by rank — the incremental tracer's static paths, sorted once per link: only
 * the others are sorted, then the two lists merged, which gives the same result as sorting all.
 */
export function dedupeAndSort(
  paths: PathGeometry[],
  known?: { rank: ArrayLike<number>; count: number; length: Float64Array },
): PathGeometry[] {
  const n = paths.length;
  const { cmp, len } = pathComparator(paths, known);
  const order = known ? mergeKnown(n, known.rank, known.count, cmp) : sortAll(n, cmp);
  const out: PathGeometry[] = [];
  const outLen = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const l = len[i]!;
    let dup = false;
    // candidates with (nearly) the same length are adjacent after sorting
    for (let j = out.length - 1; j >= 0 && l - outLen[j]! <= 1e-9 * Math.max(1, l); j--) {
      if (samePath(out[j]!, paths[i]!)) {
        dup = true;
        break;
      }
    }
    if (!dup) {
      outLen[out.length] = l;
      out.push(paths[i]!);
    }
  }
  return out;
}

/**
 * The order of dedupeAndSort on a list of paths (null entries: absent, never compared): length,
 * then signature for ties in length (rare, computed lazily), then position in the list.
 */
function pathComparator(
  paths: readonly (PathGeometry | null)[],
  known?: { rank: ArrayLike<number>; length: Float64Array },
): {
  cmp: (a: number, b: number) => number;
  len: Float64Array;
} {
  const n = paths.length;
  const len = new Float64Array(n);
  // the known paths' lengths from their flat copy (not each path's object: cache misses)
  for (let i = 0; i < n; i++) {
    const r = known ? known.rank[i]! : -1;
    len[i] = r >= 0 ? known!.length[r]! : (paths[i]?.length ?? 0);
  }
  const sig: (string | undefined)[] = new Array(n);
  const sigOf = (i: number) => {
    let v = sig[i];
    if (v === undefined) {
      v = pathSignature(paths[i]!);
      sig[i] = v;
    }
    return v;
  };
  const cmp = (a: number, b: number) => {
    const d = len[a]! - len[b]!;
    if (d !== 0) return d;
    const sa = sigOf(a);
    const sb = sigOf(b);
    return sa < sb ? -1 : sa > sb ? 1 : a - b;
  };
  return { cmp, len };
}

/**
 * Each path's rank in dedupeAndSort's order among the list's paths (−1 for null entries), and
 * their count: the `known` ranks of paths later listed in this relative order.
 */
export function pathRanks(paths: readonly (PathGeometry | null)[]): {
  rank: Int32Array;
  count: number;
  /** the paths' lengths by rank */
  length: Float64Array;
} {
  const ids: number[] = [];
  paths.forEach((p, i) => {
    if (p) ids.push(i);
  });
  ids.sort(pathComparator(paths).cmp);
  const rank = new Int32Array(paths.length).fill(-1);
  const length = new Float64Array(ids.length);
  ids.forEach((id, r) => {
    rank[id] = r;
    length[r] = paths[id]!.length;
  });
  return { rank, count: ids.length, length };
}

function sortAll(n: number, cmp: (a: number, b: number) => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort(cmp);
}

/** The order of dedupeAndSort from the known paths' ranks and the others sorted, merged. */
function mergeKnown(
  n: number,
  rank: ArrayLike<number>,
  count: number,
  cmp: (a: number, b: number) => number,
): Uint32Array {
  const slot = new Int32Array(count).fill(-1);
  const rest: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rank[i]!;
    if (r >= 0) slot[r] = i;
    else rest.push(i);
  }
  rest.sort(cmp);
  const order = new Uint32Array(n);
  let k = 0;
  let j = 0;
  for (let r = 0; r < count; r++) {
    const i = slot[r]!;
    if (i < 0) continue;
    while (j < rest.length && cmp(rest[j]!, i) < 0) order[k++] = rest[j++]!;
    order[k++] = i;
  }
  while (j < rest.length) order[k++] = rest[j++]!;
  return order;
}

function samePath(a: PathGeometry, b: PathGeometry): boolean {
  if (a.kind !== b.kind || a.interactions.length !== b.interactions.length) return false;
  for (let k = 0; k < a.interactions.length; k++) {
    const x = a.interactions[k]!;
    const y = b.interactions[k]!;
    if (x.type !== y.type) return false;
    if (norm3(x.point[0] - y.point[0], x.point[1] - y.point[1], x.point[2] - y.point[2]) > SAME_POINT)
      return false;
  }
  return true;
}

/**
 * Trace paths, synchronously (tests, workers that do not need to be interrupted mid-run); each
 * receiver's SearchReport goes to `reports` when given.
 */
export function tracePathsSync(
  scene: Scene,
  bvh: Bvh | undefined,
  tx: Vec3,
  rxList: readonly Vec3[],
  options: TracePathsOptions = {},
  control: TraceControl = {},
  reports?: SearchReport[],
): PathGeometry[][] {
  const it = traceSteps(scene, bvh, tx, rxList, options, control, reports);
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
  }
}

/**
 * Trace paths from `tx` to every receiver; one sorted PathGeometry list per receiver. Yields to
 * the event loop every ~30 ms so that `control.signal` can abort the run (it rejects with the
 * signal's reason) and progress can be shown.
 */
export function tracePaths(
  scene: Scene,
  bvh: Bvh | undefined,
  tx: Vec3,
  rxList: readonly Vec3[],
  options: TracePathsOptions = {},
  control: TraceControl = {},
): Promise<PathGeometry[][]> {
  return runYielding(traceSteps(scene, bvh, tx, rxList, options, control), control);
}
