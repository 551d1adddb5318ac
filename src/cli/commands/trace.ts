import { readFile, writeFile } from 'node:fs/promises';
import { Channel, type ChannelSettings, type LinkResult } from '../../engine/channel/index.ts';
import type { Vec3 } from '../../engine/core/index.ts';
import { InputError } from '../../engine/core/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { ITU_EDITION, resolveSceneMaterials } from '../../engine/materials/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, parsePoint, requireFlag, UsageError } from '../args.ts';
import {
  backendFromArgs,
  CHANNEL_BOOLEAN_FLAGS,
  CHANNEL_USAGE,
  CHANNEL_VALUE_FLAGS,
  channelSettingsFromArgs,
  cliControl,
  withSigint,
} from '../channelFlags.ts';

export const usage = `rftwin trace --scene S --frequency HZ --tx x,y,z (--rx x,y,z … | --rx-file rx.csv) ${CHANNEL_USAGE} [--extrapolate] [--out file]`;

const BOOLEAN_FLAGS = [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate'];
const VALUE_FLAGS = ['scene', 'frequency', 'tx', 'rx', 'rx-file', 'out', ...CHANNEL_VALUE_FLAGS];

/** Receivers from a CSV file whose header names columns x, y, z (any order, other columns ignored). */
export function parseReceiverCsv(text: string, file: string): Vec3[] {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let cols: number[] = [];
  const out: Vec3[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase().replace(/^"|"$/g, ''));
      cols = ['x', 'y', 'z'].map((n) => header!.indexOf(n));
      if (cols.some((c) => c < 0)) {
        throw new InputError(file, `line ${i + 1}`, `header must name columns x, y, z; got '${line}'`);
      }
      continue;
    }
    const v = cols.map((c) => (cells[c] === undefined || cells[c] === '' ? Number.NaN : Number(cells[c])));
    if (!v.every(Number.isFinite)) {
      throw new InputError(
        file,
        `line ${i + 1}`,
        `expected finite numbers in columns x, y, z; got '${line}'`,
      );
    }
    out.push([v[0]!, v[1]!, v[2]!]);
  }
  if (!header)
    throw new InputError(file, undefined, 'empty file; expected a header x,y,z and one receiver per line');
  if (out.length === 0) throw new InputError(file, undefined, 'no receivers (only a header)');
  return out;
}

/** Finite dB and numbers for JSON (JSON has no ±Infinity/NaN: they become null). */
const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function traceJson(
  links: readonly LinkResult[],
  settings: ChannelSettings,
  scene: Scene,
  backend: { label: string; reason: string },
) {
  return {
    frequency_hz: settings.frequencyHz,
    itu_edition: ITU_EDITION,
    backend: backend.label,
    backend_reason: backend.reason,
    settings: {
      max_depth: settings.maxDepth,
      los: settings.los,
      specular: settings.specular,
      transmission: settings.transmission,
      scattering: settings.scattering,
      diffraction: settings.diffraction,
      rays: settings.rays,
      scattering_rays: settings.scatteringRays,
      material_model: settings.materialModel,
      tx_antenna: settings.txAntenna,
      rx_antenna: settings.rxAntenna,
      scattering_pattern: settings.scatteringPattern,
      tx_power_dbm: settings.txPowerDbm,
    },
    links: links.map((l) => ({
      tx: l.tx,
      rx: l.rx,
      paths: l.paths.map((p) => ({
        kind: p.kind,
        interactions: p.interactions.map((i) => ({
          type: i.type,
          object: scene.objects[i.objectIndex]?.name ?? i.objectIndex,
          point: i.point,
        })),
        delay_s: p.delay,
        gain_db: num(10 * Math.log10(p.a.re * p.a.re + p.a.im * p.a.im)),
        a: [p.a.re, p.a.im],
        aod: { azimuth_deg: p.aod.azimuthDeg, elevation_deg: p.aod.elevationDeg },
        aoa: { azimuth_deg: p.aoa.azimuthDeg, elevation_deg: p.aoa.elevationDeg },
      })),
      metrics: {
        path_gain_db: num(l.metrics.pathGainDb),
        coherent_gain_db: num(l.metrics.coherentGainDb),
        rms_delay_spread_s: num(l.metrics.rmsDelaySpreadS),
        angular_spread_deg: num(l.metrics.angularSpreadDeg),
        k_factor_db: num(l.metrics.kFactorDb),
        k_factor_reference: l.metrics.kFactorReference,
        // K = ∞ (a single path) and an undefined K both print as null: this says which
        k_factor_infinite: l.metrics.kFactorDb === Number.POSITIVE_INFINITY,
        los: l.metrics.los,
        path_count: l.metrics.pathCount,
        received_power_dbm: num(settings.txPowerDbm + l.metrics.pathGainDb),
      },
    })),
  };
}

