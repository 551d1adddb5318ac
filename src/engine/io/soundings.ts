import { InputError } from '../core/errors.ts';
import { checkLimit, DEFAULT_LIMITS, type InputLimits } from '../core/limits.ts';
import { forEachLine, textBytes } from '../core/lines.ts';
import { numberProblem, parseDecimal } from '../core/numbers.ts';
import type { Vec3 } from '../core/vec3.ts';

/**
 * Channel soundings: what was measured on each Tx–Rx link. The engine keeps one unit per
 * quantity (dB for gains, ns for delay spread, degrees for angles); files that use another unit
 * are rejected with the line and the fix, never silently converted.
 */
export type SoundingMetric =
  /** incoherent path gain 10·log10 Σ|aᵢ|² (dB, ≤ 0 for a passive channel) */
  | 'path_gain_db'
  /** narrowband coherent gain at the carrier 10·log10 |Σ aᵢ e^{−j2πfτᵢ}|² (dB) */
  | 'coherent_gain_db'
  | 'rms_delay_spread_ns'
  | 'k_factor_db'
  | 'angular_spread_deg';

export const SOUNDING_METRICS: readonly SoundingMetric[] = [
  'path_gain_db',
  'coherent_gain_db',
  'rms_delay_spread_ns',
  'k_factor_db',
  'angular_spread_deg',
];

/** One multipath component as a sounder reports it (JSON soundings). */
export interface MeasuredPath {
  delayS: number;
  gainDb: number;
  aoaAzimuthDeg?: number;
  aoaElevationDeg?: number;
  aodAzimuthDeg?: number;
  aodElevationDeg?: number;
}

export interface Sounding {
  tx: Vec3;
  rx: Vec3;
  /** measured metrics of the link; absent = not measured */
  metrics: Partial<Record<SoundingMetric, number>>;
  /** transmit power when the file gave received powers in dBm (kept to write them back) */
  txPowerDbm?: number;
  paths?: MeasuredPath[];
  /** where it came from, for messages: "soundings.csv line 7" */
  origin: string;
}

/** CSV columns: positions, metrics, and received powers (which need tx_power_dbm). */
const POSITION_COLUMNS = ['tx_x', 'tx_y', 'tx_z', 'rx_x', 'rx_y', 'rx_z'] as const;
const POWER_COLUMNS = ['tx_power_dbm', 'power_dbm', 'rss_dbm'] as const;
export const SOUNDING_CSV_COLUMNS: readonly string[] = [
  ...POSITION_COLUMNS,
  ...SOUNDING_METRICS,
  ...POWER_COLUMNS,
];

/**
 * Plausibility checks that catch unit mistakes. Each returns a problem or undefined.
 * A delay spread in seconds written to an _ns column shows up as a positive value below 1 ps;
 * a gain written in linear units shows up as a positive "dB" gain (passive channels have ≤ 0 dB).
 */
function metricProblem(metric: SoundingMetric, v: number): string | undefined {
  switch (metric) {
    case 'path_gain_db':
    case 'coherent_gain_db':
      if (v > 0) {
        return v < 1
          ? `${metric} = ${v} looks like a linear gain; give 10·log10 of it in dB (a passive channel has gain ≤ 0 dB)`
          : `${metric} = ${v} dB is a positive gain, impossible for a passive channel (is it a path loss? give −loss)`;
      }
      if (v < -300) return `${metric} = ${v} dB is below −300 dB; check the unit`;
      return undefined;
    case 'rms_delay_spread_ns':
      if (v < 0) return `rms_delay_spread_ns = ${v} is negative; a spread is ≥ 0`;
      if (v > 0 && v < 1e-3)
        return `rms_delay_spread_ns = ${v} looks like seconds (below 1 ps); the column is in nanoseconds (multiply by 1e9)`;
      if (v > 1e5)
        return `rms_delay_spread_ns = ${v} ns is over 100 µs; check the unit (nanoseconds expected)`;
      return undefined;
    case 'angular_spread_deg':
      if (v < 0) return `angular_spread_deg = ${v} is negative; a spread is ≥ 0`;
      if (v > 360) return `angular_spread_deg = ${v} is over 360°; check the unit (degrees expected)`;
      return undefined;
    case 'k_factor_db':
      if (Math.abs(v) > 200) return `k_factor_db = ${v} is implausible; is it linear rather than dB?`;
      return undefined;
  }
}

/** Throw an InputError naming the place when a metric value is implausible for its unit. */
export function validateMetric(metric: SoundingMetric, value: number, file: string, where: string): void {
  const problem = metricProblem(metric, value);
  if (problem) throw new InputError(file, where, problem);
}

