import type { Vec3 } from '../core/vec3.ts';
import { cellCount, type RadioMapGrid } from './grid.ts';
import { emptyCells, type RadioMap, type RowRange } from './radioMap.ts';

/**
 * A radio map in parts: the tiles of a job that leaves the machine (`rftwin radiomap --tiles K
 * --tile i`, Slurm array tasks) and the blocks of a worker pool are runs of whole grid rows
 * (computeRadioMap's `rows`); a part's cells equal the whole map's bit for bit, so assembling the
 * parts gives the map a single run computes. Assembly never fills a gap or picks between two
 * parts: missing, overlapping or foreign parts are refused, naming the part.
 */

/** K contiguous row ranges covering a grid of `ny` rows, as even as whole rows allow. */
export function rowBlocks(ny: number, k: number): RowRange[] {
  if (!(Number.isInteger(k) && k >= 1))
    throw new RangeError(`a map splits into a whole number ≥ 1 of parts, got ${k}`);
  if (k > ny)
    throw new RangeError(`a map of ${ny} row(s) splits into at most ${ny} parts of whole rows, got ${k}`);
  return Array.from({ length: k }, (_, i) => ({
    start: Math.floor((i * ny) / k),
    end: Math.floor(((i + 1) * ny) / k),
  }));
}

/** Why parts cannot make one map, or undefined. `names[i]` names part i in the message. */
export function partsProblem(
  grid: RadioMapGrid,
  parts: readonly { rows: RowRange }[],
  names: readonly string[],
): string | undefined {
  const order = parts.map((_, i) => i).sort((a, b) => parts[a]!.rows.start - parts[b]!.rows.start);
  let next = 0;
  let previous: number | undefined;
  for (const i of order) {
    const { start, end } = parts[i]!.rows;
    if (start > next)
      return `rows ${next}..${start - 1} of ${grid.ny} are in no part${previous === undefined ? '' : ` (a part is missing after ${names[previous]})`}`;
    if (start < next)
      return `${names[i]} (rows ${start}..${end - 1}) overlaps ${names[previous!]}: a part is given twice or the parts come from different splits`;
    next = end;
    previous = i;
  }
  if (next < grid.ny)
    return `rows ${next}..${grid.ny - 1} of ${grid.ny} are in no part (a part is missing after ${previous === undefined ? 'the start' : names[previous]})`;
  return undefined;
}

/**
 * The whole map from its parts (in any order; all of one computation: same grid, transmitters,
 * settings). Throws RangeError where partsProblem finds a gap or an overlap.
 */
export function assembleRadioMap(parts: readonly RadioMap[], names?: readonly string[]): RadioMap {
  if (parts.length === 0) throw new RangeError('no parts to assemble a map from');
  const grid = parts[0]!.grid;
  const ranges = parts.map((p) => ({ rows: p.rows ?? { start: 0, end: grid.ny } }));
  const problem = partsProblem(grid, ranges, names ?? parts.map((_, i) => `part ${i}`));
  if (problem) throw new RangeError(problem);
  const n = cellCount(grid);
  const first = parts[0]!;
  const map: RadioMap = {
    grid,
    frequencyHz: first.frequencyHz,
    tx: [...first.tx] as Vec3,
    backend: first.backend,
    backendNote: [...new Set(parts.map((p) => p.backendNote))].join('; '),
    backendLabel: [...new Set(parts.map((p) => p.backendLabel))].join(' + '),
    ...emptyCells(n),
    ...(first.servers
      ? { servers: { txs: first.servers.txs.map((t) => [...t] as Vec3), serving: new Int16Array(n) } }
      : {}),
  };
  for (const [k, p] of parts.entries()) {
    const at = ranges[k]!.rows.start * grid.nx;
    map.pathGainDb.set(p.pathGainDb, at);
    map.coherentGainDb.set(p.coherentGainDb, at);
    map.rmsDelaySpreadS.set(p.rmsDelaySpreadS, at);
    map.kFactorDb.set(p.kFactorDb, at);
    map.kFactorReference.set(p.kFactorReference, at);
    map.angularSpreadDeg.set(p.angularSpreadDeg, at);
    map.los.set(p.los, at);
    map.pathCount.set(p.pathCount, at);
    map.complete.set(p.complete, at);
    map.nearField.set(p.nearField, at);
    if (map.servers) {
      if (!p.servers) throw new RangeError(`${names?.[k] ?? `part ${k}`} is not a best-server map`);
      map.servers.serving.set(p.servers.serving, at);
    }
    map.missRate = Math.max(map.missRate, p.missRate);
    map.stats.paths += p.stats.paths;
    map.stats.traceMs += p.stats.traceMs;
    map.stats.fieldMs += p.stats.fieldMs;
    map.stats.totalMs += p.stats.totalMs;
  }
  return map;
}
