import { InputError } from '../core/errors.ts';

/**
 * A measured, time-stamped received-signal trace (issue 14): CSV with a header `t,path_gain_db`
 * or `t,rx_power_dbm` (seconds; dB or dBm), e.g. a person crossing a link recorded by a sounder.
 * Received power becomes path gain with the link budget's Tx power: G = P_rx − P_tx.
 */
export interface MeasuredTrace {
  /** seconds, strictly increasing */
  t: number[];
  /** path gain, dB */
  gainDb: number[];
  /** which column the file gave */
  column: 'path_gain_db' | 'rx_power_dbm';
  /** the file it came from (errors name it) */
  file?: string;
}

/** Rows a trace may hold (a 1 kHz trace of 15 minutes): bounded work for any file. */
export const MAX_TRACE_ROWS = 1_000_000;

export function parseMeasuredTrace(
  bytes: Uint8Array | string,
  file: string,
  txPowerDbm: number,
): MeasuredTrace {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  const lines = text.split(/\r?\n/);
  let column: MeasuredTrace['column'] | undefined;
  let ti = -1;
  let vi = -1;
  let width = 0;
  const t: number[] = [];
  const gainDb: number[] = [];
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const where = `line ${k + 1}`;
    const fields = raw.split(',').map((f) => f.trim());
    if (!column) {
      const header = fields.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).toLowerCase());
      ti = header.indexOf('t');
      const g = header.indexOf('path_gain_db');
      const p = header.indexOf('rx_power_dbm');
      if (ti < 0 || g < 0 === p < 0)
        throw new InputError(
          file,
          where,
          `expected a header 't,path_gain_db' or 't,rx_power_dbm', got '${raw.slice(0, 80)}'`,
        );
      column = g >= 0 ? 'path_gain_db' : 'rx_power_dbm';
      vi = g >= 0 ? g : p;
      width = header.length;
      continue;
    }
    if (fields.length !== width)
      throw new InputError(file, where, `${fields.length} fields, but the header has ${width} columns`);
    const num = (i: number, name: string) => {
      const s = fields[i]!;
      const v = s === '' ? Number.NaN : Number(s);
      if (!Number.isFinite(v))
        throw new InputError(file, where, `'${name}' must be a finite number, got '${s}'`);
      return v;
    };
    const tk = num(ti, 't');
    const v = num(vi, column);
    if (t.length > 0 && !(tk > t[t.length - 1]!))
      throw new InputError(
        file,
        where,
        `time ${tk} s does not increase (the row before has ${t[t.length - 1]} s)`,
      );
    if (t.length >= MAX_TRACE_ROWS)
      throw new InputError(file, where, `more than ${MAX_TRACE_ROWS} rows; thin the trace first`);
    // a path gain above 0 dB is not a passive channel
    const g = column === 'path_gain_db' ? v : v - txPowerDbm;
    if (!(g <= 0))
      throw new InputError(
        file,
        where,
        column === 'path_gain_db'
          ? `path gain ${v} dB is above 0 dB (a passive channel cannot amplify)`
          : `received power ${v} dBm exceeds the Tx power ${txPowerDbm} dBm (path gain above 0 dB)`,
      );
    t.push(tk);
    gainDb.push(g);
  }
  if (!column)
    throw new InputError(
      file,
      'line 1',
      "empty file; expected a header 't,path_gain_db' or 't,rx_power_dbm'",
    );
  if (t.length < 3)
    throw new InputError(file, `line ${lines.length}`, `${t.length} rows; a trace needs at least 3`);
  return { t, gainDb, column, file };
}
