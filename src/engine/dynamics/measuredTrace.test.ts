import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { parseMeasuredTrace } from './measuredTrace.ts';

describe('measured trace files', () => {
  const bad = (text: string) => {
    try {
      parseMeasuredTrace(text, 'trace.csv', 10);
    } catch (e) {
      if (e instanceof InputError) return e.message;
      throw e;
    }
    throw new Error('no error');
  };
  it('reads path gain, or received power less the Tx power', () => {
    expect(parseMeasuredTrace('t,path_gain_db\n0,-60\n0.1,-61\n0.2,-75.5\n', 'a.csv', 0).gainDb).toEqual([
      -60, -61, -75.5,
    ]);
    expect(
      parseMeasuredTrace('# sounder\nt, rx_power_dbm\n0,-50\n0.1,-51\n0.2,-52\n', 'b.csv', 10).gainDb,
    ).toEqual([-60, -61, -62]);
  });
  it('bad files: one line naming the file and line', () => {
    expect(bad('time,gain\n0,1\n')).toMatch(
      /^trace\.csv: line 1: expected a header 't,path_gain_db' or 't,rx_power_dbm'/,
    );
    expect(bad('t,path_gain_db\n0,-60\n0,-61\n1,-62\n')).toMatch(
      /^trace\.csv: line 3: time 0 s does not increase/,
    );
    expect(bad('t,path_gain_db\n0,-60\n0.1,NaN\n1,-62\n')).toMatch(
      /line 3: 'path_gain_db' must be a finite number/,
    );
    expect(bad('t,path_gain_db\n0,-60\n0.1,3\n1,-62\n')).toMatch(/line 3: path gain 3 dB is above 0 dB/);
    expect(bad('t,rx_power_dbm\n0,-60\n0.1,20\n1,-62\n')).toMatch(
      /line 3: received power 20 dBm exceeds the Tx power 10 dBm/,
    );
    expect(bad('t,path_gain_db\n0,-60\n0.1\n')).toMatch(/line 3: 1 fields, but the header has 2 columns/);
    expect(bad('t,path_gain_db\n0,-60\n')).toMatch(/1 rows; a trace needs at least 3/);
    expect(bad('')).toMatch(/empty file/);
  });
});
