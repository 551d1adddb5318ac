import type { Vec3 } from '../../core/vec3.ts';
import { castRay, lastHit } from './rayCast.ts';
import { coplanarFaces, planeDistance, type TracerGeometry } from './tracerGeometry.ts';

/**
 * Candidate interaction sequences for the image method, stored as a trie: node 0 is the empty
 * sequence (LoS), each other node appends one interaction (face, type) to its parent's sequence.
 * Children are always created after their parent, so `parent[i] < i` and a single pass in index
 * order can compute per-node data that depends on the parent (the image of the transmitter).
 *
 * Interaction type codes: 0 = specular reflection, 1 = transmission (straight through).
 */
export const REFLECTION = 0;
export const TRANSMISSION = 1;

export class CandidateTrie {
  parent: number[] = [-1];
  face: number[] = [-1];
  type: number[] = [-1];
  depth: number[] = [0];
  private children: (Map<number, number> | undefined)[] = [undefined];

  get size(): number {
    return this.parent.length;
  }

  /** The child of `node` for (face, type), created when missing. */
  child(node: number, face: number, type: number): number {
    let m = this.children[node];
    if (!m) {
      m = new Map();
      this.children[node] = m;
    }
    const key = 2 * face + type;
    const existing = m.get(key);
    if (existing !== undefined) return existing;
    const id = this.parent.length;
    this.parent.push(node);
    this.face.push(face);
    this.type.push(type);
    this.depth.push(this.depth[node]! + 1);
    this.children.push(undefined);
    m.set(key, id);
    return id;
  }
}

/**
 * Directions of the Fibonacci (golden-angle) sphere: i-th of n, z = 1 − (2i+1)/n, azimuth
 * i·π(3 − √5). Nearly uniform, deterministic, and each ray stands for a solid angle 4π/n.
 */
export function fibonacciDirection(i: number, n: number, out: Float64Array): void {
  const z = 1 - (2 * i + 1) / n;
  const r = Math.sqrt(Math.max(0, 1 - z * z));
  const phi = i * Math.PI * (3 - Math.sqrt(5));
  out[0] = r * Math.cos(phi);
  out[1] = r * Math.sin(phi);
  out[2] = z;
}

/**
 * Hits of the shot rays, kept as a forest: each record is one hit of a ray (or of one of its
 * reflected/transmitted branches). Used as diffuse scattering points: the record's ancestors are
 * the specular prefix of the path, the record itself is the scattering interaction.
 */
export class HitRecords {
  /** 3 per record: hit point */
  points: number[] = [];
  face: number[] = [];
  /** parent record (−1 when the ray came straight from the transmitter) */
  parent: number[] = [];
  /** interaction type at the parent record that led here (REFLECTION or TRANSMISSION) */
  via: number[] = [];
  /** number of interactions up to and including this hit */
  depth: number[] = [];
  /** unfolded length from the transmitter to the hit (m) */
  length: number[] = [];
  /** ray-tube footprint r²·dΩ/|cos θi| (m²): over a surface, the footprints sum to its area */
  area: number[] = [];
  /** +1 / −1: side of the face's plane the ray arrived from */
  side: number[] = [];

  get size(): number {
    return this.face.length;
  }
}

export interface ShootOptions {
  rays: number;
  maxDepth: number;
  reflection: boolean;
  transmission: boolean;
  /** smallest accepted hit distance (m), so that a ray does not re-hit the point it leaves */
  minT: number;
}

/**
 * Shoot `rays` rays from the transmitter along the Fibonacci sphere and follow them through up
 * to maxDepth interactions. At every hit both continuations that are enabled are followed
 * (reflection first, then transmission), depth-first, so the order of records and trie nodes is
 * deterministic. Every hit adds the interaction sequence ending with it to `trie` (one node per
 * enabled type) and, when `records` is given, a hit record. Rays [startRay, endRay) of the n-ray
 * sphere are shot (chunks for progress); `shouldStop` is polled every 256 rays.
 */
