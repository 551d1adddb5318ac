import type { Vec3 } from '../../core/vec3.ts';
import type { Scene } from '../../scene/types.ts';
import type { Bvh } from '../bvh.ts';
import { BeamTree } from './beamTree.ts';
import {
  buildCandidates,
  type CandidateSet,
  cacheKey,
  candidateCache,
  perFace,
  tracerTolerances,
} from './candidateSet.ts';
import { CandidateTrie, HitRecords } from './candidates.ts';
import { resolveTraceOptions, type TracePathsOptions } from './tracePaths.ts';
import { tracerGeometry } from './tracerGeometry.ts';

/**
 * A transmitter's candidate set (candidateSet.ts) as plain typed arrays, so that a worker pool
 * builds it once, on the thread that sends the work, and every worker takes it instead of
 * building it again (the set-up is most of a small job's time). The arrays live in a
 * SharedArrayBuffer where the platform allows one (Node worker threads; a cross-origin isolated
 * page), else in ordinary buffers that a message copies. Only sets complete to maxDepth, with every
 * level built, travel: nothing is added to those later (an incomplete tree is extended by the
 * receiver search, a listed last level per receiver, so they belong to one tracer). The per-face parts (scattering faces, wedges) depend on the scene
 * alone and are rebuilt by the receiver.
 */
export interface SharedCandidates {
  tx: Vec3;
  /** the trace options the set was built for, as given (resolved on both sides alike) */
  options: TracePathsOptions;
  specularOn: boolean;
  tree: {
    parent: Int32Array;
    face: Int32Array;
    type: Int32Array;
    images: Float64Array;
    beams: {
      kind: Uint8Array;
      start: Int32Array;
      planes: Float64Array;
      aperture: Float64Array;
      size: number;
    };
    levelStart: number[];
    completeDepth: number;
    overBudget: boolean;
    lastLevelBeams: boolean;
  };
  /** HitRecords' columns, one array each (null when scattering is off) */
  records: Record<RecordColumn, Float64Array> | null;
}

const RECORD_COLUMNS = ['points', 'face', 'parent', 'via', 'depth', 'length', 'area', 'side'] as const;
type RecordColumn = (typeof RECORD_COLUMNS)[number];

/**
 * Build (or take from the cache) the candidate set of `tx` for `options` and share it; null when
 * the set is not complete to maxDepth (see above).
 */
export function shareCandidates(
  scene: Scene,
  bvh: Bvh,
  tx: Vec3,
  options: TracePathsOptions,
): SharedCandidates | null {
  const o = resolveTraceOptions(options);
  const set = buildCandidates(tracerGeometry(scene, bvh), tx, o);
  const { tree } = set;
  if (set.specularOn && tree.completeDepth < o.maxDepth) return null;
  // a tree whose last level is listed, not built (few receivers, beamTree.ts) grows that level
  // per receiver: it belongs to one tracer, as an incomplete one does
  if (tree.lazyFaces) return null;
  const n = tree.trie.size;
  const beams = tree.beams;
  return {
    tx: [tx[0], tx[1], tx[2]],
    options,
    specularOn: set.specularOn,
    tree: {
      parent: shared(Int32Array, tree.trie.parent),
      face: shared(Int32Array, tree.trie.face),
      type: shared(Int32Array, tree.trie.type),
      images: shared(Float64Array, tree.images.subarray(0, 3 * n)),
      beams: {
        kind: shared(Uint8Array, beams.kind.subarray(0, beams.size)),
        start: shared(Int32Array, beams.start.subarray(0, beams.size + 1)),
        planes: shared(Float64Array, beams.planes.subarray(0, 4 * beams.start[beams.size]!)),
        aperture: shared(Float64Array, beams.aperture.subarray(0, 6 * beams.size)),
        size: beams.size,
      },
      levelStart: [...tree.levelStart],
      completeDepth: tree.completeDepth,
      overBudget: tree.overBudget,
      lastLevelBeams: tree.lastLevelBeams,
    },
    records: set.records
      ? (Object.fromEntries(
          RECORD_COLUMNS.map((c) => [c, shared(Float64Array, (set.records as HitRecords)[c])]),
        ) as Record<RecordColumn, Float64Array>)
      : null,
  };
}

/**
 * Put a shared set into this thread's candidate cache, for this thread's copy of the scene, so
 * that its tracers of `s.tx` with `s.options` find it there instead of building it.
 */
export function adoptCandidates(scene: Scene, bvh: Bvh, s: SharedCandidates): void {
  const g = tracerGeometry(scene, bvh);
  const o = resolveTraceOptions(s.options);
  const { tol } = tracerTolerances(g);
  const t = s.tree;
  const tree = new BeamTree(g, s.tx, o.specular, o.transmission, tol, Infinity, t.lastLevelBeams);
  tree.adopt({ ...t, trie: CandidateTrie.of(t.parent, t.face, t.type) });
  let records: HitRecords | null = null;
  if (s.records) {
    const r = new HitRecords();
    for (const c of RECORD_COLUMNS) r[c] = Array.from(s.records[c]);
    records = r;
  }
  const set: CandidateSet = { tree, records, specularOn: s.specularOn, ...perFace(g, o) };
  candidateCache.put(g, cacheKey(s.tx, o), set, o.maxDepth);
}

/** A copy of `from` in shared memory where there is any (see SharedCandidates). */
function shared<T extends Int32Array | Float64Array | Uint8Array>(
  Type: { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  from: ArrayLike<number>,
): T {
  const bytes = from.length * Type.BYTES_PER_ELEMENT;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  const buffer =
    typeof SharedArrayBuffer !== 'undefined' && isolated !== false
      ? new SharedArrayBuffer(bytes)
      : new ArrayBuffer(bytes);
  const out = new Type(buffer);
  (out as unknown as { set(a: ArrayLike<number>): void }).set(from);
  return out;
}
