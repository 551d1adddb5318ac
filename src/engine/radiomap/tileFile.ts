import { InputError } from '../core/errors.ts';
import type { Vec3 } from '../core/vec3.ts';
import type { RadioMapGrid } from './grid.ts';
import { assembleRadioMap, rowBlocks } from './parts.ts';
import type { RadioMap, RowRange } from './radioMap.ts';

/**
 * One tile of a radio-map job as a file (`rftwin radiomap --tiles K --tile i --out tile.json`),
 * read back by `rftwin merge`. Unlike the map JSON (export.ts, rounded for people) a tile holds
 * every value exactly — JSON numbers round-trip float64, and float32 values are float64 values —
 * with ±Infinity and NaN written as the strings "Infinity", "-Infinity", "NaN"; so the merged map
 * is the map a single run writes, to the last digit, PNG included.
 *
 * `job` says what was computed: the merge refuses tiles whose jobs differ (another scene, other
 * settings, materials, grid or transmitters) and names the first field that differs.
 */
export const TILE_FORMAT = 'rftwin-radiomap-tile';
export const TILE_VERSION = 1;

export interface RadioMapJob {
  scene: string;
  /** sceneHash(scene) */
  scene_hash: string;
  frequency_hz: number;
  /** the ChannelSettings the map was computed with */
  settings: unknown;
  /** the resolved radio parameters per material */
  materials: unknown;
  grid: RadioMapGrid;
  txs: Vec3[];
  best_server: boolean;
}

export interface RadioMapTile {
  job: RadioMapJob;
  index: number;
  count: number;
  metricShown?: string;
  map: RadioMap;
}

const COLUMNS = [
  ['path_gain_db', 'pathGainDb', Float32Array],
  ['coherent_gain_db', 'coherentGainDb', Float32Array],
  ['rms_delay_spread_s', 'rmsDelaySpreadS', Float64Array],
  ['k_factor_db', 'kFactorDb', Float32Array],
  ['k_factor_reference', 'kFactorReference', Uint8Array],
  ['angular_spread_deg', 'angularSpreadDeg', Float32Array],
  ['los', 'los', Uint8Array],
  ['path_count', 'pathCount', Uint32Array],
  ['complete', 'complete', Uint8Array],
  ['near_field', 'nearField', Uint8Array],
] as const;

const exact = (x: number): number | string => (Number.isFinite(x) ? x : String(x));

export function radioMapTileToJson(tile: RadioMapTile): Record<string, unknown> {
  const { map } = tile;
  if (!map.rows) throw new RangeError('a tile is a part of a map (computeRadioMap with rows)');
  const columns: Record<string, (number | string)[]> = {};
  for (const [name, key] of COLUMNS) columns[name] = Array.from(map[key], exact);
  if (map.servers) columns.serving_tx = Array.from(map.servers.serving);
  return {
    format: TILE_FORMAT,
    version: TILE_VERSION,
    job: tile.job,
    tile: { index: tile.index, count: tile.count, row_start: map.rows.start, row_end: map.rows.end },
    ...(tile.metricShown ? { metric_shown: tile.metricShown } : {}),
    backend: map.backend,
    backend_note: map.backendNote,
    backend_label: map.backendLabel,
    estimated_miss_rate: map.missRate,
    stats: map.stats,
    columns,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tile file's content, checked; InputError naming the file and the field otherwise. */
export function radioMapTileFromJson(value: unknown, file: string): RadioMapTile {
  const bad = (element: string, problem: string) => new InputError(file, element, problem);
  if (!isObject(value) || value.format !== TILE_FORMAT)
    throw bad(
      'format',
      `not a radio-map tile (expected "format": "${TILE_FORMAT}", as rftwin radiomap --tiles K --tile i writes)`,
    );
  if (value.version !== TILE_VERSION)
    throw bad('version', `expected ${TILE_VERSION}, got ${JSON.stringify(value.version)}`);
  const job = value.job;
  if (!isObject(job)) throw bad('job', 'missing');
  const grid = job.grid as RadioMapGrid;
  if (!isObject(grid) || !['nx', 'ny'].every((k) => Number.isInteger(grid[k as 'nx']) && grid[k as 'nx'] > 0))
    throw bad('job.grid', 'expected nx and ny, positive integers');
  if (!Array.isArray(job.txs) || job.txs.length === 0) throw bad('job.txs', 'expected the transmitters');
  const t = value.tile;
  if (!isObject(t)) throw bad('tile', 'missing');
  const { index, count, row_start: start, row_end: end } = t as Record<string, number>;
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count))
    throw bad('tile', `expected index 0..count−1 and count ≥ 1, got index ${index} of ${count}`);
  const rows: RowRange = { start: start!, end: end! };
  if (!(Number.isInteger(start) && Number.isInteger(end) && start! >= 0 && start! < end! && end! <= grid.ny))
    throw bad('tile', `rows ${start}..${end} are not a range of the grid's ${grid.ny} rows`);
  const n = (end! - start!) * grid.nx;
  const columns = value.columns;
  if (!isObject(columns)) throw bad('columns', 'missing');
  type Typed = Float32Array | Float64Array | Uint8Array | Uint32Array | Int16Array;
  const column = (name: string, Type: new (n: number) => Typed): Typed => {
    const v = columns[name];
    if (!Array.isArray(v) || v.length !== n)
      throw bad(
        `columns.${name}`,
        `expected ${n} values (rows ${start}..${end! - 1} × ${grid.nx}), got ${Array.isArray(v) ? v.length : typeof v}`,
      );
    const out = new Type(n);
    for (let i = 0; i < n; i++) {
      const x =
        typeof v[i] === 'string' && ['Infinity', '-Infinity', 'NaN'].includes(v[i]) ? Number(v[i]) : v[i];
      if (typeof x !== 'number')
        throw bad(`columns.${name}[${i}]`, `expected a number, got ${JSON.stringify(v[i])}`);
      out[i] = x;
    }
    return out;
  };
  const cols = Object.fromEntries(
    COLUMNS.map(([name, key, Type]) => [key, column(name, Type as new (n: number) => Typed)]),
  );
  const txs = job.txs as Vec3[];
  const stats = isObject(value.stats) ? (value.stats as RadioMap['stats']) : undefined;
  const map: RadioMap = {
    ...(cols as unknown as Pick<RadioMap, (typeof COLUMNS)[number][1]>),
    grid,
    frequencyHz: Number(job.frequency_hz),
    tx: txs[0]!,
    backend: value.backend === 'webgpu' ? 'webgpu' : 'cpu',
    backendNote: String(value.backend_note ?? ''),
    backendLabel: String(value.backend_label ?? ''),
    missRate: Number(value.estimated_miss_rate ?? 0),
    stats: {
      cells: n,
      paths: Number(stats?.paths ?? 0),
      traceMs: Number(stats?.traceMs ?? 0),
      fieldMs: Number(stats?.fieldMs ?? 0),
      totalMs: Number(stats?.totalMs ?? 0),
    },
    rows,
    ...(job.best_server ? { servers: { txs, serving: column('serving_tx', Int16Array) as Int16Array } } : {}),
  };
  return {
    job: job as unknown as RadioMapJob,
    index: index!,
    count: count!,
    ...(typeof value.metric_shown === 'string' ? { metricShown: value.metric_shown } : {}),
    map,
  };
}

