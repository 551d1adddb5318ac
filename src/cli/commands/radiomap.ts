import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Channel } from '../../engine/channel/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { ITU_EDITION, resolveSceneMaterials } from '../../engine/materials/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import {
  computeRadioMap,
  makeGrid,
  RADIO_MAP_METRICS,
  type RadioMapMetric,
  radioMapToJson,
  renderRadioMapPng,
} from '../../engine/radiomap/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, parsePoint, requireFlag, UsageError } from '../args.ts';
import {
  backendFromArgs,
  CHANNEL_BOOLEAN_FLAGS,
  CHANNEL_USAGE,
  CHANNEL_VALUE_FLAGS,
  channelSettingsFromArgs,
  cliControl,
  withSigint,
} from '../channelFlags.ts';

export const usage =
  'rftwin radiomap --scene S --frequency HZ --tx x,y,z --plane z=1.5 [--bounds xmin,ymin,xmax,ymax] --cell 0.25 ' +
  `[--metric path-gain|coherent-gain|delay-spread|k-factor|angular-spread] ${CHANNEL_USAGE} [--tile CELLS] [--extrapolate] --out map.json [--png map.png]`;

const BOOLEAN = [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate'];
const KNOWN = [
  'scene',
  'frequency',
  'tx',
  'plane',
  'bounds',
  'cell',
  'metric',
  'out',
  'png',
  'tile',
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
  const tx = parsePoint(requireFlag(args, 'tx'), '--tx');
  const plane = requireFlag(args, 'plane');
  const pm = /^z=(.+)$/.exec(plane.trim());
  const z = pm ? Number(pm[1]) : Number.NaN;
  if (!Number.isFinite(z))
    throw new UsageError(`--plane must be z=HEIGHT in metres (a horizontal plane), got '${plane}'`);
  const cell = numberFlag(args, 'cell');
  if (!(cell > 0)) throw new UsageError(`--cell must be a positive number of metres, got ${cell}`);
  const metric = (flag(args, 'metric') ?? 'path-gain') as RadioMapMetric;
  if (!RADIO_MAP_METRICS.includes(metric))
    throw new UsageError(`--metric must be one of ${RADIO_MAP_METRICS.join(', ')}, got '${metric}'`);
  const settings = channelSettingsFromArgs(args, frequencyHz);
  const backend = backendFromArgs(args);
  const out = requireFlag(args, 'out');
  const pngPath = flag(args, 'png');
  const tileSize = numberFlag(args, 'tile', 4096);

  const scene = await loadScene(nodeFileSource, scenePath);
  let bounds = {
    xmin: scene.bbox.min[0],
    ymin: scene.bbox.min[1],
    xmax: scene.bbox.max[0],
    ymax: scene.bbox.max[1],
  };
  const b = flag(args, 'bounds');
  if (b !== undefined) {
    const v = b.split(',').map((s) => Number(s.trim()));
    if (v.length !== 4 || !v.every(Number.isFinite))
      throw new UsageError(`--bounds must be xmin,ymin,xmax,ymax in metres, got '${b}'`);
    bounds = { xmin: v[0]!, ymin: v[1]!, xmax: v[2]!, ymax: v[3]! };
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
  const total = grid.nx * grid.ny;
  process.stderr.write(
    `radiomap: ${scene.name}, ${grid.nx}×${grid.ny} = ${total} cells of ${cell} m at z=${z} m\n`,
  );
  const t0 = performance.now();
  let lastReport = 0;
  return withSigint(async (signal) => {
    try {
      const channel = await Channel.open(scene, settings, { backend });
      const map = await computeRadioMap(
        channel,
        { tx, grid, materials, tileSize },
        {
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
        },
      );
      process.stderr.write(`radiomap: ${map.backendNote}\n`);
      const json = { ...radioMapToJson(map, scene.name), itu_edition: ITU_EDITION, metric_shown: metric };
      mkdirSync(dirname(out) || '.', { recursive: true });
      writeFileSync(out, `${JSON.stringify(json)}\n`);
      if (pngPath) {
        mkdirSync(dirname(pngPath) || '.', { recursive: true });
        writeFileSync(pngPath, renderRadioMapPng(map, metric));
      }
      const s = (performance.now() - t0) / 1000;
      process.stderr.write(
        `radiomap: ${total} cells in ${s.toFixed(1)} s (${(total / s).toFixed(0)} cells/s), ${map.stats.paths} paths → ${out}${pngPath ? `, ${pngPath}` : ''}\n`,
      );
      return 0;
    } finally {
      await releaseGpu();
    }
  });
}
