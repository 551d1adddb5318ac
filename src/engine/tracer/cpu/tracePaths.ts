import type { Vec3 } from '../../core/vec3.ts';
import type { Scene } from '../../scene/types.ts';
import type { Bvh } from '../bvh.ts';
import { type PathGeometry, pathSignature } from '../path.ts';
import { type CandidateSet, candidateSteps, losPath, tracerTolerances } from './candidateSet.ts';
import { diffractedPaths } from './diffraction.ts';
import { scatteredPaths } from './scattering.ts';
import { SpecularSolver } from './specular.ts';
import { type TracerGeometry, tracerGeometry } from './tracerGeometry.ts';

/**
 * CPU reference path search: one transmitter, many receivers → PathGeometry[] per receiver.
 *
 * Algorithm (deterministic; the WebGPU port reproduces it and is compared by pathSignature):
 * 1. Candidate sequences of (face, reflection|transmission) in a trie (candidates.ts), built
 *    by candidateSet.ts, the one function the WebGPU tracer also calls:
 *    exhaustive enumeration up to `exhaustiveMaxDepth` when the scene is small (pruned by
 *    coplanarity and sides), plus the sequences met by `rays` rays shot from the transmitter on
 *    the Fibonacci sphere and followed through every enabled branch up to maxDepth.
 * 2. Per receiver: LoS (segment unobstructed); every trie node solved exactly by the image
 *    method and validated (specular.ts); diffuse scattering at the last interaction from the
 *    hits of `scatteringRays` shot rays (scattering.ts); first-order diffraction on wedges and
 *    free edges (diffraction.ts, wedges.ts).
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
  /** rays shot from the transmitter to find candidate sequences (default 10 000) */
  rays?: number;
  /** rays whose hits become scattering points (default: `rays`) */
  scatteringRays?: number;
  /** exhaustive enumeration only for scenes with at most this many faces (default 64) */
  exhaustiveMaxFaces?: number;
  /** … and up to this depth (default 3) */
  exhaustiveMaxDepth?: number;
  /** … and while the number of sequences stays below this bound (default 300 000) */
  exhaustiveMaxCandidates?: number;
  /** objects that scatter diffusely (default: all) */
  scatteringObjects?: Iterable<number>;
  /** diffraction on free edges (edges of one face only, e.g. a plate or a screen); default true */
  freeEdges?: boolean;
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
export const DEFAULT_RAYS = 10_000;