/** Indented JSON with arrays of numbers (points, coefficients) kept on one line. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /\[\s+((?:-?[\d.eE+-]+|null)(?:,\s+(?:-?[\d.eE+-]+|null))*)\s+\]/g,
    (_, inner: string) => `[${inner.replace(/,\s+/g, ', ')}]`,
  );
}

/**
 * Receiver points in command-line order: `--rx a`, `--rx=a`, and the extra points after one
 * `--rx` (`--rx a b c`), up to the next option.
 */
function receiverTokens(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--rx=')) out.push(a.slice(5));
    else if (a === '--rx') {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) out.push(argv[++i]!);
    }
  }
  return out;
}

/** `rftwin trace`: paths, fields and metrics from one transmitter to receivers. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, BOOLEAN_FLAGS);
  checkFlags(args, [...BOOLEAN_FLAGS, ...VALUE_FLAGS]);
  const scenePath = requireFlag(args, 'scene');
  const frequencyHz = numberFlag(args, 'frequency');
  if (!(frequencyHz > 0))
    throw new UsageError(`--frequency must be a positive number of Hz, got ${frequencyHz}`);
  const tx = parsePoint(requireFlag(args, 'tx'), '--tx');
  const rxTexts = receiverTokens(argv);
  const rxFile = flag(args, 'rx-file');
  if (rxTexts.length > 0 && rxFile) throw new UsageError('give receivers with --rx or --rx-file, not both');
  if (args.positional.length > rxTexts.length - (args.flags.get('rx')?.length ?? 0)) {
    throw new UsageError(`unexpected argument '${args.positional[0]}' (receivers go after --rx)`);
  }
  let rx: Vec3[];
  if (rxFile) {
    let text: string;
    try {
      text = await readFile(rxFile, 'utf8');
    } catch (e) {
      throw new InputError(
        rxFile,
        undefined,
        `cannot read receivers file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    rx = parseReceiverCsv(text, rxFile);
  } else if (rxTexts.length > 0) {
    // `--rx a --rx b` or `--rx a b c`
    rx = rxTexts.map((t) => parsePoint(t, '--rx'));
  } else {
    throw new UsageError('missing receivers: give --rx x,y,z (repeatable) or --rx-file rx.csv');
  }
  const settings = channelSettingsFromArgs(args, frequencyHz);
  const backendChoice = backendFromArgs(args);
  const scene = await loadScene(nodeFileSource, scenePath);
  const materials = resolveSceneMaterials(scene.materials, frequencyHz, {
    allowExtrapolation: flag(args, 'extrapolate') === 'true',
  });
  const started = Date.now();
  let backend = { label: '', reason: '' };
  const links = await withSigint(async (signal) => {
    try {
      const channel = await Channel.open(scene, settings, { backend: backendChoice });
      const control = cliControl('trace', settings, signal);
      const report = control.onBackend!;
      control.onBackend = (d) => {
        backend = { label: d.label, reason: d.reason };
        report(d);
      };
      return await channel.traceLinks(
        rx.map((r) => ({ tx, rx: r })),
        materials,
        control,
      );
    } finally {
      await releaseGpu();
    }
  });
  const nPaths = links.reduce((s, l) => s + l.paths.length, 0);
  process.stderr.write(
    `trace: ${scene.name}: ${rx.length} link(s), ${nPaths} paths in ${((Date.now() - started) / 1000).toFixed(2)} s\n`,
  );
  const json = `${compactJson(traceJson(links, settings, scene, backend))}\n`;
  const out = flag(args, 'out');
  if (out) {
    try {
      await writeFile(out, json);
    } catch (e) {
      throw new InputError(
        out,
        undefined,
        `cannot write output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  } else {
    process.stdout.write(json);
  }
  return 0;
}