export function shootRays(
  g: TracerGeometry,
  tx: Vec3,
  opts: ShootOptions,
  trie: CandidateTrie | null,
  records: HitRecords | null,
  shouldStop?: () => boolean,
  startRay = 0,
  endRay = opts.rays,
): void {
  const dir = new Float64Array(3);
  const dOmega = (4 * Math.PI) / opts.rays;
  // explicit stack of branches: origin, direction, trie node, record, depth, unfolded length, skip face
  const so: number[] = [];
  for (let i = startRay; i < endRay; i++) {
    if (shouldStop && (i & 255) === 0 && shouldStop()) return;
    fibonacciDirection(i, opts.rays, dir);
    so.length = 0;
    so.push(tx[0], tx[1], tx[2], dir[0]!, dir[1]!, dir[2]!, 0, -1, 0, 0, -1, -1);
    while (so.length > 0) {
      const via = so.pop()!;
      const skip = so.pop()!;
      const len0 = so.pop()!;
      const depth = so.pop()!;
      const rec = so.pop()!;
      const node = so.pop()!;
      const dz = so.pop()!;
      const dy = so.pop()!;
      const dx = so.pop()!;
      const oz = so.pop()!;
      const oy = so.pop()!;
      const ox = so.pop()!;
      if (!castRay(g, ox, oy, oz, dx, dy, dz, opts.minT, Infinity, skip, -1)) continue;
      const t = lastHit.t;
      const f = g.scene.triangleFace[lastHit.triangle]!;
      const hx = ox + t * dx,
        hy = oy + t * dy,
        hz = oz + t * dz;
      const nx = g.facePlane[4 * f]!,
        ny = g.facePlane[4 * f + 1]!,
        nz = g.facePlane[4 * f + 2]!;
      const cosI = dx * nx + dy * ny + dz * nz;
      const len = len0 + t;
      let recId = -1;
      if (records) {
        recId = records.size;
        records.points.push(hx, hy, hz);
        records.face.push(f);
        records.parent.push(rec);
        records.via.push(via);
        records.depth.push(depth + 1);
        records.length.push(len);
        records.area.push((len * len * dOmega) / Math.max(Math.abs(cosI), 1e-6));
        records.side.push(cosI < 0 ? 1 : -1);
      }
      const d1 = depth + 1;
      // push transmission first so that reflection is popped (followed) first
      if (opts.transmission) {
        const child = trie ? trie.child(node, f, TRANSMISSION) : -1;
        if (d1 < opts.maxDepth) so.push(hx, hy, hz, dx, dy, dz, child, recId, d1, len, f, TRANSMISSION);
      }
      if (opts.reflection) {
        const child = trie ? trie.child(node, f, REFLECTION) : -1;
        if (d1 < opts.maxDepth) {
          const rx = dx - 2 * cosI * nx,
            ry = dy - 2 * cosI * ny,
            rz = dz - 2 * cosI * nz;
          so.push(hx, hy, hz, rx, ry, rz, child, recId, d1, len, f, REFLECTION);
        }
      }
    }
  }
}

/**
 * Bits per ordered face pair (i, j): 1 when face j has a vertex strictly on the positive side
 * of face i's plane, 2 when strictly on the negative side. Used to prune exhaustive sequences.
 */
export function faceSideTable(g: TracerGeometry, tol: number): Uint8Array {
  const F = g.faceCount;
  const p = g.scene.positions;
  const table = new Uint8Array(F * F);
  for (let i = 0; i < F; i++) {
    for (let j = 0; j < F; j++) {
      if (i === j) continue;
      let bits = 0;
      for (let k = g.faceTriStart[j]!; k < g.faceTriStart[j + 1]! && bits !== 3; k++) {
        const t = g.faceTriangles[k]!;
        for (let v = 0; v < 3; v++) {
          const d = planeDistance(g, i, p[9 * t + 3 * v]!, p[9 * t + 3 * v + 1]!, p[9 * t + 3 * v + 2]!);
          if (d > tol) bits |= 1;
          else if (d < -tol) bits |= 2;
        }
      }
      table[i * F + j] = bits;
    }
  }
  return table;
}

/** Upper bound on the number of sequences of length ≤ depth over F faces and `types` types. */
export function exhaustiveCount(F: number, depth: number, types: number): number {
  let total = 0;
  let level = 1;
  for (let d = 1; d <= depth; d++) {
    level *= (d === 1 ? F : F - 1) * types;
    total += level;
  }
  return total;
}

/**
 * Add every interaction sequence of length ≤ depth to the trie, pruned by geometry that holds
 * for any receiver:
 * - a face never follows a face in the same plane (a ray leaving a plane cannot meet it again);
 * - the path leaves face k on a known side s (the transmitter's side for k = 1, or the side on
 *   which the whole previous face lies); a reflection keeps s, a transmission flips it; the
 *   next face must then have a vertex strictly on side s.
 */
export function enumerateExhaustive(
  g: TracerGeometry,
  tx: Vec3,
  trie: CandidateTrie,
  depth: number,
  reflection: boolean,
  transmission: boolean,
  tol: number,
): void {
  const F = g.faceCount;
  const sides = faceSideTable(g, tol);
  const types: number[] = [];
  if (reflection) types.push(REFLECTION);
  if (transmission) types.push(TRANSMISSION);
  // side (+1/−1/0 unknown) from which the path arrives at face f after previous face prev
  const arrival = (prev: number, f: number): number => {
    if (prev < 0) {
      const d = planeDistance(g, f, tx[0], tx[1], tx[2]);
      return d > tol ? 1 : d < -tol ? -1 : 0;
    }
    const bits = sides[f * F + prev]!;
    return bits === 1 ? 1 : bits === 2 ? -1 : 0;
  };
  const visit = (node: number, prev: number, leave: number, d: number): void => {
    if (d === depth) return;
    for (let f = 0; f < F; f++) {
      if (prev >= 0 && (f === prev || coplanarFaces(g, prev, f, tol))) continue;
      if (prev >= 0 && leave !== 0 && (sides[prev * F + f]! & (leave > 0 ? 1 : 2)) === 0) continue;
      const arrive = arrival(prev, f);
      if (prev < 0 && arrive === 0) continue; // transmitter on the face's plane
      for (const type of types) {
        const child = trie.child(node, f, type);
        const out = arrive === 0 ? 0 : type === REFLECTION ? arrive : -arrive;
        visit(child, f, out, d + 1);
      }
    }
  };
  visit(0, -1, 0, 0);
}
