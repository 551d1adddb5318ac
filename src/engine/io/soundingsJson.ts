import { InputError } from '../core/errors.ts';
import { expectNumber, expectPoint, getField, type LocatedJson, parseLocatedJson } from './jsonLines.ts';
import {
  type MeasuredPath,
  SOUNDING_METRICS,
  type Sounding,
  type SoundingMetric,
  type SoundingsReadOptions,
  validateMetric,
} from './soundings.ts';

/**
 * Soundings JSON with per-link multipath lists:
 * { "links": [ { "tx": [x,y,z], "rx": [x,y,z], "path_gain_db"?: …, "rms_delay_spread_ns"?: …,
 *   "paths"?: [ { "delay_s", "gain_db", "aoa_azimuth_deg"?, "aoa_elevation_deg"?,
 *   "aod_azimuth_deg"?, "aod_elevation_deg"? } ] } ] }
 */
const LINK_KEYS = new Set(['tx', 'rx', 'paths', ...SOUNDING_METRICS]);
const PATH_KEYS: Record<string, keyof MeasuredPath> = {
  delay_s: 'delayS',
  gain_db: 'gainDb',
  aoa_azimuth_deg: 'aoaAzimuthDeg',
  aoa_elevation_deg: 'aoaElevationDeg',
  aod_azimuth_deg: 'aodAzimuthDeg',
  aod_elevation_deg: 'aodElevationDeg',
};

export function parseSoundingsJson(
  data: string | Uint8Array,
  file: string,
  options: SoundingsReadOptions = {},
): Sounding[] {
  const root = parseLocatedJson(data, file, options.limits);
  const links = getField(root, 'links');
  if (links?.kind !== 'array') throw new InputError(file, `line ${root.line}`, 'expected {"links": [ … ]}');
  if (links.items.length === 0) throw new InputError(file, `line ${links.line}`, 'no links');
  const out = links.items.map((link) => parseLink(link, file));
  options.onProgress?.(out.length);
  return out.slice(0, options.keep ?? out.length);
}

function parseLink(link: LocatedJson, file: string): Sounding {
  const where = `line ${link.line}`;
  if (link.kind !== 'object')
    throw new InputError(file, where, 'each link must be an object with tx, rx and metrics');
  for (const [key, v] of link.entries) {
    if (!LINK_KEYS.has(key))
      throw new InputError(
        file,
        `line ${v.line}`,
        `unknown key '${key}' (known: ${[...LINK_KEYS].join(', ')})`,
      );
  }
  const tx = expectPoint(link.entries.get('tx'), file, 'tx', link.line);
  const rx = expectPoint(link.entries.get('rx'), file, 'rx', link.line);
  if (tx[0] === rx[0] && tx[1] === rx[1] && tx[2] === rx[2])
    throw new InputError(file, where, 'Tx and Rx are at the same position');
  const metrics: Sounding['metrics'] = {};
  for (const m of SOUNDING_METRICS) {
    const v = link.entries.get(m);
    if (!v) continue;
    const x = expectNumber(v, file, m, link.line);
    validateMetric(m as SoundingMetric, x, file, `line ${v.line}`);
    metrics[m] = x;
  }
  const pathsJson = link.entries.get('paths');
  let paths: MeasuredPath[] | undefined;
  if (pathsJson) {
    if (pathsJson.kind !== 'array')
      throw new InputError(file, `line ${pathsJson.line}`, 'paths must be a list of {delay_s, gain_db}');
    paths = pathsJson.items.map((p) => {
      if (p.kind !== 'object')
        throw new InputError(file, `line ${p.line}`, 'each path must be {delay_s, gain_db, …}');
      const out: Partial<MeasuredPath> = {};
      for (const [key, v] of p.entries) {
        const name = PATH_KEYS[key];
        if (!name)
          throw new InputError(
            file,
            `line ${v.line}`,
            `unknown path key '${key}' (known: ${Object.keys(PATH_KEYS).join(', ')})`,
          );
        out[name] = expectNumber(v, file, key, p.line);
      }
      const delay = expectNumber(p.entries.get('delay_s'), file, 'delay_s', p.line);
      const gain = expectNumber(p.entries.get('gain_db'), file, 'gain_db', p.line);
      if (delay < 0) throw new InputError(file, `line ${p.line}`, `delay_s = ${delay} is negative`);
      if (delay > 1e-3)
        throw new InputError(
          file,
          `line ${p.line}`,
          `delay_s = ${delay} is over 1 ms; is it in ns rather than seconds?`,
        );
      if (gain > 0) {
        throw new InputError(
          file,
          `line ${p.line}`,
          gain < 1
            ? `gain_db = ${gain} looks like a linear gain; give 10·log10 of it`
            : `gain_db = ${gain} dB is positive, impossible for a passive path`,
        );
      }
      return out as MeasuredPath;
    });
  }
  return { tx, rx, metrics, paths, origin: `${file} ${where}` };
}

export function writeSoundingsJson(soundings: readonly Sounding[]): string {
  const links = soundings.map((s) => {
    const o: Record<string, unknown> = { tx: s.tx, rx: s.rx, ...s.metrics };
    if (s.paths) {
      o.paths = s.paths.map((p) => {
        const q: Record<string, number> = {};
        for (const [key, name] of Object.entries(PATH_KEYS)) if (p[name] !== undefined) q[key] = p[name]!;
        return q;
      });
    }
    return o;
  });
  return `${JSON.stringify({ links }, null, 1)}\n`;
}
