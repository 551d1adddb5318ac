import {
  BACKEND_CHOICES,
  type BackendChoice,
  type ChannelControl,
  type ChannelSettings,
  channelSettings,
  DEFAULT_CHANNEL_SETTINGS,
  describeSettings,
  MECHANISMS,
} from '../engine/channel/index.ts';
import {
  type AntennaSpec,
  type MaterialModel,
  PATTERN_NAMES,
  type PatternName,
  POLARIZATIONS,
  type Polarization,
  type ScatteringPattern,
} from '../engine/field/index.ts';
import type { TraceProgress } from '../engine/tracer/index.ts';
import { flag, numberFlag, type ParsedArgs, UsageError } from './args.ts';

/**
 * The channel settings every command that traces or evaluates takes, with the same flags and the
 * same defaults (channel/settings.ts), and `--backend`. Commands add these to their own flags.
 */
export const CHANNEL_BOOLEAN_FLAGS = MECHANISMS.map((m) => `no-${m}`);
export const CHANNEL_VALUE_FLAGS = [
  'max-depth',
  'rays',
  'scattering-rays',
  'material-model',
  'pattern',
  'polarization',
  'scattering-pattern',
  'tx-power-dbm',
  'backend',
];

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = flag(args, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

function integerFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const v = numberFlag(args, name, fallback);
  if (!Number.isInteger(v) || v < min || v > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${flag(args, name)}`);
  return v;
}

/** `lambertian`, `directive:4`, `backscattering:5,2,0.7`. */
export function parseScatteringPattern(text: string): ScatteringPattern {
  const [kind, rest] = text.split(':');
  const nums = rest === undefined ? [] : rest.split(',').map(Number);
  const intOk = (x: number | undefined) => x !== undefined && Number.isInteger(x) && x >= 0 && x <= 64;
  if (kind === 'lambertian' && rest === undefined) return { kind: 'lambertian' };
  if (kind === 'directive' && nums.length === 1 && intOk(nums[0]))
    return { kind: 'directive', alphaR: nums[0]! };
  if (
    kind === 'backscattering' &&
    nums.length === 3 &&
    intOk(nums[0]) &&
    intOk(nums[1]) &&
    nums[2]! >= 0 &&
    nums[2]! <= 1
  )
    return { kind: 'backscattering', alphaR: nums[0]!, alphaI: nums[1]!, lambda: nums[2]! };
  throw new UsageError(
    `--scattering-pattern must be lambertian, directive:αR or backscattering:αR,αI,Λ (integer exponents 0…64, 0 ≤ Λ ≤ 1), got '${text}'`,
  );
}

/** The channel settings from the command line (defaults as everywhere else). */
export function channelSettingsFromArgs(args: ParsedArgs, frequencyHz: number): ChannelSettings {
  const d = DEFAULT_CHANNEL_SETTINGS;
  const antenna: AntennaSpec = {
    pattern: choice<PatternName>(args, 'pattern', PATTERN_NAMES, 'iso'),
    polarization: choice<Polarization>(args, 'polarization', POLARIZATIONS, 'V'),
  };
  const rays = flag(args, 'rays') === undefined ? undefined : integerFlag(args, 'rays', 1, 1, 100_000_000);
  const sp = flag(args, 'scattering-pattern');
  try {
    return channelSettings({
      frequencyHz,
      maxDepth: integerFlag(args, 'max-depth', d.maxDepth, 0, 12),
      ...Object.fromEntries(MECHANISMS.map((m) => [m, flag(args, `no-${m}`) !== 'true'])),
      rays,
      scatteringRays: integerFlag(args, 'scattering-rays', d.scatteringRays, 1, 100_000_000),
      materialModel: choice<MaterialModel>(args, 'material-model', ['slab', 'halfspace'], d.materialModel),
      txAntenna: antenna,
      rxAntenna: antenna,
      scatteringPattern: sp === undefined ? d.scatteringPattern : parseScatteringPattern(sp),
      txPowerDbm: numberFlag(args, 'tx-power-dbm', d.txPowerDbm),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

export function backendFromArgs(args: ParsedArgs): BackendChoice {
  return choice<BackendChoice>(args, 'backend', BACKEND_CHOICES, 'auto');
}

/**
 * Progress and backend reports on stderr (`command: …`), throttled to one line per `everyMs`
 * (the last one always shows). Cancellation by SIGINT through `signal`.
 */
export function cliControl(
  command: string,
  settings: ChannelSettings,
  signal?: AbortSignal,
  everyMs = 500,
): ChannelControl {
  let lastReport = 0;
  const tty = process.stderr.isTTY;
  const said = new Set<string>();
  process.stderr.write(`${command}: ${describeSettings(settings)}\n`);
  return {
    signal,
    onProgress: (p: TraceProgress) => {
      const now = Date.now();
      if (now - lastReport < everyMs && p.done < p.total) return;
      lastReport = now;
      // candidates: beam-tree nodes against the budget, then scattering rays
      const what = p.phase === 'candidates' ? '' : ' receivers';
      process.stderr.write(
        `${tty ? '\r' : ''}${command}: ${p.phase} ${p.done}/${p.total}${what}${tty ? '   ' : '\n'}`,
      );
    },
    onBackend: (d) => {
      const line = `${command}: backend ${d.label} (${d.reason})${d.adapter ? ` on ${d.adapter}` : ''}`;
      if (said.has(line)) return;
      said.add(line);
      process.stderr.write(`${tty ? '\n' : ''}${line}\n`);
    },
  };
}

/** Abort on SIGINT while `body` runs. */
export async function withSigint<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('interrupted (SIGINT)'));
  process.once('SIGINT', onSigint);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
