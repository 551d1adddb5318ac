import type { Vec3 } from '../core/vec3.ts';
import { gridCell } from '../tracer/gridCells.ts';

/**
 * A horizontal grid of receivers: cells of `cellSize` metres covering [xmin, xmax] × [ymin, ymax]
 * at height z, receivers at the cell centres. Cell (ix, iy) is index iy·nx + ix (row-major, rows
 * along +y), so row 0 is the southern (ymin) edge.
 */
export interface RadioMapGrid {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  z: number;
  cellSize: number;
  nx: number;
  ny: number;
}

export interface GridBounds {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** Grid over the bounds (rounded up to whole cells); throws RangeError on nonsense. */
export function makeGrid(bounds: GridBounds, cellSize: number, z: number): RadioMapGrid {
  const { xmin, ymin, xmax, ymax } = bounds;
  if (![xmin, ymin, xmax, ymax, z].every(Number.isFinite))
    throw new RangeError('radio map bounds and height must be finite numbers');
  if (!(xmax > xmin && ymax > ymin))
    throw new RangeError(
      `radio map bounds need xmin < xmax and ymin < ymax, got ${xmin},${ymin},${xmax},${ymax}`,
    );
  if (!(cellSize > 0) || !Number.isFinite(cellSize))
    throw new RangeError(`cell size must be a positive number of metres, got ${cellSize}`);
  const nx = Math.max(1, Math.ceil((xmax - xmin) / cellSize - 1e-9));
  const ny = Math.max(1, Math.ceil((ymax - ymin) / cellSize - 1e-9));
  if (nx * ny > 50_000_000)
    throw new RangeError(`radio map of ${nx}×${ny} cells is too large (max 50 million)`);
  return { xmin, ymin, xmax: xmin + nx * cellSize, ymax: ymin + ny * cellSize, z, cellSize, nx, ny };
}

export const cellCount = (g: RadioMapGrid): number => g.nx * g.ny;

/** Receiver position (cell centre) of cell i (the tracers' own definition). */
export const cellCenter = (g: RadioMapGrid, i: number): Vec3 => gridCell(g, i);
