import type { Vec3 } from '../../core/vec3.ts';
import { BEAM_ALL, BEAM_EMPTY, type CandidateBeams } from './beams.ts';
import { PointIndex } from './pointIndex.ts';

/**
 * Receiver-side culling of the CPU search: which candidate beams hold which receivers, found
 * beam by beam through a box tree over the receivers (PointIndex) instead of testing every
 * (candidate, receiver) pair. A beam then costs about the receivers on its boundary rather than
 * all of them, so a radio-map tile or a long link list solves only the candidates that can
 * reach each receiver. The test per pair is beams.ts beamContains's (N·x − d ≥ 0 for every
 * half-space), so the lists hold exactly the nodes the full loop would solve, ascending.
 *
 * `start[r]…start[r + 1]` indexes `nodes` for receiver r (relative to the block's first).
 */
export interface ReceiverBins {
  start: Int32Array;
  nodes: Int32Array;
}

/**
 * Pairs one block may hold (4 bytes each in its lists, twice that while they are built); a larger
 * block is split in halves.
 */
export const MAX_BIN_PAIRS = 1 << 23;

/** Nodes between yields while binning (progress, cancellation). */
const NODE_CHUNK = 8192;

/**
 * Bins of receivers [r0, r1) for the nodes [1, nodes) of `beams`, or null when they would hold
 * more than `maxPairs` pairs (the caller splits the block). A generator: yields every
 * NODE_CHUNK nodes.
 */
export function* receiverBins(
  beams: CandidateBeams,
  nodes: number,
  rx: readonly Vec3[],
  r0: number,
  r1: number,
  maxPairs = MAX_BIN_PAIRS,
): Generator<void, ReceiverBins | null> {
  const n = r1 - r0;
  const points = new Float64Array(3 * n);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = rx[r0 + i]!;
    points[3 * i] = p[0];
    points[3 * i + 1] = p[1];
    points[3 * i + 2] = p[2];
    ids[i] = i;
  }
  const index = new PointIndex(points, ids);
  // One pass over the beams, whose queries are the binning's cost: the receivers each beam
  // holds, in node order, node v's ending at nodeEnd[v]. (Querying every beam twice, once to
  // count and once to fill, sized the lists exactly for twice the time.)
  let hits = new Int32Array(1024);
  let total = 0;
  const nodeEnd = new Int32Array(nodes);
  const add = (r: number) => {
    if (total === hits.length) {
      // never past the budget plus one beam's receivers: the loop gives up beyond the budget
      const more = new Int32Array(Math.min(2 * hits.length, maxPairs + n));
      more.set(hits);
      hits = more;
    }
    hits[total++] = r;
  };
  for (let v = 1; v < nodes; v++) {
    const kind = beams.kind[v]!;
    if (kind === BEAM_ALL) index.all(add);
    else if (kind !== BEAM_EMPTY) index.query(beams.planes, beams.start[v]!, beams.start[v + 1]!, add);
    nodeEnd[v] = total;
    if (total > maxPairs) return null;
    if (v % NODE_CHUNK === 0) yield;
  }
  // counting sort by receiver, stable: each receiver's nodes stay ascending
  const start = new Int32Array(n + 1);
  for (let k = 0; k < total; k++) start[hits[k]! + 1]!++;
  for (let r = 0; r < n; r++) start[r + 1]! += start[r]!;
  const list = new Int32Array(total);
  const next = start.slice(0, n);
  for (let v = 1, k = 0; v < nodes; v++) {
    for (const end = nodeEnd[v]!; k < end; k++) list[next[hits[k]!]!++] = v;
  }
  return { start, nodes: list };
}
