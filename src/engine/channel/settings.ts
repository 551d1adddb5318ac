import { type AntennaSpec, DEFAULT_ANTENNA, PATTERN_NAMES, POLARIZATIONS } from '../field/antenna.ts';
import type { MaterialModel } from '../field/coefficients.ts';
import type { FieldOptions } from '../field/pathFrames.ts';
import { LAMBERTIAN, type ScatteringPattern } from '../field/scattering.ts';
import type { TracePathsOptions } from '../tracer/cpu/tracePaths.ts';

/**
 * Everything that decides a channel besides the scene, the devices and the materials: path
 * search depth and mechanisms, the material model, antennas, the scattering pattern and the Tx
 * power. One value, resolved with its defaults in one place (channelSettings), and used as it is
 * by the studio, the CLI and every backend: the same settings give the same paths and metrics.
 */
export interface ChannelSettings {
  frequencyHz: number;
  /** maximum interactions per path (every reflection, transmission, scattering, diffraction) */
  maxDepth: number;
  los: boolean;
  /** specular reflections */
  specular: boolean;
  transmission: boolean;
  /** diffuse scattering (objects with S > 0) */
  scattering: boolean;
  diffraction: boolean;
  /**
   * rays shot from each transmitter for the candidates beyond the exhaustive search's budget;
   * undefined (the default): derived from the scene's smallest face and a 10⁻³ miss probability
   * (docs/physics.md §9)
   */
  rays?: number;
  /** rays whose hits become diffuse-scattering points */
  scatteringRays: number;
  materialModel: MaterialModel;
  txAntenna: AntennaSpec;
  rxAntenna: AntennaSpec;
  scatteringPattern: ScatteringPattern;
  /** transmit power (dBm): received power = Tx power + gain */
  txPowerDbm: number;
}

export const DEFAULT_CHANNEL_SETTINGS: Omit<ChannelSettings, 'frequencyHz'> = {
  maxDepth: 3,
  los: true,
  specular: true,
  transmission: true,
  scattering: true,
  diffraction: true,
  rays: undefined,
  scatteringRays: 10_000,
  materialModel: 'slab',
  txAntenna: DEFAULT_ANTENNA,
  rxAntenna: DEFAULT_ANTENNA,
  scatteringPattern: LAMBERTIAN,
  txPowerDbm: 0,
};

/** Mechanism names as the CLI and the studio show them. */
export const MECHANISMS = ['los', 'specular', 'transmission', 'scattering', 'diffraction'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

const MAX_RAYS = 100_000_000;

/**
 * Settings with their defaults, validated: a value the physics cannot accept is a RangeError
 * naming the setting (the CLI and the studio show it next to the flag or field).
 */
export function channelSettings(
  partial: Partial<ChannelSettings> & { frequencyHz: number },
): ChannelSettings {
  const s = { ...DEFAULT_CHANNEL_SETTINGS, ...dropUndefined(partial) } as ChannelSettings;
  const f = s.frequencyHz;
  if (!(f > 0) || !Number.isFinite(f))
    throw new RangeError(`frequency must be a positive number of Hz, got ${f}`);
  if (!Number.isInteger(s.maxDepth) || s.maxDepth < 0 || s.maxDepth > 12)
    throw new RangeError(`max depth must be an integer from 0 to 12, got ${s.maxDepth}`);
  for (const [name, v] of [
    ['rays', s.rays ?? 1],
    ['scattering rays', s.scatteringRays],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_RAYS)
      throw new RangeError(`${name} must be an integer from 1 to ${MAX_RAYS}, got ${v}`);
  }
  if (s.materialModel !== 'slab' && s.materialModel !== 'halfspace')
    throw new RangeError(`material model must be slab or halfspace, got ${String(s.materialModel)}`);
  if (s.materialModel === 'halfspace' && s.transmission)
    throw new RangeError(
      'transmission is not defined in the halfspace material model (a half-space has no far side to come out of): use the slab model, or turn transmission off (docs/physics.md §4)',
    );
  for (const [name, a] of [
    ['Tx antenna', s.txAntenna],
    ['Rx antenna', s.rxAntenna],
  ] as const) {
    if (!PATTERN_NAMES.includes(a.pattern))
      throw new RangeError(
        `${name} pattern must be one of ${PATTERN_NAMES.join(', ')}, got ${String(a.pattern)}`,
      );
    if (!POLARIZATIONS.includes(a.polarization))
      throw new RangeError(
        `${name} polarization must be one of ${POLARIZATIONS.join(', ')}, got ${String(a.polarization)}`,
      );
    if (a.orientation && !(a.orientation.length === 3 && a.orientation.every(Number.isFinite)))
      throw new RangeError(`${name} orientation must be three finite angles (rad)`);
  }
  if (!Number.isFinite(s.txPowerDbm) || Math.abs(s.txPowerDbm) > 100)
    throw new RangeError(`Tx power must be a finite number of dBm within ±100, got ${s.txPowerDbm}`);
  return s;
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The path search's options for these settings (which objects scatter comes from the materials). */
export function traceOptionsOf(s: ChannelSettings, scatteringObjects?: readonly number[]): TracePathsOptions {
  return {
    maxDepth: s.maxDepth,
    los: s.los,
    specular: s.specular,
    transmission: s.transmission,
    scattering: s.scattering,
    diffraction: s.diffraction,
    rays: s.rays,
    scatteringRays: s.scatteringRays,
    scatteringObjects,
  };
}

/** The field evaluation's options for these settings. */
export function fieldOptionsOf(
  s: ChannelSettings,
  materialOf?: (objectIndex: number) => string,
): FieldOptions {
  return {
    frequencyHz: s.frequencyHz,
    materialModel: s.materialModel,
    txAntenna: s.txAntenna,
    rxAntenna: s.rxAntenna,
    scatteringPattern: s.scatteringPattern,
    materialOf,
  };
}

/** A short description for logs and result files: "depth 3, LoS+specular+…, slab, iso V". */
export function describeSettings(s: ChannelSettings): string {
  const on = MECHANISMS.filter((m) => s[m]);
  const ant = (a: AntennaSpec) => `${a.pattern} ${a.polarization}`;
  return `${s.frequencyHz / 1e9} GHz, depth ${s.maxDepth}, ${on.join('+') || 'no mechanism'}, ${s.materialModel}, Tx ${ant(s.txAntenna)}, Rx ${ant(s.rxAntenna)}`;
}
