import { parseJsonText } from '../../engine/core/index.ts';
import {
  type ColorRange,
  DEFAULT_COLOR_RANGE,
  mergeRadioMapTiles,
  RADIO_MAP_METRICS,
  type RadioMapMetric,
  radioMapTileFromJson,
  radioMapToCsv,
  radioMapToJson,
  renderRadioMapPng,
  TILE_FORMAT,
} from '../../engine/radiomap/index.ts';
import { checkFlags, flag, parseArgs, requireFlag, UsageError } from '../args.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions, readInputText } from '../inputs.ts';
import { prepareOutput, writeOutput } from '../output.ts';
import { mergeTraceChunks, TRACE_CHUNK_FORMAT } from '../traceChunks.ts';
import { USAGE } from '../usage.ts';
import { colorRangeFlag } from './radiomap.ts';

export const usage = USAGE.merge;

const BOOLEAN = ['force', ...INPUT_BOOLEAN_FLAGS];
const KNOWN = ['out', 'png', 'csv', 'metric', 'range', ...INPUT_VALUE_FLAGS, ...BOOLEAN];

/**
 * `rftwin merge`: the parts of a job run apart (on other machines, as Slurm array tasks) as the
 * one file a single run writes. All parts of one job or nothing: a missing, repeated or foreign
 * part (another scene, settings, grid, split) is refused with one line naming it, and nothing is
 * written.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, BOOLEAN);
  checkFlags(args, KNOWN);
  const files = args.positional;
  if (files.length === 0) throw new UsageError(`no parts given\nusage: ${usage}`);
  const out = requireFlag(args, 'out');
  const [pngPath, csvPath] = [flag(args, 'png'), flag(args, 'csv')];
  const force = flag(args, 'force') === 'true';
  const metricFlag = flag(args, 'metric') as RadioMapMetric | undefined;
  const range: ColorRange =
    flag(args, 'range') === undefined ? DEFAULT_COLOR_RANGE : colorRangeFlag(flag(args, 'range'));
  await prepareOutput(out, force);
  if (pngPath) await prepareOutput(pngPath, force, '--png');
  if (csvPath) await prepareOutput(csvPath, force, '--csv');
  const inputs = inputOptions(args);
  const values: Record<string, unknown>[] = [];
  for (const f of files) {
    const v = parseJsonText(await readInputText(f, inputs), f);
    values.push(
      typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {},
    );
  }
  const format = values[0]!.format;
  if (format === TRACE_CHUNK_FORMAT) {
    if (pngPath || csvPath || metricFlag)
      throw new UsageError('--png, --csv and --metric are for radio-map tiles, not trace chunks');
    const merged = mergeTraceChunks(values, files);
    const { compactJson } = await import('./trace.ts');
    await writeOutput(out, `${compactJson(merged)}\n`, force);
    process.stderr.write(
      `merge: ${files.length} trace chunk(s), ${(merged.links as unknown[]).length} links → ${out}\n`,
    );
    return 0;
  }
  if (format !== TILE_FORMAT) {
    // radioMapTileFromJson names what it expected
    radioMapTileFromJson(values[0], files[0]!);
  }
  const tiles = values.map((v, k) => radioMapTileFromJson(v, files[k]!));
  const map = mergeRadioMapTiles(tiles, files);
  const metric = metricFlag ?? (tiles[0]!.metricShown as RadioMapMetric | undefined) ?? 'path-gain';
  const metrics: readonly RadioMapMetric[] = map.servers
    ? [...RADIO_MAP_METRICS, 'serving-tx']
    : RADIO_MAP_METRICS;
  if (!metrics.includes(metric))
    throw new UsageError(`--metric must be one of ${metrics.join(', ')}, got '${metric}'`);
  await writeOutput(out, `${JSON.stringify(radioMapToJson(map, tiles[0]!.job.scene, metric))}\n`, force);
  if (pngPath) await writeOutput(pngPath, renderRadioMapPng(map, metric, { range }), force, '--png');
  if (csvPath) await writeOutput(csvPath, radioMapToCsv(map), force, '--csv');
  process.stderr.write(
    `merge: ${tiles.length} tile(s) of ${tiles[0]!.job.scene}, ${map.grid.nx}×${map.grid.ny} cells → ${[out, pngPath, csvPath].filter(Boolean).join(', ')}\n`,
  );
  return 0;
}
