import {
  Channel,
  type ChannelSettings,
  type LinkResult,
  NEAR_FIELD_WAVELENGTHS,
} from '../../engine/channel/index.ts';
import type { Vec3 } from '../../engine/core/index.ts';
import {
  checkLimit,
  DEFAULT_LIMITS,
  fingerprint,
  forEachLine,
  InputError,
  type InputLimits,
  numberProblem,
  parseDecimal,
} from '../../engine/core/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { ITU_EDITION, resolveSceneMaterials } from '../../engine/materials/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import { traceLinksParallel } from '../../engine/parallel/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { loadScene, sceneHash } from '../../engine/scene/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, parsePoint, requireFlag, UsageError } from '../args.ts';
import {
  backendFromArgs,
  CHANNEL_BOOLEAN_FLAGS,
  CHANNEL_VALUE_FLAGS,
  channelSettingsFromArgs,
  cliControl,
  withSigint,
} from '../channelFlags.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions, readInput } from '../inputs.ts';
import { checkFinite, prepareOutput, writeOutput } from '../output.ts';
import { TRACE_CHUNK_FORMAT } from '../traceChunks.ts';
import { USAGE } from '../usage.ts';
import { MIN_PARALLEL_WORK, nodeWorkerPool, threadsFromArgs, workersFor } from '../workerPool.ts';

export const usage = USAGE.trace;