/** Resolved options with defaults, also reported by traceLinks. */
export function resolveTraceOptions(o: TracePathsOptions = {}) {
  const maxDepth = o.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > 12) {
    throw new RangeError(`maxDepth must be an integer from 0 to 12, got ${maxDepth}`);
  }
  const rays = o.rays ?? DEFAULT_RAYS;
  const scatteringRays = o.scatteringRays ?? rays;
  for (const [name, v] of [
    ['rays', rays],
    ['scatteringRays', scatteringRays],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  return {
    maxDepth,
    rays,
    scatteringRays,
    los: o.los ?? true,
    specular: o.specular ?? true,
    transmission: o.transmission ?? true,
    scattering: o.scattering ?? true,
    diffraction: o.diffraction ?? true,
    exhaustiveMaxFaces: o.exhaustiveMaxFaces ?? 64,
    exhaustiveMaxDepth: o.exhaustiveMaxDepth ?? 3,
    exhaustiveMaxCandidates: o.exhaustiveMaxCandidates ?? 300_000,
    freeEdges: o.freeEdges ?? true,
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
    private readonly solver: SpecularSolver | null,
    private readonly tol: number,
    private readonly occlusionEps: number,
  ) {}

  /** Build the candidates (yields between chunks of shot rays: progress, cancellation). */
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
    const solver = c.specularOn ? new SpecularSolver(g, tx, c.trie, tol, occlusionEps) : null;
    return new CpuPathTracer(g, tx, o, c, solver, tol, occlusionEps);
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

  /** Paths to every receiver, as a generator that yields between chunks of work. */
  *traceSteps(rxList: readonly Vec3[], control: TraceControl = {}): Generator<void, PathGeometry[][]> {
    rxList.forEach((r, i) => {
      checkPoint(r, `receiver ${i} position`);
    });
    const { g, tx, o, solver, tol, occlusionEps } = this;
    const { trie, records, scatterFace, wedges } = this.candidates;
    const abort = () => control.signal?.throwIfAborted();
    const report = control.onProgress ?? (() => {});
    const result: PathGeometry[][] = [];
    report({ phase: 'receivers', done: 0, total: rxList.length });
    for (let r = 0; r < rxList.length; r++) {
      const rx = rxList[r]!;
      const paths: PathGeometry[] = [];
      if (o.los) {
        const los = losPath(g, tx, rx, occlusionEps);
        if (los) paths.push(los);
      }
      if (solver) {
        for (let node = 1; node < trie.size; node++) {
          const p = solver.solve(node, rx);
          if (p) paths.push(p);
          if ((node & 8191) === 0) {
            yield;
            abort();
          }
        }
      }
      if (records && scatterFace)
        scatteredPaths(g, records, rx, scatterFace, o.maxDepth, tol, occlusionEps, paths);
      if (wedges.length > 0) diffractedPaths(g, wedges, tx, rx, occlusionEps, paths);
      result.push(dedupeAndSort(paths));
      report({ phase: 'receivers', done: r + 1, total: rxList.length });
      yield;
      abort();
    }
    return result;
  }

  trace(rxList: readonly Vec3[], control: TraceControl = {}): Promise<PathGeometry[][]> {
    return runYielding(this.traceSteps(rxList, control), control);
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
): Generator<void, PathGeometry[][]> {
  rxList.forEach((r, i) => {
    checkPoint(r, `receiver ${i} position`);
  });
  const tracer = yield* CpuPathTracer.createSteps(scene, bvh, tx, options, control);
  return yield* tracer.traceSteps(rxList, control);
}

/**
 * Run a generator to its end, yielding to the event loop every ~30 ms so that `control.signal`
 * can abort the run (it rejects with the signal's reason) and progress can be shown.
 */
async function runYielding<T>(it: Generator<void, T>, control: TraceControl): Promise<T> {
  let last = Date.now();
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
    if (Date.now() - last > 30) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      control.signal?.throwIfAborted();
      last = Date.now();
    }
  }
}

const SAME_POINT = 1e-6;

/** Remove geometric duplicates and sort by (length, signature, discovery order). */
export function dedupeAndSort(paths: PathGeometry[]): PathGeometry[] {
  const n = paths.length;
  const len = new Float64Array(n);
  for (let i = 0; i < n; i++) len[i] = paths[i]!.length;
  // signatures only for ties in length (rare), computed lazily
  const sig: (string | undefined)[] = new Array(n);
  const sigOf = (i: number) => {
    let v = sig[i];
    if (v === undefined) {
      v = pathSignature(paths[i]!);
      sig[i] = v;
    }
    return v;
  };
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const d = len[a]! - len[b]!;
    if (d !== 0) return d;
    const sa = sigOf(a);
    const sb = sigOf(b);
    return sa < sb ? -1 : sa > sb ? 1 : a - b;
  });
  const out: PathGeometry[] = [];
  for (let k = 0; k < n; k++) {
    const p = paths[order[k]!]!;
    let dup = false;
    // candidates with (nearly) the same length are adjacent after sorting
    for (let j = out.length - 1; j >= 0 && p.length - out[j]!.length <= 1e-9 * Math.max(1, p.length); j--) {
      if (samePath(out[j]!, p)) {
        dup = true;
        break;
      }
    }
    if (!dup) out.push(p);
  }
  return out;
}

function samePath(a: PathGeometry, b: PathGeometry): boolean {
  if (a.kind !== b.kind || a.interactions.length !== b.interactions.length) return false;
  for (let k = 0; k < a.interactions.length; k++) {
    const x = a.interactions[k]!;
    const y = b.interactions[k]!;
    if (x.type !== y.type) return false;
    if (Math.hypot(x.point[0] - y.point[0], x.point[1] - y.point[1], x.point[2] - y.point[2]) > SAME_POINT)
      return false;
  }
  return true;
}

/** Trace paths, synchronously (tests, workers that do not need to be interrupted mid-run). */
export function tracePathsSync(
  scene: Scene,
  bvh: Bvh | undefined,
  tx: Vec3,
  rxList: readonly Vec3[],
  options: TracePathsOptions = {},
  control: TraceControl = {},
): PathGeometry[][] {
  const it = traceSteps(scene, bvh, tx, rxList, options, control);
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
