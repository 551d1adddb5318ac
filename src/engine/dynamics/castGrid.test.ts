import { describe, expect, it } from 'vitest';
import { CastGrid } from './castGrid.ts';

/** Whether o + t·d, t ∈ [0, tmax], meets box b (closed slab test, no margin). */
function meets(R: Float64Array, q: number, b: ArrayLike<number>): boolean {
  let t0 = 0;
  let t1 = R[q + 6]!;
  for (let a = 0; a < 3; a++) {
    const o = R[q + a]!;
    const d = R[q + 3 + a]!;
    if (d === 0) {
      if (o < b[a]! || o > b[3 + a]!) return false;
      continue;
    }
    const ta = (b[a]! - o) / d;
    const tb = (b[3 + a]! - o) / d;
    t0 = Math.max(t0, Math.min(ta, tb));
    t1 = Math.min(t1, Math.max(ta, tb));
    if (t0 > t1) return false;
  }
  return true;
}

function random(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

describe('cast grid (timeline steps: the shot rays near a moving actor)', () => {
  const cases = [
    { name: 'a room', bounds: [-5, -3, 0, 5, 3, 3] },
    { name: 'a flat floor', bounds: [-20, -20, 0, 20, 20, 0] },
    { name: 'a street far from the origin', bounds: [4000, 300, 0, 4400, 330, 25] },
  ];
  for (const { name, bounds } of cases) {
    it(`finds every ray with a cast that meets a box, in ${name}`, () => {
      const r = random(7);
      const rays = 400;
      const castStart = new Int32Array(rays + 1);
      const list: number[] = [];
      const ext = [0, 1, 2].map((a) => bounds[3 + a]! - bounds[a]!);
      const inside = () => [0, 1, 2].map((a) => bounds[a]! + r() * ext[a]!);
      for (let i = 0; i < rays; i++) {
        castStart[i] = list.length / 7;
        const casts = 1 + Math.floor(r() * 4);
        for (let c = 0; c < casts; c++) {
          const o = inside();
          // axis-aligned directions too (d = 0 on two axes), and casts that leave the scene
          let d = [r() - 0.5, r() - 0.5, r() - 0.5];
          if (r() < 0.15) {
            const axis = Math.floor(r() * 3);
            d = [0, 1, 2].map((a) => (a === axis ? (r() < 0.5 ? 1 : -1) : 0));
          }
          const l = Math.hypot(...d);
          const tmax = r() < 0.2 ? Infinity : r() * 1.5 * Math.max(...ext);
          list.push(...o, ...d.map((x) => x / l), tmax);
        }
      }
      castStart[rays] = list.length / 7;
      const casts = Float64Array.from(list);
      const grid = new CastGrid(casts, castStart, rays, bounds, 512);
      let hits = 0;
      for (let k = 0; k < 300; k++) {
        const c = inside();
        const h = [0, 1, 2].map((a) => r() * 0.1 * Math.max(ext[a]!, 1e-3));
        // boxes on cell-sized and tiny scales, some flat, some touching a cast's end exactly
        // within the twin's box (one beyond the grid's cells is refused: see below)
        const box = [0, 1, 2]
          .map((a) => Math.max(bounds[a]!, c[a]! - h[a]!))
          .concat([0, 1, 2].map((a) => Math.min(bounds[3 + a]!, c[a]! + h[a]!)));
        if (k % 10 === 0) {
          const q = 7 * Math.floor(r() * (casts.length / 7));
          const end = [0, 1, 2].map((a) => casts[q + a]!);
          box.splice(0, 6, ...end, ...end);
        }
        const near = new Uint8Array(rays);
        expect(grid.markNear(box, 0, near)).toBe(true);
        for (let i = 0; i < rays; i++) {
          let m = false;
          for (let q = castStart[i]!; q < castStart[i + 1]! && !m; q++) m = meets(casts, 7 * q, box);
          if (m) {
            hits++;
            expect(near[i], `ray ${i}, box ${box.join(' ')}`).toBe(1);
          }
        }
        // the grid narrows the search (not every ray is a candidate)
        if (k === 0) expect(near.reduce((s, x) => s + x, 0)).toBeLessThan(rays);
      }
      expect(hits).toBeGreaterThan(300);
    });
  }

  it('refuses a box beyond its cells, so that the caller tests every ray', () => {
    const casts = Float64Array.from([0, 0, 1, 1, 0, 0, Infinity]);
    const grid = new CastGrid(casts, Int32Array.from([0, 1]), 1, [-1, -1, 0, 1, 1, 2]);
    const near = new Uint8Array(1);
    expect(grid.markNear([50, -0.1, 0.9, 51, 0.1, 1.1], 0, near)).toBe(false);
    expect(grid.markNear([0.5, -0.1, 0.9, 0.6, 0.1, 1.1], 0, near)).toBe(true);
    expect(near[0]).toBe(1);
  });
});