/** The first field in which two jobs differ, or undefined when they are the same job. */
export function jobDifference(a: RadioMapJob, b: RadioMapJob): string | undefined {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const [x, y] = [JSON.stringify((a as never)[k]), JSON.stringify((b as never)[k])];
    if (x === y) continue;
    if (isObject((a as never)[k]) && isObject((b as never)[k])) {
      const sub = jobDifference((a as never)[k], (b as never)[k]);
      if (sub) return `${k}.${sub}`;
    }
    const short = (s: string | undefined) =>
      s === undefined ? 'absent' : s.length > 60 ? `${s.slice(0, 60)}…` : s;
    return `${k} (${short(x)} vs ${short(y)})`;
  }
  return undefined;
}

/**
 * The whole map from all K tiles of one job, in any order; `names` (the files) name tiles in the
 * errors. Refused, with one line naming the tile: tiles of another job, of another split, given
 * twice, or missing (the merge never writes a partial map).
 */
export function mergeRadioMapTiles(tiles: readonly RadioMapTile[], names: readonly string[]): RadioMap {
  if (tiles.length === 0) throw new InputError('tiles', undefined, 'no tiles given');
  const [first] = tiles as [RadioMapTile];
  const byIndex = new Map<number, number>();
  for (const [k, t] of tiles.entries()) {
    const name = names[k]!;
    const diff = jobDifference(first.job, t.job);
    if (diff) throw new InputError(name, 'job', `not the job of ${names[0]}: ${diff}`);
    if (t.count !== first.count)
      throw new InputError(
        name,
        'tile',
        `tile ${t.index} of ${t.count}, but ${names[0]} is a tile of ${first.count}`,
      );
    const twice = byIndex.get(t.index);
    if (twice !== undefined)
      throw new InputError(
        name,
        'tile',
        `tile ${t.index} of ${t.count} is given twice (also ${names[twice]})`,
      );
    byIndex.set(t.index, k);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    throw new InputError(
      'tiles',
      `tile${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${first.count}`,
      `missing (${tiles.length} of ${first.count} given); compute ${missing.length > 1 ? 'them' : 'it'} with rftwin radiomap … --tiles ${first.count} --tile ${missing[0]}`,
    );
  const blocks = rowBlocks(first.job.grid.ny, first.count);
  for (const [k, t] of tiles.entries()) {
    const want = blocks[t.index]!;
    const rows = t.map.rows!;
    if (rows.start !== want.start || rows.end !== want.end)
      throw new InputError(
        names[k]!,
        'tile',
        `tile ${t.index} of ${t.count} should hold rows ${want.start}..${want.end - 1}, holds ${rows.start}..${rows.end - 1}`,
      );
  }
  return assembleRadioMap(
    tiles.map((t) => t.map),
    names,
  );
}
