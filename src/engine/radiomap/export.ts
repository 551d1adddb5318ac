import { ITU_EDITION } from '../materials/itu.ts';
import { cellCenter } from './grid.ts';
import type { RadioMapMetric } from './metrics.ts';
import type { RadioMap } from './radioMap.ts';

/**
 * Radio maps as files: the JSON `rftwin radiomap` writes and the studio exports, and the same
 * columns as CSV (one row per cell). Both are built from the same rounded columns, so a cell
 * reads the same in either file.
 *
 * Undefined values (no path) are null in JSON and empty in CSV. A K-factor of +∞ (a single path,
 * docs/physics.md §10) is not undefined: JSON cannot hold ∞, so `k_factor_db` is null there and
 * `k_factor_infinite` is 1 (as `rftwin trace` marks a link); CSV writes `inf`.
 */
const REFERENCE_NAMES = ['los', 'strongest', 'none'] as const;

const round = (x: number, d: number): number | null => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
const column = (a: ArrayLike<number>, d: number) => Array.from(a, (x) => round(x, d));

/** The per-cell columns of both formats, rounded as written. */
function columns(map: RadioMap) {
  return {
    path_gain_db: column(map.pathGainDb, 3),
    coherent_gain_db: column(map.coherentGainDb, 3),
    rms_delay_spread_ns: column(
      Float64Array.from(map.rmsDelaySpreadS, (s, i) => (map.pathCount[i] ? s * 1e9 : Number.NaN)),
      4,
    ),
    k_factor_db: column(map.kFactorDb, 3),
    k_factor_infinite: Array.from(map.kFactorDb, (k, i) =>
      map.pathCount[i]! > 0 && k === Number.POSITIVE_INFINITY ? 1 : 0,
    ),
    k_factor_reference: Array.from(map.kFactorReference, (c) => REFERENCE_NAMES[c] ?? 'none'),
    angular_spread_deg: column(map.angularSpreadDeg, 3),
    los: Array.from(map.los),
    path_count: Array.from(map.pathCount),
    serving_tx: map.servers ? Array.from(map.servers.serving, (k) => (k >= 0 ? k : null)) : undefined,
    beams: map.beams
      ? {
          best_tx_beam: Array.from(map.beams.txBeam, (k) => (k >= 0 ? k : null)),
          best_rx_beam: Array.from(map.beams.rxBeam, (k) => (k >= 0 ? k : null)),
          beam_gain_db: column(map.beams.gainDb, 3),
          snr_db: column(map.beams.snrDb, 3),
          mcs: Array.from(map.beams.mcs),
          throughput_mbps: column(map.beams.throughputMbps, 2),
        }
      : undefined,
  };
}

/**
 * JSON-ready form (numbers rounded, null where undefined, K = ∞ flagged in k_factor_infinite):
 * what `rftwin radiomap --out` writes and the studio exports, `metric_shown` the one drawn.
 */
export function radioMapToJson(
  map: RadioMap,
  sceneName: string,
  metricShown?: RadioMapMetric,
): Record<string, unknown> {
  const c = columns(map);
  return {
    scene: sceneName,
    frequency_hz: map.frequencyHz,
    tx: map.tx,
    ...(map.servers
      ? {
          best_server: true,
          txs: map.servers.txs,
          serving_rule:
            'highest path gain; serving_tx indexes txs, null where no transmitter reaches the cell',
        }
      : {}),
    plane_z: map.grid.z,
    bounds: [map.grid.xmin, map.grid.ymin, map.grid.xmax, map.grid.ymax],
    cell_size: map.grid.cellSize,
    nx: map.grid.nx,
    ny: map.grid.ny,
    layout: 'row-major, index iy*nx+ix, cell centre (xmin+(ix+0.5)*cell, ymin+(iy+0.5)*cell)',
    backend: map.backend,
    backend_note: map.backendNote,
    path_gain_db: c.path_gain_db,
    coherent_gain_db: c.coherent_gain_db,
    rms_delay_spread_ns: c.rms_delay_spread_ns,
    k_factor_db: c.k_factor_db,
    k_factor_infinite: c.k_factor_infinite,
    k_factor_reference: c.k_factor_reference,
    angular_spread_deg: c.angular_spread_deg,
    los: c.los,
    path_count: c.path_count,
    ...(c.serving_tx ? { serving_tx: c.serving_tx } : {}),
    ...(c.beams && map.beams
      ? {
          beams: map.beams.description,
          mcs_table: 'IEEE Std 802.11ad-2012 Table 21-3 (SC MCS 1-12; 0: below MCS 1), docs/physics.md §16',
          ...c.beams,
        }
      : {}),
    // the path search (docs/physics.md §9): every cell complete, or the cells that are not and
    // the largest estimated miss rate among them
    complete: map.complete.every((x) => x === 1),
    incomplete_cells: map.complete.reduce((s, x) => s + (x ? 0 : 1), 0),
    estimated_miss_rate: map.missRate,
    // cells whose link is in the near field (docs/physics.md §2): their values are not valid
    near_field_cells: Array.from(map.nearField.keys()).filter((i) => map.nearField[i] === 1),
    stats: map.stats,
    itu_edition: ITU_EDITION,
    ...(metricShown ? { metric_shown: metricShown } : {}),
  };
}

/** CSV, one row per cell (same order as the JSON arrays) with its centre x, y, z in metres. */
export function radioMapToCsv(map: RadioMap): string {
  const c = columns(map);
  const head = [
    'x',
    'y',
    'z',
    'path_gain_db',
    'coherent_gain_db',
    'rms_delay_spread_ns',
    'k_factor_db',
    'k_factor_reference',
    'angular_spread_deg',
    'los',
    'path_count',
    ...(c.serving_tx ? ['serving_tx'] : []),
    ...(c.beams ? Object.keys(c.beams) : []),
  ];
  const cell = (v: number | null) => (v === null ? '' : String(v));
  const lines = [head.join(',')];
  for (let i = 0; i < c.path_count.length; i++) {
    const [x, y, z] = cellCenter(map.grid, i);
    const row = [
      cell(round(x, 6)),
      cell(round(y, 6)),
      cell(round(z, 6)),
      cell(c.path_gain_db[i]!),
      cell(c.coherent_gain_db[i]!),
      cell(c.rms_delay_spread_ns[i]!),
      c.k_factor_infinite[i] ? 'inf' : cell(c.k_factor_db[i]!),
      c.k_factor_reference[i]!,
      cell(c.angular_spread_deg[i]!),
      String(c.los[i]),
      String(c.path_count[i]),
    ];
    if (c.serving_tx) row.push(cell(c.serving_tx[i]!));
    if (c.beams) for (const values of Object.values(c.beams)) row.push(cell(values[i]!));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}
