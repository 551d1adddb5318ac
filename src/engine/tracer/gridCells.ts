import type { Vec3 } from '../core/vec3.ts';

/** A horizontal receiver grid as the tracers read it (radiomap/grid.ts RadioMapGrid is one). */
export interface ReceiverGrid {
  xmin: number;
  ymin: number;
  cellSize: number;
  nx: number;
  ny: number;
  z: number;
}

/** Receiver position (cell centre) of cell i = iy·nx + ix. */
export function gridCell(g: ReceiverGrid, i: number): Vec3 {
  const ix = i % g.nx;
  const iy = Math.floor(i / g.nx);
  return [g.xmin + (ix + 0.5) * g.cellSize, g.ymin + (iy + 0.5) * g.cellSize, g.z];
}

/** Receivers of cells [first, end), in cell order. */
export function gridCells(g: ReceiverGrid, first: number, end: number): Vec3[] {
  const out: Vec3[] = [];
  for (let i = first; i < end; i++) out.push(gridCell(g, i));
  return out;
}
