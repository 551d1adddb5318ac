import type { RadioMap } from './radioMap.ts';

/**
 * What a radio map shows per cell: each link metric, and on best-server maps which transmitter
 * serves the cell. Values are in display units (dB, ns, degrees, Tx number from 1).
 */
export type RadioMapMetric =
  | 'path-gain'
  | 'coherent-gain'
  | 'delay-spread'
  | 'k-factor'
  | 'angular-spread'
  | 'serving-tx'
  | BeamMetric;

/** Metrics of beam maps (beams/beamMap.ts, docs/physics.md §16): maps that carry a `beams` layer. */
export type BeamMetric = 'best-beam' | 'snr' | 'mcs' | 'throughput';
export const BEAM_METRICS: readonly BeamMetric[] = ['best-beam', 'snr', 'mcs', 'throughput'];

/** The metrics of every map. */
export const RADIO_MAP_METRICS: readonly RadioMapMetric[] = [
  'path-gain',
  'coherent-gain',
  'delay-spread',
  'k-factor',
  'angular-spread',
];

/** The metrics a map has: best-server maps add the serving transmitter. */
export const metricsOf = (map: Pick<RadioMap, 'servers' | 'beams'>): readonly RadioMapMetric[] => [
  ...RADIO_MAP_METRICS,
  ...(map.servers ? (['serving-tx'] as const) : []),
  ...(map.beams ? BEAM_METRICS : []),
];

export const METRIC_META: Record<RadioMapMetric, { unit: string; label: string }> = {
  'path-gain': { unit: 'dB', label: 'path gain' },
  'coherent-gain': { unit: 'dB', label: 'coherent gain' },
  'delay-spread': { unit: 'ns', label: 'RMS delay spread' },
  'k-factor': { unit: 'dB', label: 'K-factor' },
  'angular-spread': { unit: 'deg', label: 'angular spread' },
  'serving-tx': { unit: 'Tx', label: 'serving Tx' },
  'best-beam': { unit: 'Tx beam', label: 'best Tx beam' },
  snr: { unit: 'dB', label: 'SNR' },
  mcs: { unit: '802.11ad, 0 = none', label: 'MCS' },
  throughput: { unit: 'Mb/s', label: 'throughput' },
};

/**
 * What a cell holds for a metric: a value, no path at all, or — for the K-factor only — a single
 * path (every path but the reference carries no power, so K = +∞: unbounded, not undefined).
 */
export type CellState = 'value' | 'no-path' | 'single-path';

/** Legend words of the two special states, the same in the studio, PNG and CSV. */
export const NO_PATH_LABEL = 'no path';
export const SINGLE_PATH_LABEL = 'single path (K = ∞)';

/**
 * The values of one metric in display units: NaN where the cell has no path, +Infinity where
 * the K-factor is unbounded (a single path, docs/physics.md §10); every other value is finite.
 */
export function metricValues(
  map: RadioMap,
  metric: RadioMapMetric,
): { values: Float64Array; unit: string; label: string } {
  if (metric === 'serving-tx' && !map.servers)
    throw new RangeError('serving-tx is a metric of best-server maps only');
  const beams = map.beams;
  if ((BEAM_METRICS as readonly string[]).includes(metric) && !beams)
    throw new RangeError(`${metric} is a metric of beam maps only (arrays and codebooks set)`);
  const n = map.pathCount.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (map.pathCount[i] === 0) {
      values[i] = Number.NaN;
      continue;
    }
    let v: number;
    switch (metric) {
      case 'path-gain':
        v = map.pathGainDb[i]!;
        break;
      case 'coherent-gain':
        v = map.coherentGainDb[i]!;
        break;
      case 'delay-spread':
        v = map.rmsDelaySpreadS[i]! * 1e9;
        break;
      case 'k-factor':
        v = map.kFactorDb[i]!;
        if (v === Number.POSITIVE_INFINITY) {
          values[i] = v;
          continue;
        }
        break;
      case 'angular-spread':
        v = map.angularSpreadDeg[i]!;
        break;
      case 'serving-tx':
        v = map.servers!.serving[i]! + 1;
        break;
      case 'best-beam':
        v = beams!.txBeam[i]!;
        break;
      case 'snr':
        v = beams!.snrDb[i]!;
        break;
      case 'mcs':
        v = beams!.mcs[i]!;
        break;
      case 'throughput':
        v = beams!.throughputMbps[i]!;
        break;
    }
    values[i] = Number.isFinite(v) ? v : Number.NaN;
  }
  return { values, ...METRIC_META[metric] };
}

/** The state of value `v` of metricValues. */
export const cellState = (v: number): CellState =>
  Number.isNaN(v) ? 'no-path' : v === Number.POSITIVE_INFINITY ? 'single-path' : 'value';