const BOOLEAN_FLAGS = [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate', 'force', ...INPUT_BOOLEAN_FLAGS];
const VALUE_FLAGS = [
  'scene',
  'frequency',
  'tx',
  'rx',
  'rx-file',
  'out',
  'chunk',
  'threads',
  ...CHANNEL_VALUE_FLAGS,
  ...INPUT_VALUE_FLAGS,
];

/**
 * Receivers from a CSV file whose header names columns x, y, z (any order, other columns
 * ignored); at most limits.rows receivers, numbers in the strict decimal grammar.
 */
export function parseReceiverCsv(
  data: string | Uint8Array,
  file: string,
  limits: InputLimits = DEFAULT_LIMITS,
): Vec3[] {
  let header: string[] | undefined;
  let cols: number[] = [];
  let lastLine = 1;
  const out: Vec3[] = [];
  forEachLine(typeof data === 'string' ? new TextEncoder().encode(data) : data, file, (raw, lineNo) => {
    lastLine = lineNo;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase().replace(/^"|"$/g, ''));
      cols = ['x', 'y', 'z'].map((n) => header!.indexOf(n));
      if (cols.some((c) => c < 0)) {
        throw new InputError(
          file,
          `line ${lineNo}`,
          `header must name columns x, y, z; got '${line.slice(0, 80)}'`,
        );
      }
      return;
    }
    checkLimit(limits, 'rows', out.length + 1, file, `line ${lineNo}`, `more than ${out.length} receivers`);
    const v = cols.map((c, k) => {
      const x = parseDecimal(cells[c] ?? '');
      if (x === undefined)
        throw new InputError(file, `line ${lineNo}`, `column ${'xyz'[k]}: ${numberProblem(cells[c] ?? '')}`);
      return x;
    });
    out.push([v[0]!, v[1]!, v[2]!]);
  });
  if (!header)
    throw new InputError(file, 'line 1', 'empty file; expected a header x,y,z and one receiver per line');
  if (out.length === 0) throw new InputError(file, `line ${lastLine}`, 'no receivers (only a header)');
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
      rays: settings.rays ?? 'auto',
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
        // Tx–Rx or a path segment shorter than NEAR_FIELD_WAVELENGTHS·λ: ray optics does not hold
        // there and the numbers above are not valid (docs/physics.md §2)
        near_field: l.nearField.nearField,
        shortest_distance_m: l.nearField.shortestDistanceM,
        shortest_distance_wavelengths: l.nearField.wavelengths,
      },
      // the path search (docs/physics.md §9): complete, or exhaustive to a depth and shot rays
      // beyond it with their estimated miss rate
      search: {
        complete: l.search.complete,
        exhaustive_depth: l.search.exhaustiveDepth,
        rays: l.search.rays,
        estimated_miss_rate: l.search.missRate,
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

/** `--chunk i/K`: receivers [⌊i·n/K⌋, ⌊(i+1)·n/K⌋) of the file's n (chunk i of K, 0-based). */
function chunkFromArgs(text: string | undefined, n: number, rxFile: string | undefined) {
  if (text === undefined) return undefined;
  if (!rxFile) throw new UsageError('--chunk i/K splits the receivers of --rx-file');
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [Number.NaN, Number.NaN];
  if (!(count >= 1 && index >= 0 && index < count))
    throw new UsageError(`--chunk must be i/K with 0 ≤ i < K (chunk i of K), got '${text}'`);
  if (count > n)
    throw new UsageError(`--chunk ${text}: ${rxFile} has ${n} receiver(s), so at most ${n} chunks`);
  return { index, count, start: Math.floor((index * n) / count), end: Math.floor(((index + 1) * n) / count) };
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
  const inputs = inputOptions(args);
  const out = flag(args, 'out');
  const force = flag(args, 'force') === 'true';
  if (out) await prepareOutput(out, force);
  let rx: Vec3[];
  if (rxFile) {
    rx = parseReceiverCsv(await readInput(rxFile, inputs), rxFile, inputs.limits);
  } else if (rxTexts.length > 0) {
    // `--rx a --rx b` or `--rx a b c`
    rx = rxTexts.map((t) => parsePoint(t, '--rx'));
  } else {
    throw new UsageError('missing receivers: give --rx x,y,z (repeatable) or --rx-file rx.csv');
  }
  const chunk = chunkFromArgs(flag(args, 'chunk'), rx.length, rxFile);
  const allRx = rx;
  if (chunk) rx = rx.slice(chunk.start, chunk.end);
  const threads = threadsFromArgs(args);
  const settings = channelSettingsFromArgs(args, frequencyHz);
  const backendChoice = backendFromArgs(args);
  const scene = await loadScene(nodeFileSource, scenePath, inputs);
  const materials = resolveSceneMaterials(scene.materials, frequencyHz, {
    allowExtrapolation: flag(args, 'extrapolate') === 'true',
  });
  const started = Date.now();
  let backend = { label: '', reason: '' };
  const links = await withSigint(async (signal) => {
    try {
      const channel = await Channel.open(scene, settings, { backend: backendChoice, jobs: ['links'] });
      const control = cliControl('trace', settings, signal);
      const report = control.onBackend!;
      control.onBackend = (d) => {
        backend = { label: d.label, reason: d.reason };
        report(d);
      };
      const endpoints = rx.map((r) => ({ tx, rx: r }));
      const choice = channel.backendFor({ kind: 'links', links: endpoints.length });
      const workers = workersFor(threads, endpoints.length, MIN_PARALLEL_WORK.links, endpoints.length);
      if (choice.backend.kind !== 'cpu' || workers < 2)
        return await channel.traceLinks(endpoints, materials, control);
      // CPU work on this thread and worker threads, chunks of links; the same links as one thread
      control.onBackend(channel.used(choice.decision, choice.backend));
      process.stderr.write(
        `trace: ${workers} threads (this one and ${workers - 1} worker thread${workers > 2 ? 's' : ''})\n`,
      );
      const pool = nodeWorkerPool(workers);
      try {
        await pool.open(scene, settings, materials);
        return await traceLinksParallel(pool, endpoints, {
          signal,
          onProgress: (p) => control.onProgress?.({ phase: 'receivers', ...p }),
        });
      } finally {
        pool.terminate();
      }
    } finally {
      await releaseGpu();
    }
  });
  const nPaths = links.reduce((s, l) => s + l.paths.length, 0);
  const near = links.filter((l) => l.nearField.nearField);
  if (near.length > 0)
    process.stderr.write(
      `trace: warning: ${near.length} link(s) shorter than ${NEAR_FIELD_WAVELENGTHS} wavelengths between Tx, Rx, scattering or diffraction points along a path (shortest ${Math.min(...near.map((l) => l.nearField.shortestDistanceM)).toPrecision(3)} m): near field, their metrics are not valid (marked near_field)\n`,
    );
  process.stderr.write(
    `trace: ${scene.name}: ${rx.length} link(s), ${nPaths} paths in ${((Date.now() - started) / 1000).toFixed(2)} s\n`,
  );
  const report: Record<string, unknown> = traceJson(links, settings, scene, backend);
  if (chunk) {
    // what `rftwin merge` checks: every chunk of one job (traceChunk.ts)
    report.job = {
      scene: scene.name,
      scene_hash: sceneHash(scene),
      frequency_hz: frequencyHz,
      settings,
      materials,
      tx,
      receivers: allRx.length,
      receivers_hash: fingerprint([Float64Array.from(allRx.flat())]),
    };
    report.chunk = { index: chunk.index, count: chunk.count, rx_start: chunk.start, rx_end: chunk.end };
    report.format = TRACE_CHUNK_FORMAT;
  }
  checkFinite(report, 'result', `scene ${scenePath} at ${frequencyHz} Hz with Tx ${tx.join(',')}`);
  const json = `${compactJson(report)}\n`;
  if (out) {
    await writeOutput(out, json, force);
  } else {
    process.stdout.write(json);
  }
  return 0;
}
