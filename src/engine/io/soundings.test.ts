import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { parseSoundings } from './loadSoundings.ts';
import { parseMaterialsJson, writeMaterialsJson } from './materialsJson.ts';
import { parsePositionsCsv, parseSoundingsCsv, writeSoundingsCsv } from './soundings.ts';
import { parseSoundingsJson, writeSoundingsJson } from './soundingsJson.ts';

const HEADER = 'tx_x,tx_y,tx_z,rx_x,rx_y,rx_z';

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('soundings CSV', () => {
  it('parses positions and metrics, converts received power with tx power to path gain', () => {
    const text = `# comment\n${HEADER},tx_power_dbm,power_dbm,rms_delay_spread_ns,k_factor_db\n0,0,2,3,4,1.5,20,-55.5,12.25,3\n1,1,2,2,2,1.5,20,-60,,\n`;
    const s = parseSoundingsCsv(text, 'a.csv');
    expect(s).toHaveLength(2);
    expect(s[0]!.tx).toEqual([0, 0, 2]);
    expect(s[0]!.rx).toEqual([3, 4, 1.5]);
    expect(s[0]!.metrics.path_gain_db).toBeCloseTo(-75.5, 12);
    expect(s[0]!.metrics.rms_delay_spread_ns).toBe(12.25);
    expect(s[1]!.metrics.rms_delay_spread_ns).toBeUndefined();
    expect(s[1]!.origin).toBe('a.csv line 4');
  });

  it('round-trips through the writer', () => {
    const text = `${HEADER},path_gain_db,coherent_gain_db,rms_delay_spread_ns,angular_spread_deg\n0,0,2,3,4,1.5,-70.125,-68.5,10.5,33\n`;
    const s = parseSoundingsCsv(text, 'a.csv');
    const back = parseSoundingsCsv(writeSoundingsCsv(s), 'b.csv');
    expect(back[0]!.metrics).toEqual(s[0]!.metrics);
    expect(back[0]!.tx).toEqual(s[0]!.tx);
  });

  it.each([
    ['NaN', `${HEADER},path_gain_db\n0,0,2,3,4,1.5,NaN\n`, 'line 2', 'path_gain_db'],
    [
      'negative spread',
      `${HEADER},rms_delay_spread_ns\n0,0,2,3,4,1.5,10\n0,0,2,3,4,1.6,-1\n`,
      'line 3',
      'negative',
    ],
    ['unknown column', `${HEADER},rsrp\n0,0,2,3,4,1.5,1\n`, 'line 1', "unknown column 'rsrp'"],
    [
      'delay spread in seconds',
      `${HEADER},rms_delay_spread_ns\n0,0,2,3,4,1.5,1.2e-8\n`,
      'line 2',
      'looks like seconds',
    ],
    ['linear gain', `${HEADER},path_gain_db\n0,0,2,3,4,1.5,3.2e-7\n`, 'line 2', 'linear gain'],
    ['power in mW', `${HEADER},tx_power_dbm,power_dbm\n0,0,2,3,4,1.5,20,25\n`, 'line 2', 'mW'],
    ['power without tx power', `${HEADER},power_dbm\n0,0,2,3,4,1.5,-50\n`, 'line 1', 'tx_power_dbm'],
    ['missing position', 'tx_x,tx_y,tx_z,rx_x,rx_y\n0,0,2,3,4\n', 'line 1', 'rx_z'],
    ['wrong field count', `${HEADER}\n0,0,2,3,4\n`, 'line 2', 'fields'],
    ['negative angular spread', `${HEADER},angular_spread_deg\n\n0,0,2,3,4,1.5,-3\n`, 'line 3', 'negative'],
  ])('reports %s with its line', (_name, text, line, words) => {
    const e = errorOf(() => parseSoundingsCsv(text, 'bad.csv'));
    expect(e.file).toBe('bad.csv');
    expect(e.element).toBe(line);
    expect(e.message).toContain(words);
  });

  it('reads candidate position lists with or without Tx columns', () => {
    expect(parsePositionsCsv('rx_x,rx_y,rx_z\n1,2,1.5\n', 'c.csv')[0]).toMatchObject({
      rx: [1, 2, 1.5],
      tx: undefined,
    });
    expect(errorOf(() => parsePositionsCsv('rx_x,rx_y,rx_z\n1,x,1.5\n', 'c.csv')).element).toBe('line 2');
  });
});

describe('soundings JSON', () => {
  const good = `{
  "links": [
    {
      "tx": [0, 0, 2], "rx": [3, 4, 1.5],
      "path_gain_db": -70,
      "paths": [
        {"delay_s": 1.7e-8, "gain_db": -72, "aoa_azimuth_deg": 10},
        {"delay_s": 2.5e-8, "gain_db": -80}
      ]
    }
  ]
}`;
  it('parses multipath lists and round-trips', () => {
    const s = parseSoundings(good, 'm.json');
    expect(s[0]!.paths).toHaveLength(2);
    expect(s[0]!.paths![0]).toEqual({ delayS: 1.7e-8, gainDb: -72, aoaAzimuthDeg: 10 });
    expect(s[0]!.origin).toBe('m.json line 3');
    const back = parseSoundingsJson(writeSoundingsJson(s), 'n.json');
    expect(back[0]!.paths).toEqual(s[0]!.paths);
    expect(back[0]!.metrics).toEqual(s[0]!.metrics);
  });

  it.each([
    ['delay in ns', good.replace('1.7e-8', '17'), 'line 7', 'ns rather than seconds'],
    ['linear path gain', good.replace('"gain_db": -80', '"gain_db": 1e-8'), 'line 8', 'linear gain'],
    ['unknown key', good.replace('"path_gain_db"', '"pathgain"'), 'line 5', "unknown key 'pathgain'"],
    ['NaN', good.replace('-70', 'NaN'), 'line 5', 'NaN'],
    ['bad position', good.replace('[3, 4, 1.5]', '[3, 4]'), 'line 4', 'rx must be [x, y, z]'],
  ])('reports %s with its line', (_name, text, line, words) => {
    const e = errorOf(() => parseSoundingsJson(text, 'm.json'));
    expect(e.element).toBe(line);
    expect(e.message).toContain(words);
  });
});

describe('materials JSON', () => {
  it('reads partial entries and round-trips', () => {
    const text =
      '{"materials": {"itu_brick": {"conductivity": 0.05, "relative_permittivity": 3.9}, "itu_wood": {"conductivity": 0.2, "conductivity_std": 0.01, "conductivity_identifiable": false}}, "iterations": 3}';
    const m = parseMaterialsJson(text, 't.json');
    expect(m).toEqual({
      itu_brick: { conductivity: 0.05, relative_permittivity: 3.9 },
      itu_wood: { conductivity: 0.2 },
    });
    expect(parseMaterialsJson(writeMaterialsJson(m), 'u.json')).toEqual(m);
  });
  it('rejects out-of-range and unknown parameters with the line', () => {
    const e = errorOf(() => parseMaterialsJson('{"materials": {\n"a": {\n"conductivity": -1}}}', 't.json'));
    expect(e.element).toBe('line 3');
    expect(e.message).toContain('≥ 0');
    expect(
      errorOf(() => parseMaterialsJson('{"materials": {"a": {"sigma": 1}}}', 't.json')).message,
    ).toContain("unknown parameter 'sigma'");
  });
});