/** Parse one CSV field as a finite number, or undefined for an empty (not measured) cell. */
function parseNumber(
  text: string,
  file: string,
  where: string,
  column: string,
  allowEmpty: boolean,
): number | undefined {
  const t = text.trim();
  if (t === '') {
    if (allowEmpty) return undefined;
    throw new InputError(file, where, `column ${column} is empty; a number is required`);
  }
  const v = parseDecimal(t);
  if (v === undefined) throw new InputError(file, where, `column ${column}: ${numberProblem(t)}`);
  return v;
}

/** Split a CSV line (commas; double quotes around a field are allowed but not needed). */
function splitCsv(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/** How soundings are read: limits (rows) and progress for files of 10⁶ rows. */
export interface SoundingsReadOptions {
  limits?: InputLimits;
  /** called every 100,000 rows and at the end, with the rows read so far */
  onProgress?: (rows: number) => void;
  /**
   * Keep at most this many soundings: later rows are still checked and counted (onProgress
   * gets the total at the end) but not kept, so a caller that cannot use more can say how many
   * the file has in bounded memory (CSV; a JSON file is parsed whole).
   */
  keep?: number;
}

const PROGRESS_EVERY = 100_000;

/**
 * Parse soundings CSV. Header: tx_x,tx_y,tx_z,rx_x,rx_y,rx_z then any of the metric columns,
 * `power_dbm` / `rss_dbm` (received power, incoherent / coherent, with `tx_power_dbm`).
 * Empty metric cells mean "not measured". Lines starting with # are comments. The text is read
 * a chunk at a time (10⁶ rows never become one string), at most limits.rows rows.
 */
export function parseSoundingsCsv(
  data: string | Uint8Array,
  file: string,
  options: SoundingsReadOptions = {},
): Sounding[] {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let header: string[] | undefined;
  let hWhere = '';
  const seen = new Set<string>();
  let col: Record<string, number> = {};
  const out: Sounding[] = [];
  const keep = options.keep ?? Number.POSITIVE_INFINITY;
  let rows = 0;
  let lastLine = 1;
  forEachLine(textBytes(data), file, (raw, lineNo) => {
    lastLine = lineNo;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const where = `line ${lineNo}`;
    if (!header) {
      header = splitCsv(t.replace(/^\uFEFF/, '')).map((h) => h.toLowerCase());
      hWhere = where;
      checkHeader(header, seen, file, hWhere);
      col = Object.fromEntries(header.map((h, k) => [h, k]));
      return;
    }
    checkLimit(limits, 'rows', rows + 1, file, where, `more than ${rows} soundings`);
    const fields = splitCsv(raw);
    if (fields.length !== header.length) {
      throw new InputError(
        file,
        where,
        `${fields.length} fields, but the header has ${header.length} columns`,
      );
    }
    const num = (name: string, allowEmpty: boolean) =>
      parseNumber(fields[col[name]!]!, file, where, name, allowEmpty);
    const tx: Vec3 = [num('tx_x', false)!, num('tx_y', false)!, num('tx_z', false)!];
    const rx: Vec3 = [num('rx_x', false)!, num('rx_y', false)!, num('rx_z', false)!];
    if (tx[0] === rx[0] && tx[1] === rx[1] && tx[2] === rx[2])
      throw new InputError(file, where, 'Tx and Rx are at the same position');
    const metrics: Sounding['metrics'] = {};
    for (const m of SOUNDING_METRICS) {
      if (!seen.has(m)) continue;
      const v = num(m, true);
      if (v === undefined) continue;
      const problem = metricProblem(m, v);
      if (problem) throw new InputError(file, where, problem);
      metrics[m] = v;
    }
    let txPowerDbm: number | undefined;
    if (seen.has('tx_power_dbm')) {
      txPowerDbm = num('tx_power_dbm', true);
      for (const [column, metric] of [
        ['power_dbm', 'path_gain_db'],
        ['rss_dbm', 'coherent_gain_db'],
      ] as const) {
        if (!seen.has(column)) continue;
        const p = num(column, true);
        if (p === undefined) continue;
        if (txPowerDbm === undefined)
          throw new InputError(file, where, `${column} is given but tx_power_dbm is empty`);
        if (p > txPowerDbm) {
          throw new InputError(
            file,
            where,
            `${column} = ${p} dBm exceeds tx_power_dbm = ${txPowerDbm} dBm; is it in mW or W rather than dBm?`,
          );
        }
        const problem = metricProblem(metric, p - txPowerDbm);
        if (problem) throw new InputError(file, where, problem);
        metrics[metric] = p - txPowerDbm;
      }
    }
    rows++;
    if (rows <= keep) out.push({ tx, rx, metrics, txPowerDbm, origin: `${file} ${where}` });
    if (rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
  });
  if (!header)
    throw new InputError(file, 'line 1', 'empty file; expected a header tx_x,tx_y,tx_z,rx_x,rx_y,rx_z,…');
  if (rows === 0) throw new InputError(file, `line ${lastLine}`, 'no soundings after the header');
  options.onProgress?.(rows);
  return out;
}

function checkHeader(header: string[], seen: Set<string>, file: string, hWhere: string) {
  for (const h of header) {
    if (!SOUNDING_CSV_COLUMNS.includes(h)) {
      throw new InputError(file, hWhere, `unknown column '${h}' (known: ${SOUNDING_CSV_COLUMNS.join(', ')})`);
    }
    if (seen.has(h)) throw new InputError(file, hWhere, `column '${h}' appears twice`);
    seen.add(h);
  }
  for (const c of POSITION_COLUMNS) {
    if (!seen.has(c))
      throw new InputError(
        file,
        hWhere,
        `missing column '${c}' (positions tx_x,tx_y,tx_z,rx_x,rx_y,rx_z in metres are required)`,
      );
  }
  if ((seen.has('power_dbm') || seen.has('rss_dbm')) && !seen.has('tx_power_dbm')) {
    throw new InputError(
      file,
      hWhere,
      'power_dbm / rss_dbm need a tx_power_dbm column to give the path gain',
    );
  }
  if (seen.has('power_dbm') && seen.has('path_gain_db')) {
    throw new InputError(file, hWhere, 'give either power_dbm (with tx_power_dbm) or path_gain_db, not both');
  }
  if (seen.has('rss_dbm') && seen.has('coherent_gain_db')) {
    throw new InputError(
      file,
      hWhere,
      'give either rss_dbm (with tx_power_dbm) or coherent_gain_db, not both',
    );
  }
}

/** Write soundings CSV with the metrics present in any of them (empty cells where absent). */
export function writeSoundingsCsv(
  soundings: readonly Sounding[],
  metrics?: readonly SoundingMetric[],
): string {
  const used = metrics ?? SOUNDING_METRICS.filter((m) => soundings.some((s) => s.metrics[m] !== undefined));
  const fmt = (v: number | undefined) => (v === undefined ? '' : String(Number(v.toPrecision(10))));
  const rows = [[...POSITION_COLUMNS, ...used].join(',')];
  for (const s of soundings)
    rows.push(
      [...s.tx, ...s.rx]
        .map(fmt)
        .concat(used.map((m) => fmt(s.metrics[m])))
        .join(','),
    );
  return `${rows.join('\n')}\n`;
}

/** Tx/Rx positions only (candidate lists, plans): header tx_x…rx_z or rx_x,rx_y,rx_z. */
export function parsePositionsCsv(
  data: string | Uint8Array,
  file: string,
  options: SoundingsReadOptions = {},
): { tx?: Vec3; rx: Vec3; origin: string }[] {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let header: string[] | undefined;
  let hasTx = false;
  let lastLine = 1;
  const out: { tx?: Vec3; rx: Vec3; origin: string }[] = [];
  forEachLine(textBytes(data), file, (raw, lineNo) => {
    lastLine = lineNo;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    const where = `line ${lineNo}`;
    if (!header) {
      header = splitCsv(t.replace(/^\uFEFF/, '')).map((h) => h.toLowerCase());
      for (const h of header) {
        if (!SOUNDING_CSV_COLUMNS.includes(h))
          throw new InputError(
            file,
            where,
            `unknown column '${h}' (expected rx_x,rx_y,rx_z and optionally tx_x,tx_y,tx_z)`,
          );
      }
      for (const c of ['rx_x', 'rx_y', 'rx_z'])
        if (!header.includes(c)) throw new InputError(file, where, `missing column '${c}'`);
      hasTx = ['tx_x', 'tx_y', 'tx_z'].every((c) => header!.includes(c));
      return;
    }
    checkLimit(limits, 'rows', out.length + 1, file, where, `more than ${out.length} positions`);
    const fields = splitCsv(raw);
    if (fields.length !== header.length)
      throw new InputError(
        file,
        where,
        `${fields.length} fields, but the header has ${header.length} columns`,
      );
    const num = (name: string) => parseNumber(fields[header!.indexOf(name)]!, file, where, name, false)!;
    const rx: Vec3 = [num('rx_x'), num('rx_y'), num('rx_z')];
    const tx: Vec3 | undefined = hasTx ? [num('tx_x'), num('tx_y'), num('tx_z')] : undefined;
    if (tx && tx[0] === rx[0] && tx[1] === rx[1] && tx[2] === rx[2])
      throw new InputError(file, where, 'Tx and Rx are at the same position');
    out.push({ tx, rx, origin: `${file} ${where}` });
    if (out.length % PROGRESS_EVERY === 0) options.onProgress?.(out.length);
  });
  if (!header)
    throw new InputError(
      file,
      'line 1',
      'empty file; expected a header rx_x,rx_y,rx_z (optionally tx_x,tx_y,tx_z)',
    );
  if (out.length === 0) throw new InputError(file, `line ${lastLine}`, 'no positions after the header');
  return out;
}
