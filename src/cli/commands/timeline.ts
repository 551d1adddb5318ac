import { dirname, resolve } from 'node:path';
import { describeSettings } from '../../engine/channel/index.ts';
import { InputError } from '../../engine/core/index.ts';
import {
  type ActorMaterial,
  type ActorsFile,
  actorMaterialFromName,
  type BlockerFit,
  DEFAULT_TRACE_NOISE_DB,
  fitBlocker,
  type MeasuredTrace,
  parseActorsFile,
  parseMeasuredTrace,
  stepJson,
  type TimelineMode,
  timeline,
} from '../../engine/dynamics/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { ITU_EDITION, ITU_MATERIAL_NAMES } from '../../engine/materials/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
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

import { USAGE } from '../usage.ts';

export const usage = USAGE.timeline;

const BOOLEAN_FLAGS = [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate', 'force', ...INPUT_BOOLEAN_FLAGS];
const VALUE_FLAGS = [
  'scene',
  'frequency',
  'tx',
  'rx',
  'actors',
  'dt',
  'start',
  'duration',
  'mode',
  'measured',
  'fit',
  'fit-materials',
  'fit-out',
  'trace-noise-db',
  'out',
  ...CHANNEL_VALUE_FLAGS,
  ...INPUT_VALUE_FLAGS,
];

/** Mesh files the actors file names (a first pass, so the parse itself stays synchronous). */
function meshFiles(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    try {
      const v = JSON.parse(line) as { kind?: unknown; file?: unknown };
      if (v && v.kind === 'mesh' && typeof v.file === 'string') out.push(v.file);
    } catch {
      // the parse proper reports bad lines with their numbers
    }
  }
  return out;
}

async function readActors(path: string, inputs: ReturnType<typeof inputOptions>): Promise<ActorsFile> {
  const bytes = await readInput(path, inputs);
  const text = new TextDecoder().decode(bytes);
  const meshes = new Map<string, { vertices: number[]; indices: number[]; file: string }>();
  for (const f of meshFiles(text)) {
    const full = resolve(dirname(path), f);
    if (meshes.has(f)) continue;
    const s = await loadScene(nodeFileSource, full, inputs);
    meshes.set(f, {
      vertices: Array.from(s.positions),
      indices: Array.from({ length: s.positions.length / 3 }, (_, i) => i),
      file: full,
    });
  }
  return parseActorsFile(bytes, path, (f, line) => {
    const m = meshes.get(f);
    if (!m) throw new InputError(path, `line ${line}`, `mesh file '${f}' could not be read`);
    return m;
  });
}

/** `--fit-materials`: skin, absorber or ITU names (ITU materials as 0.1 m slabs). */
function fitMaterials(text: string): ActorMaterial[] {
  return text.split(',').map((name) => {
    const m = actorMaterialFromName(name.trim());
    if (m) return m;
    throw new UsageError(
      `--fit-materials: '${name.trim()}' is not skin, absorber or an ITU material (${ITU_MATERIAL_NAMES.join(', ')})`,
    );
  });
}

const fmt = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

/** One line per fitted quantity, for stderr. */
function fitSummary(fit: BlockerFit): string {
  const dims = fit.dimensions.map(
    (d) =>
      `${d.name} ${fmt(d.value)} ± ${fmt(d.std)} m${d.calibrated ? '' : ` (not calibrated: ${d.reason})`}`,
  );
  const m = fit.material;
  return [
    `fit: actor '${fit.actor}': ${dims.join(', ')}; offset ${fmt(fit.offsetDb.value, 2)} ± ${fmt(fit.offsetDb.std, 2)} dB; residual ${fmt(fit.rmsDb, 2)} dB RMS, ${fmt(fit.robustRmsDb, 2)} dB robust with ${fit.outliers} outliers (trace noise ${fit.noiseDb} dB) over ${fit.samples} samples (${fit.timelines} timelines)`,
    `fit: material ${m.chosen}${m.identified ? '' : ` (not identified: ${m.reason})`}; robust residual RMS by material: ${Object.entries(
      m.rmsDb,
    )
      .map(([k, v]) => `${k} ${fmt(v, 2)} dB`)
      .join(', ')}`,
  ].join('\n');
}

