import type { Vec3 } from '../../core/vec3.ts';
import { ChildTable } from './childTable.ts';
import { castRay, lastHit } from './rayCast.ts';
import { planeDistance, type TracerGeometry } from './tracerGeometry.ts';

/**
 * Candidate interaction sequences for the image method, stored as a trie: node 0 is the empty
 * sequence (LoS), each other node appends one interaction (face, type) to its parent's sequence.
 * Built by the beam tree (beamTree.ts) and, beyond its budget, by shot rays (shootRays below).
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
  /** child lookup: (parent, 2·face + type) → node (one table for the whole trie, childTable.ts) */
  private readonly children: ChildTable;

  /** `capacity`: the nodes expected (the lookup is sized for them once) */
  constructor(capacity?: number) {
    this.children = new ChildTable(capacity);
  }

  get size(): number {
    return this.parent.length;
  }

  /** The child of `node` for (face, type), or −1 when there is none. */
  find(node: number, face: number, type: number): number {
    return this.children.get(node, 2 * face + type);
  }

  /** The child of `node` for (face, type), created when missing. */
  child(node: number, face: number, type: number): number {
    const existing = this.children.get(node, 2 * face + type);
    if (existing >= 0) return existing;
    const id = this.parent.length;
    this.parent.push(node);
    this.face.push(face);
    this.type.push(type);
    this.depth.push(this.depth[node]! + 1);
    this.children.set(node, 2 * face + type, id);
    return id;
  }

  /** A trie with these nodes (built elsewhere, node 0 the root), its child lookup rebuilt. */
  static of(parent: ArrayLike<number>, face: ArrayLike<number>, type: ArrayLike<number>): CandidateTrie {
    const trie = new CandidateTrie(parent.length);
    for (let v = 1; v < parent.length; v++) {
      const id = trie.child(parent[v]!, face[v]!, type[v]!);
      if (id !== v) throw new Error(`candidate trie: node ${v} is not in creation order`);
    }
    return trie;
  }

  /** Drop the nodes from `size` on (the last ones created), keeping the first `size`. */
  truncate(size: number): void {
    for (let v = size; v < this.parent.length; v++)
      this.children.delete(this.parent[v]!, 2 * this.face[v]! + this.type[v]!);
    this.parent.length = size;
    this.face.length = size;
    this.type.length = size;
    this.depth.length = size;
  }

  /** The interaction sequence of a node, first interaction first: [face, type] pairs. */
  sequence(node: number): [number, number][] {
    const out: [number, number][] = [];
    for (let v = node; v > 0; v = this.parent[v]!) out.push([this.face[v]!, this.type[v]!]);
    return out.reverse();
  }
}

/**
 * Transmitter images of trie nodes [from, trie.size) into `images` (3 per node, grown as
 * needed; node 0 = the source): a reflection mirrors the parent's image in the face's plane,
 * a transmission keeps it (no bending).
 */
export function extendImages(
  g: TracerGeometry,
  source: Vec3,
  trie: CandidateTrie,
  images: Float64Array,
  from: number,
): Float64Array {
  const n = trie.size;
  if (images.length < 3 * n) {
    const grown = new Float64Array(Math.max(3 * n, 2 * images.length));
    grown.set(images);
    images = grown;
  }
  if (from === 0) {
    images[0] = source[0];
    images[1] = source[1];
    images[2] = source[2];
    from = 1;
  }
  for (let i = from; i < n; i++) {
    const p = trie.parent[i]!;
    const x = images[3 * p]!,
      y = images[3 * p + 1]!,
      z = images[3 * p + 2]!;
    if (trie.type[i] === REFLECTION) {
      const f = trie.face[i]!;
      const d = planeDistance(g, f, x, y, z);
      images[3 * i] = x - 2 * d * g.facePlane[4 * f]!;
      images[3 * i + 1] = y - 2 * d * g.facePlane[4 * f + 1]!;
      images[3 * i + 2] = z - 2 * d * g.facePlane[4 * f + 2]!;
    } else {
      images[3 * i] = x;
      images[3 * i + 1] = y;
      images[3 * i + 2] = z;
    }
  }
  return images;
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
