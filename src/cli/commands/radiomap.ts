import { BeamSelector, computeBeamMap } from '../../engine/beams/index.ts';
import { Channel, type ChannelControl, NEAR_FIELD_WAVELENGTHS } from '../../engine/channel/index.ts';
import { parseDecimal } from '../../engine/core/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { resolveSceneMaterials } from '../../engine/materials/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import { computeRadioMapParallel } from '../../engine/parallel/index.ts';
import {
  BEAM_METRICS,
  type ColorRange,
  colorRangeProblem,
  computeBestServerMap,
  computeRadioMap,
  DEFAULT_COLOR_RANGE,
  makeGrid,
  RADIO_MAP_METRICS,
  type RadioMap,
  type RadioMapJob,
  type RadioMapMetric,
  type RadioMapProgress,
  radioMapTileToJson,
  radioMapToCsv,
  radioMapToJson,
  renderRadioMapPng,
  rowBlocks,
} from '../../engine/radiomap/index.ts';
import { loadScene, sceneHash } from '../../engine/scene/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, parsePoint, requireFlag, UsageError } from '../args.ts';
import {
  backendFromArgs,
  CHANNEL_BOOLEAN_FLAGS,
  CHANNEL_VALUE_FLAGS,
  channelSettingsFromArgs,
  cliControl,
  withSigint,
} from '../channelFlags.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions } from '../inputs.ts';
import { NonFiniteResultError, prepareOutput, writeOutput } from '../output.ts';
import { USAGE } from '../usage.ts';
import { MIN_PARALLEL_WORK, nodeWorkerPool, threadsFromArgs, workersFor } from '../workerPool.ts';

import { BEAM_VALUE_FLAGS, beamSetup, linkBudgetFromArgs, searchFromArgs } from './beams.ts';

export const usage = USAGE.radiomap;

