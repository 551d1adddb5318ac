import type { Vec3 } from '../../core/vec3.ts';
import type { PathGeometry } from '../path.ts';
import { CandidateTrie, enumerateExhaustive, exhaustiveCount, HitRecords, shootRays } from './candidates.ts';
import { segmentOccluded } from './rayCast.ts';
import type { ResolvedTraceOptions, TraceControl } from './tracePaths.ts';
import type { TracerGeometry } from './tracerGeometry.ts';
import { sceneWedges, type Wedge } from './wedges.ts';

/**
 * Everything the path search prepares once per transmitter, before any receiver: the candidate
 * trie, the scattering hit records, which faces scatter, and the diffraction wedges. The CPU
 * reference (tracePaths.ts) and the WebGPU tracer (gpu/tracePathsGpu.ts) both call this one
 * function, so their path sets are built from the same candidates and cannot drift apart.
 */
export interface CandidateSet {
  trie: CandidateTrie;
  /** hits of the shot rays, the diffuse scattering points (null when scattering is off) */
  records: HitRecords | null;
  /** reflections or transmissions are searched (the trie holds more than the LoS root) */
  specularOn: boolean;
  /** 1 for faces of scattering objects (null when scattering is off) */
  scatterFace: Uint8Array | null;
  wedges: Wedge[];
}

/**
 * Tolerances relative to the scene size: `tol` for plane-side and coplanarity tests,
 * `occlusionEps` for the clearance of visibility tests (also the smallest accepted hit distance
 * of shot rays, so a ray does not re-hit the point it leaves).
 */
export function tracerTolerances(g: TracerGeometry): { tol: number; occlusionEps: number } {
  return { tol: Math.max(1e-7, 1e-9 * g.size), occlusionEps: Math.max(1e-6, 1e-8 * g.size) };
}

/** Rays per chunk of work between yields (progress, cancellation). */
const CHUNK = 2048;

/**
 * Build the candidate set as a generator that yields between chunks of shot rays; reports
 * 'candidates' progress and checks `control.signal` after each chunk.
 * - exhaustive enumeration (pruned, candidates.ts) up to the deepest level whose sequence count
 *   stays under exhaustiveMaxCandidates, when the scene has ≤ exhaustiveMaxFaces faces;
 * - rays on the Fibonacci sphere for the deeper sequences; their hits also become the
 *   scattering records, in the same pass when scatteringRays = rays, else in a second pass.
 */
export function* candidateSteps(
  g: TracerGeometry,
  tx: Vec3,
  o: ResolvedTraceOptions,
  control: TraceControl = {},
): Generator<void, CandidateSet> {
  const { tol, occlusionEps } = tracerTolerances(g);
  const abort = () => control.signal?.throwIfAborted();
  const report = control.onProgress ?? (() => {});
  const specularOn = (o.specular || o.transmission) && o.maxDepth >= 1;
  const trie = new CandidateTrie();
  const scatteringOn =
    o.scattering && o.maxDepth >= 1 && (!o.scatteringObjects || o.scatteringObjects.length > 0);
  const shoot = {
    maxDepth: o.maxDepth,
    reflection: o.specular,
    transmission: o.transmission,
    minT: occlusionEps,
  };
  let raysForCandidates = false;
  if (specularOn) {
    const types = (o.specular ? 1 : 0) + (o.transmission ? 1 : 0);
    let dE = 0;
    if (g.faceCount <= o.exhaustiveMaxFaces) {
      for (let d = 1; d <= Math.min(o.maxDepth, o.exhaustiveMaxDepth); d++) {
        if (exhaustiveCount(g.faceCount, d, types) <= o.exhaustiveMaxCandidates) dE = d;
      }
    }
    if (dE > 0) enumerateExhaustive(g, tx, trie, dE, o.specular, o.transmission, tol);
    raysForCandidates = dE < o.maxDepth;
  }
  const sharedPass = raysForCandidates && scatteringOn && o.scatteringRays === o.rays;
  const records = scatteringOn ? new HitRecords() : null;
  const totalRays = (raysForCandidates ? o.rays : 0) + (scatteringOn && !sharedPass ? o.scatteringRays : 0);
  let raysDone = 0;
  const passes: { rays: number; trie: CandidateTrie | null; records: HitRecords | null }[] = [];
  if (raysForCandidates) passes.push({ rays: o.rays, trie, records: sharedPass ? records : null });
  if (scatteringOn && !sharedPass) passes.push({ rays: o.scatteringRays, trie: null, records });
  for (const pass of passes) {
    const n = pass.rays;
    for (let i = 0; i < n; i += CHUNK) {
      shootRays(g, tx, { ...shoot, rays: n }, pass.trie, pass.records, undefined, i, Math.min(n, i + CHUNK));
      raysDone += Math.min(CHUNK, n - i);
      report({ phase: 'candidates', done: raysDone, total: totalRays });
      yield;
      abort();
    }
  }
  let scatterFace: Uint8Array | null = null;
  if (scatteringOn) {
    scatterFace = new Uint8Array(g.faceCount);
    const objects = o.scatteringObjects ? new Set(o.scatteringObjects) : null;
    for (let f = 0; f < g.faceCount; f++) scatterFace[f] = !objects || objects.has(g.faceObject[f]!) ? 1 : 0;
  }
  let wedges: Wedge[] = [];
  if (o.diffraction && o.maxDepth >= 1) {
    const w = sceneWedges(g);
    wedges = o.freeEdges ? [...w.wedges, ...w.freeEdges] : w.wedges;
  }
  return { trie, records, specularOn, scatterFace, wedges };
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
  const length = Math.hypot(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]);
  if (!(length > 0)) return null;
  if (segmentOccluded(g, tx[0], tx[1], tx[2], rx[0], rx[1], rx[2], -1, -1, occlusionEps)) return null;
  return { kind: 'los', interactions: [], length };
}
