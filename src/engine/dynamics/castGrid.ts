/**
 * A uniform grid over the static twin that lists, per cell, the shot rays with a cast crossing
 * it: a timeline step looks up the rays that may come near a moving actor from the cells its box
 * covers, instead of testing every cast of every ray against it (incremental.ts). Casts are
 * walked cell by cell (Amanatides & Woo's traversal, clipped to the grid); rounding can only
 * skip a cell where the cast passes within rounding distance of a visited one, so a query box
 * grown by `QUERY_MARGIN` (far above that distance) finds every cast that meets the box.
 */

/** Growth of a query box (relative to the grid's extent, plus 1 nm absolute). */
const QUERY_MARGIN = 1e-9;

export class CastGrid {
  private readonly lo = new Float64Array(3);
  private readonly cell = new Float64Array(3);
  private readonly n = new Int32Array(3);
  /** rays crossing cell k: cellRays[cellStart[k]], …, cellRays[cellStart[k + 1] − 1], ascending */
  private readonly cellStart: Int32Array;
  private readonly cellRays: Int32Array;
  private readonly margin: number;

  /**
   * `casts`: 7 numbers per cast (origin xyz, unit direction xyz, tmax; Infinity for a cast that
   * left the scene), the casts of ray i being [castStart[i], castStart[i + 1]). `bounds`: the
   * static twin's box (min xyz, max xyz). About `targetCells` cells, cubic where the box allows.
   */
  constructor(
    casts: Float64Array,
    castStart: Int32Array,
    rays: number,
    bounds: ArrayLike<number>,
    targetCells = 8192,
  ) {
    const ext = [0, 1, 2].map((a) => Math.max(bounds[3 + a]! - bounds[a]!, 0));
    const big = Math.max(...ext, 1e-9);
    this.margin = QUERY_MARGIN * big + 1e-9;
    // a flat box (a floor alone) still gets a slab one cell thick
    const vol = ext.reduce((p, e) => p * Math.max(e, big / 64), 1);
    const h = Math.cbrt(vol / targetCells);
    for (let a = 0; a < 3; a++) {
      this.n[a] = Math.max(1, Math.min(256, Math.ceil(ext[a]! / h)));
      // the grid covers the box with one cell to spare on each side
      this.cell[a] = Math.max(ext[a]!, big / 64) / this.n[a]!;
      this.lo[a] = bounds[a]! - this.cell[a]!;
      this.n[a]! += 2;
    }
    const cells = this.n[0]! * this.n[1]! * this.n[2]!;
    // two passes over the casts: count, then fill (each ray once per cell)
    const count = new Int32Array(cells + 1);
    const last = new Int32Array(cells).fill(-1);
    this.walkAll(casts, castStart, rays, last, (k) => {
      count[k]!++;
    });
    this.cellStart = new Int32Array(cells + 1);
    for (let k = 0; k < cells; k++) this.cellStart[k + 1] = this.cellStart[k]! + count[k]!;
    this.cellRays = new Int32Array(this.cellStart[cells]!);
    const fill = this.cellStart.slice(0, cells);
    last.fill(-1);
    this.walkAll(casts, castStart, rays, last, (k, i) => {
      this.cellRays[fill[k]!++] = i;
    });
  }

  private walkAll(
    casts: Float64Array,
    castStart: Int32Array,
    rays: number,
    last: Int32Array,
    visit: (cell: number, ray: number) => void,
  ): void {
    for (let i = 0; i < rays; i++) {
      for (let c = castStart[i]!; c < castStart[i + 1]!; c++) {
        this.walk(casts, 7 * c, (k) => {
          if (last[k] === i) return;
          last[k] = i;
          visit(k, i);
        });
      }
    }
  }

  /** The cells a cast crosses, within the grid (3D DDA). */
  private walk(R: Float64Array, q: number, visit: (cell: number) => void): void {
    const { lo, cell, n } = this;
    // clip o + t·d, t ∈ [0, tmax] to the grid's box
    let t0 = 0;
    let t1 = R[q + 6]!;
    for (let a = 0; a < 3; a++) {
      const o = R[q + a]!;
      const d = R[q + 3 + a]!;
      const b0 = lo[a]!;
      const b1 = lo[a]! + n[a]! * cell[a]!;
      if (d === 0) {
        if (o < b0 || o > b1) return;
        continue;
      }
      const ta = (b0 - o) / d;
      const tb = (b1 - o) / d;
      t0 = Math.max(t0, Math.min(ta, tb));
      t1 = Math.min(t1, Math.max(ta, tb));
      if (!(t0 <= t1)) return;
    }
    const idx = [0, 0, 0];
    const step = [0, 0, 0];
    const tNext = [Infinity, Infinity, Infinity];
    const tDelta = [Infinity, Infinity, Infinity];
    for (let a = 0; a < 3; a++) {
      const o = R[q + a]!;
      const d = R[q + 3 + a]!;
      const p = o + t0 * d;
      idx[a] = Math.min(n[a]! - 1, Math.max(0, Math.floor((p - lo[a]!) / cell[a]!)));
      if (d > 0) {
        step[a] = 1;
        tNext[a] = (lo[a]! + (idx[a]! + 1) * cell[a]! - o) / d;
        tDelta[a] = cell[a]! / d;
      } else if (d < 0) {
        step[a] = -1;
        tNext[a] = (lo[a]! + idx[a]! * cell[a]! - o) / d;
        tDelta[a] = -cell[a]! / d;
      }
    }
    // each step moves one cell along one axis: at most n[0] + n[1] + n[2] cells
    for (let s = n[0]! + n[1]! + n[2]!; s > 0; s--) {
      visit(idx[0]! + n[0]! * (idx[1]! + n[1]! * idx[2]!));
      const a = tNext[0]! <= tNext[1]! ? (tNext[0]! <= tNext[2]! ? 0 : 2) : tNext[1]! <= tNext[2]! ? 1 : 2;
      if (tNext[a]! > t1) return;
      idx[a]! += step[a]!;
      if (idx[a]! < 0 || idx[a]! >= n[a]!) return;
      tNext[a]! += tDelta[a]!;
    }
  }

  /**
   * Mark (near[i] = 1) every ray with a cast that may meet box b[o…o+6) (min xyz, max xyz);
   * false, marking nothing, when the box reaches beyond the grid (the caller tests every ray).
   */
  markNear(b: ArrayLike<number>, o: number, near: Uint8Array): boolean {
    const { lo, cell, n, margin } = this;
    const k0 = [0, 0, 0];
    const k1 = [0, 0, 0];
    for (let a = 0; a < 3; a++) {
      const x0 = b[o + a]! - margin;
      const x1 = b[o + 3 + a]! + margin;
      if (!(x0 >= lo[a]! && x1 <= lo[a]! + n[a]! * cell[a]!)) return false;
      k0[a] = Math.max(0, Math.floor((x0 - lo[a]!) / cell[a]!));
      k1[a] = Math.min(n[a]! - 1, Math.floor((x1 - lo[a]!) / cell[a]!));
    }
    for (let z = k0[2]!; z <= k1[2]!; z++)
      for (let y = k0[1]!; y <= k1[1]!; y++)
        for (let x = k0[0]!; x <= k1[0]!; x++) {
          const k = x + n[0]! * (y + n[1]! * z);
          for (let j = this.cellStart[k]!; j < this.cellStart[k + 1]!; j++) near[this.cellRays[j]!] = 1;
        }
    return true;
  }
}