/** `rftwin timeline`: a link's channel over time while actors move. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, BOOLEAN_FLAGS);
  checkFlags(args, [...BOOLEAN_FLAGS, ...VALUE_FLAGS]);
  if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
  const scenePath = requireFlag(args, 'scene');
  const frequencyHz = numberFlag(args, 'frequency');
  if (!(frequencyHz > 0))
    throw new UsageError(`--frequency must be a positive number of Hz, got ${frequencyHz}`);
  const tx = parsePoint(requireFlag(args, 'tx'), '--tx');
  const rx = parsePoint(requireFlag(args, 'rx'), '--rx');
  const actorsPath = requireFlag(args, 'actors');
  const dt = numberFlag(args, 'dt', 0.05);
  if (!(dt > 0)) throw new UsageError(`--dt must be a positive number of seconds, got ${dt}`);
  const start = flag(args, 'start') === undefined ? undefined : numberFlag(args, 'start');
  const duration = flag(args, 'duration') === undefined ? undefined : numberFlag(args, 'duration');
  if (duration !== undefined && !(duration >= 0))
    throw new UsageError(`--duration must be ≥ 0 seconds, got ${duration}`);
  const mode = (flag(args, 'mode') ?? 'incremental') as TimelineMode;
  if (mode !== 'incremental' && mode !== 'full')
    throw new UsageError(`--mode must be incremental or full, got '${mode}'`);
  const inputs = inputOptions(args);
  const out = flag(args, 'out');
  const force = flag(args, 'force') === 'true';
  const measuredPath = flag(args, 'measured');
  const fitActor = flag(args, 'fit');
  const fitOut = flag(args, 'fit-out');
  if (fitActor !== undefined && !measuredPath)
    throw new UsageError('--fit needs --measured (the trace to fit)');
  if (!fitActor && (fitOut || flag(args, 'fit-materials') || flag(args, 'trace-noise-db')))
    throw new UsageError('--fit-out, --fit-materials and --trace-noise-db go with --fit ACTOR');
  const noiseDb = numberFlag(args, 'trace-noise-db', DEFAULT_TRACE_NOISE_DB);
  if (!(noiseDb > 0))
    throw new UsageError(`--trace-noise-db must be a positive number of dB, got ${noiseDb}`);
  if (measuredPath && (start !== undefined || duration !== undefined || flag(args, 'dt') !== undefined))
    throw new UsageError(
      "--measured sets the steps (the trace's times): leave out --dt, --start and --duration",
    );
  const candidates = fitMaterials(flag(args, 'fit-materials') ?? 'skin,absorber,metal');
  if (out) await prepareOutput(out, force);
  if (fitOut) await prepareOutput(fitOut, force, '--fit-out');
  const settings = channelSettingsFromArgs(args, frequencyHz);
  const backend = backendFromArgs(args);
  const scene = await loadScene(nodeFileSource, scenePath, inputs);
  const actors = await readActors(actorsPath, inputs);
  let trace: MeasuredTrace | undefined;
  if (measuredPath)
    trace = parseMeasuredTrace(await readInput(measuredPath, inputs), measuredPath, settings.txPowerDbm);
  if (fitActor !== undefined && !actors.actors.some((a) => a.id === fitActor))
    throw new UsageError(`--fit: no actor '${fitActor}' in ${actorsPath}`);
  const tl = timeline(
    scene,
    actors,
    tx,
    rx,
    {
      settings,
      backend,
      mode,
      dt,
      start,
      duration,
      ...(trace ? { times: trace.t } : {}),
      allowExtrapolation: flag(args, 'extrapolate') === 'true',
    },
    actorsPath,
  );
  for (const w of tl.warnings) process.stderr.write(`timeline: warning: ${w}\n`);
  if (tl.times.length > 100_000)
    throw new UsageError(`${tl.times.length} steps: raise --dt or shorten --duration (at most 100000)`);
  const lines: string[] = [
    JSON.stringify({
      header: {
        scene: scene.name,
        frequency_hz: frequencyHz,
        itu_edition: ITU_EDITION,
        settings: describeSettings(settings),
        mode,
        dt_s: dt,
        steps: tl.times.length,
        actors: actors.actors.map((a) => ({ id: a.id, shape: a.shape.kind, material: a.material })),
        warnings: tl.warnings,
      },
    }),
  ];
  const started = Date.now();
  let fallbacks = 0;
  await withSigint(async (signal) => {
    try {
      const control = cliControl('timeline', settings, signal);
      let last = 0;
      await tl.run(
        (s) => {
          if (s.traced !== mode) fallbacks++;
          const json = {
            ...stepJson(s, scene),
            ...(trace ? { measured_path_gain_db: trace.gainDb[s.index] } : {}),
          };
          checkFinite(json, `step ${s.index} (t = ${s.t} s)`, `scene ${scenePath}, actors ${actorsPath}`);
          lines.push(JSON.stringify(json));
        },
        {
          signal,
          onBackend: control.onBackend,
          onStep: (done, total) => {
            const now = Date.now();
            if (now - last < 500 && done < total) return;
            last = now;
            process.stderr.write(`timeline: step ${done}/${total}\n`);
          },
        },
      );
    } finally {
      await releaseGpu();
    }
  });
  process.stderr.write(
    `timeline: ${scene.name}: ${tl.times.length} steps in ${((Date.now() - started) / 1000).toFixed(2)} s${
      mode === 'incremental' ? ` (${fallbacks} re-traced in full: search not exhaustive)` : ''
    }\n`,
  );
  let fit: BlockerFit | undefined;
  if (fitActor !== undefined && trace) {
    const measured = trace;
    await withSigint(async (signal) => {
      let last = 0;
      fit = await fitBlocker(
        scene,
        actors,
        tx,
        rx,
        measured,
        {
          actorId: fitActor,
          materials: candidates,
          noiseDb,
          timeline: { settings, backend, mode, allowExtrapolation: flag(args, 'extrapolate') === 'true' },
        },
        {
          signal,
          onProgress: (done, total) => {
            const now = Date.now();
            if (now - last < 500) return;
            last = now;
            process.stderr.write(`fit: timeline ${done} (at most ${total})\n`);
          },
        },
      );
    });
    process.stderr.write(`${fitSummary(fit!)}\n`);
  }
  const text = `${lines.join('\n')}\n`;
  if (out) await writeOutput(out, text, force);
  else process.stdout.write(text);
  if (fit && fitOut) {
    const json = {
      measured: measuredPath,
      column: trace!.column,
      model: 'coherent gain of the timeline at the trace times + a constant offset (docs/physics.md §15)',
      ...fit,
      t: trace!.t,
      measured_path_gain_db: trace!.gainDb,
    };
    checkFinite(json, 'the fit', `scene ${scenePath}, actors ${actorsPath}, trace ${measuredPath}`);
    await writeOutput(fitOut, `${JSON.stringify(json, null, 2)}\n`, force);
  }
  return 0;
}