const BOOLEAN = [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate', 'force', 'best-server', ...INPUT_BOOLEAN_FLAGS];
const KNOWN = [
  ...INPUT_VALUE_FLAGS,
  'scene',
  'frequency',
  'tx',
  'plane',
  'bounds',
  'cell',
  'metric',
  'out',
  'png',
  'csv',
  'range',
  'batch',
  'threads',
  'tiles',
  'tile',
  ...BEAM_VALUE_FLAGS,
  ...CHANNEL_VALUE_FLAGS,
  ...BOOLEAN,
];

/**
 * `rftwin radiomap`: path gain, coherent gain, RMS delay spread, K-factor, angular spread and
 * LoS per cell of a horizontal grid, through the channel pipeline (the same settings and numbers
 * as `rftwin trace` at a cell centre), on the CPU or WebGPU. Progress on stderr.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, BOOLEAN);
  checkFlags(args, KNOWN);
  const scenePath = flag(args, 'scene') ?? args.positional[0];
  if (!scenePath) throw new UsageError(`missing --scene\nusage: ${usage}`);
  const frequencyHz = numberFlag(args, 'frequency');
  if (!(frequencyHz > 0))
    throw new UsageError(`--frequency must be a positive number of Hz, got ${frequencyHz}`);
  const txs = (args.flags.get('tx') ?? []).map((t) => parsePoint(t, '--tx'));
  const bestServer = flag(args, 'best-server') === 'true';
  if (txs.length === 0) throw new UsageError(`missing --tx\nusage: ${usage}`);
  if (txs.length > 1 && !bestServer)
    throw new UsageError(
      `${txs.length} --tx given: a map is of one transmitter, or of the best server of several (add --best-server)`,
    );
  const tx = txs[0]!;
  const plane = requireFlag(args, 'plane');
  const pm = /^z=(.+)$/.exec(plane.trim());
  const z = pm ? parseDecimal(pm[1]!.trim()) : undefined;
  if (z === undefined)
    throw new UsageError(`--plane must be z=HEIGHT in metres (a horizontal plane), got '${plane}'`);
  const cell = numberFlag(args, 'cell');
  if (!(cell > 0)) throw new UsageError(`--cell must be a positive number of metres, got ${cell}`);
  const metric = (flag(args, 'metric') ?? 'path-gain') as RadioMapMetric;
  // beam maps: the array and codebook flags (rftwin beams) make every cell pick its best beam pair
  const beamMap = flag(args, 'codebook') !== undefined || flag(args, 'tx-codebook') !== undefined;
  const metrics: readonly RadioMapMetric[] = [
    ...RADIO_MAP_METRICS,
    ...(bestServer ? (['serving-tx'] as const) : []),
    ...(beamMap ? BEAM_METRICS : []),
  ];
  if (!metrics.includes(metric))
    throw new UsageError(
      `--metric must be one of ${metrics.join(', ')}${bestServer ? '' : ' (serving-tx needs --best-server)'}${beamMap ? '' : ' (best-beam, snr, mcs and throughput need --codebook and arrays)'}, got '${metric}'`,
    );
  if (beamMap && bestServer)
    throw new UsageError('a beam map is of one transmitter: leave out --best-server');
  const range = colorRangeFlag(flag(args, 'range'));
  const beams = beamMap ? await beamSetup(args, frequencyHz, tx, tx, inputOptions(args)) : undefined;
  if (beams?.rxSet.codebook.startsWith('steer'))
    throw new UsageError('--rx-codebook steer:x,y,z is built for one Rx position; a map has one per cell');
  const settings = beams ? beams.settings : channelSettingsFromArgs(args, frequencyHz);
  const beamChoice = beams
    ? { frequencyHz, budget: linkBudgetFromArgs(args, settings), search: searchFromArgs(args) }
    : undefined;
  const backend = backendFromArgs(args);
  const out = requireFlag(args, 'out');
  const pngPath = flag(args, 'png');
  const csvPath = flag(args, 'csv');
  // without --batch the backend's own tile size (radiomap.ts DEFAULT_TILE_CELLS)
  const tileSize = flag(args, 'batch') === undefined ? undefined : numberFlag(args, 'batch', 0);
  if (tileSize !== undefined && (!Number.isInteger(tileSize) || tileSize < 1))
    throw new UsageError(`--batch must be a positive integer number of cells, got ${tileSize}`);
  const threads = threadsFromArgs(args);
  const tiling = tilingFromArgs(args);
  if (tiling && (pngPath || csvPath))
    throw new UsageError(
      'a tile (--tiles K --tile i) writes only its part to --out; --png and --csv go to rftwin merge',
    );
  const force = flag(args, 'force') === 'true';
  await prepareOutput(out, force);
  if (pngPath) await prepareOutput(pngPath, force, '--png');
  if (csvPath) await prepareOutput(csvPath, force, '--csv');

  const scene = await loadScene(nodeFileSource, scenePath, inputOptions(args));
  let bounds = {
    xmin: scene.bbox.min[0],
    ymin: scene.bbox.min[1],
    xmax: scene.bbox.max[0],
    ymax: scene.bbox.max[1],
  };
  const b = flag(args, 'bounds');
  if (b !== undefined) {
    const v = b.split(',').map((s) => parseDecimal(s.trim()));
    if (v.length !== 4 || v.some((x) => x === undefined))
      throw new UsageError(`--bounds must be xmin,ymin,xmax,ymax in metres, got '${b}'`);
    const [xmin, ymin, xmax, ymax] = v as number[];
    bounds = { xmin: xmin!, ymin: ymin!, xmax: xmax!, ymax: ymax! };
  }
  let grid: ReturnType<typeof makeGrid>;
  try {
    grid = makeGrid(bounds, cell, z);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const materials = resolveSceneMaterials(scene.materials, frequencyHz, {
    allowExtrapolation: flag(args, 'extrapolate') === 'true',
  });
  if (tiling && tiling.count > grid.ny)
    throw new UsageError(
      `--tiles ${tiling.count}: the map has ${grid.ny} rows, and a tile is whole rows (at most ${grid.ny} tiles)`,
    );
  const rows = tiling ? rowBlocks(grid.ny, tiling.count)[tiling.index]! : undefined;
  const total = grid.nx * (rows ? rows.end - rows.start : grid.ny);
  process.stderr.write(
    `radiomap: ${scene.name}, ${grid.nx}×${grid.ny} = ${grid.nx * grid.ny} cells of ${cell} m at z=${z} m${bestServer ? `, best server of ${txs.length} Tx` : ''}${rows ? `; tile ${tiling!.index} of ${tiling!.count}: rows ${rows.start}..${rows.end - 1}, ${total} cells` : ''}\n`,
  );
  const t0 = performance.now();
  let lastReport = 0;
  return withSigint(async (signal) => {
    try {
      const channel = await Channel.open(scene, settings, { backend });
      const control: ChannelControl & { onMapProgress: (p: RadioMapProgress) => void } = {
        ...cliControl('radiomap', settings, signal),
        onProgress: undefined,
        onMapProgress: ({ done, total: all, backend: used }) => {
          const now = performance.now();
          if (now - lastReport < 1000 && done < all) return;
          lastReport = now;
          const s = (now - t0) / 1000;
          const eta = done > 0 ? (s * (all - done)) / done : 0;
          const mem = process.memoryUsage().rss / 2 ** 20;
          process.stderr.write(
            `radiomap: ${done}/${all} cells (${((100 * done) / all).toFixed(1)} %), ${s.toFixed(1)} s, ~${eta.toFixed(0)} s left, ${used}, RSS ${mem.toFixed(0)} MiB\n`,
          );
        },
      };
      const choice = channel.backendFor({ kind: 'map', cells: total });
      const workers = workersFor(
        threads,
        total,
        MIN_PARALLEL_WORK.cells,
        rows ? rows.end - rows.start : grid.ny,
      );
      let map: RadioMap;
      if (beams) {
        map = await computeBeamMap(
          channel,
          { tx, grid, materials, tileSize, rows },
          new BeamSelector(beams.txSet, beams.rxSet, beamChoice!),
          control,
        );
      } else if (bestServer) {
        map = await computeBestServerMap(channel, { txs, grid, materials, tileSize, rows }, control);
      } else if (choice.backend.kind === 'cpu' && workers > 1) {
        // CPU work on this thread and worker threads, blocks of rows; the same cells as one thread
        control.onBackend?.(channel.used(choice.decision, choice.backend));
        process.stderr.write(
          `radiomap: ${workers} threads (this one and ${workers - 1} worker thread${workers > 2 ? 's' : ''})\n`,
        );
        const pool = nodeWorkerPool(workers);
        try {
          await pool.open(scene, settings, materials);
          map = await computeRadioMapParallel(pool, { tx, grid, materials, tileSize, rows }, control);
        } finally {
          pool.terminate();
        }
        map.backendNote = choice.decision.reason;
      } else {
        map = await computeRadioMap(channel, { tx, grid, materials, tileSize, rows }, control);
      }
      process.stderr.write(`radiomap: ${map.backendNote}\n`);
      const near = map.nearField.reduce((n, v) => n + v, 0);
      if (near > 0)
        process.stderr.write(
          `radiomap: warning: ${near} cell(s) within ${NEAR_FIELD_WAVELENGTHS} wavelengths of the Tx or of a scattering or diffraction point along a path: near field, their values are not valid (listed in near_field_cells)\n`,
        );
      // JSON writes null where a cell has no value; a NaN gain where paths exist would hide a fault
      for (const [name, values] of [
        ['path_gain_db', map.pathGainDb],
        ['coherent_gain_db', map.coherentGainDb],
      ] as const) {
        const bad = values.findIndex(
          (v, i) => Number.isNaN(v) || (map.pathCount[i]! > 0 && !Number.isFinite(v)),
        );
        if (bad >= 0)
          throw new NonFiniteResultError(
            `${name}[${bad}] is ${values[bad]} with ${map.pathCount[bad]} path(s): the map is not written. It was computed from scene ${scenePath} at ${frequencyHz} Hz with Tx ${tx.join(',')}; check them (or report a bug)`,
          );
      }
      if (tiling) {
        const job: RadioMapJob = {
          scene: scene.name,
          scene_hash: sceneHash(scene),
          frequency_hz: frequencyHz,
          settings,
          materials,
          grid,
          txs,
          best_server: bestServer,
        };
        const tile = radioMapTileToJson({
          job,
          index: tiling.index,
          count: tiling.count,
          metricShown: metric,
          map,
        });
        await writeOutput(out, `${JSON.stringify(tile)}\n`, force);
        process.stderr.write(
          `radiomap: tile ${tiling.index} of ${tiling.count}, ${total} cells in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${out} (assemble the tiles with rftwin merge)\n`,
        );
        return 0;
      }
      const json = radioMapToJson(map, scene.name, metric);
      await writeOutput(out, `${JSON.stringify(json)}\n`, force);
      if (pngPath) await writeOutput(pngPath, renderRadioMapPng(map, metric, { range }), force, '--png');
      if (csvPath) await writeOutput(csvPath, radioMapToCsv(map), force, '--csv');
      const s = (performance.now() - t0) / 1000;
      process.stderr.write(
        `radiomap: ${total} cells in ${s.toFixed(1)} s (${(total / s).toFixed(0)} cells/s), ${map.stats.paths} paths → ${[out, pngPath, csvPath].filter(Boolean).join(', ')}\n`,
      );
      return 0;
    } finally {
      await releaseGpu();
    }
  });
}

/** `--tiles K --tile i`: this run computes tile i (0-based) of K, whole grid rows (parts.ts). */
function tilingFromArgs(args: ReturnType<typeof parseArgs>): { index: number; count: number } | undefined {
  const [tiles, tile] = [flag(args, 'tiles'), flag(args, 'tile')];
  if (tiles === undefined && tile === undefined) return undefined;
  if (tiles === undefined || tile === undefined)
    throw new UsageError(
      `--tiles K and --tile i go together (tile i of K, i from 0 to K−1)${tiles === undefined ? '; the cells per batch are --batch CELLS' : ''}`,
    );
  const count = Number(tiles);
  const index = Number(tile);
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`--tiles must be a whole number ≥ 1, got '${tiles}'`);
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new UsageError(
      `--tile must be a whole number from 0 to ${count - 1} (tile i of --tiles ${count}), got '${tile}'`,
    );
  return { index, count };
}

/** `--range p2,p98` (percentiles of the finite values) or `--range -90,-40` (manual, in the metric's unit). */
export function colorRangeFlag(text: string | undefined): ColorRange {
  if (text === undefined) return DEFAULT_COLOR_RANGE;
  const pm = /^p([^,]+),p([^,]+)$/.exec(text.trim());
  const parts = (pm ? [pm[1]!, pm[2]!] : text.split(',')).map((t) => parseDecimal(t.trim()));
  if (parts.length !== 2 || parts.some((v) => v === undefined))
    throw new UsageError(`--range must be pLOW,pHIGH (percentiles) or MIN,MAX, got '${text}'`);
  const [a, b] = parts as [number, number];
  const range: ColorRange = pm
    ? { mode: 'auto', lowPercentile: a, highPercentile: b }
    : { mode: 'manual', min: a, max: b };
  const problem = colorRangeProblem(range);
  if (problem) throw new UsageError(`--range: ${problem}`);
  return range;
}
