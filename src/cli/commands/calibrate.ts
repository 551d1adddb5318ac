import type { InitKind, OptimizerKind } from '../../engine/calibrate/index.ts';
import {
  CalibrationError,
  calibrateScene,
  DEFAULT_MAX_RELATIVE_STD,
  estimateTrust,
  LOSS_KINDS,
  type LossKind,
  maxRelativeStdProblem,
  meanRelativeError,
  objectMaterialKey,
  PARAMETER_FIELD,
  parameterLabel,
  soundingPositionWarnings,
  withMaterialValues,
} from '../../engine/calibrate/index.ts';
import { Channel, describeSettings } from '../../engine/channel/index.ts';
import { InputError, type Vec3 } from '../../engine/core/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import {
  MATERIAL_PARAMETER_NAMES,
  type MaterialParameterName,
  type MaterialValues,
  parseMaterialStds,
  parseMaterialsJson,
  parsePositionsCsv,
  parseSoundings,
} from '../../engine/io/index.ts';
import { ITU_EDITION, type RadioParameters, resolveSceneMaterials } from '../../engine/materials/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
import { buildBvh } from '../../engine/tracer/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, parsePoint, requireFlag, UsageError } from '../args.ts';
import {
  backendFromArgs,
  CHANNEL_BOOLEAN_FLAGS,
  CHANNEL_VALUE_FLAGS,
  channelSettingsFromArgs,
  cliControl,
  withSigint,
} from '../channelFlags.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions, readInput, readInputText } from '../inputs.ts';
import { checkFinite, prepareOutput, writeOutput } from '../output.ts';
import { USAGE } from '../usage.ts';

type Inputs = ReturnType<typeof inputOptions>;

export const usage = USAGE.calibrate;

/**
 * Most soundings calibrate takes by default: it traces every link and keeps its paths and their
 * derivatives in memory (10,000 links of the metal box scene at depth 3: about 1 GB and 80 s here), so
 * a larger file is refused with its row count rather than run out of memory.
 */
export const DEFAULT_MAX_LINKS = 10_000;

/** Scene + its radio parameters at a frequency: shared by synth, calibrate and plan. */
export async function loadSceneAt(
  path: string,
  frequencyHz: number,
  extrapolate: boolean,
  inputs: Inputs,
): Promise<{ scene: Scene; materials: Record<string, RadioParameters> }> {
  const scene = await loadScene(nodeFileSource, path, inputs);
  return {
    scene,
    materials: resolveSceneMaterials(scene.materials, frequencyHz, { allowExtrapolation: extrapolate }),
  };
}

/**
 * The Tx–Rx links of synth and plan: every --tx with every position of the CSV file, or the
 * file's own Tx/Rx pairs (tx_x,tx_y,tx_z columns) when no --tx is given.
 */
export async function readLinks(
  args: ReturnType<typeof parseArgs>,
  path: string,
  inputs: Inputs,
): Promise<{ tx: Vec3; rx: Vec3 }[]> {
  const positions = parsePositionsCsv(await readInput(path, inputs), path, inputs);
  const txs: Vec3[] = (args.flags.get('tx') ?? []).map((t) => parsePoint(t, '--tx'));
  if (txs.length > 0) {
    const links = txs.length * positions.length;
    if (links > inputs.limits.rows)
      throw new UsageError(
        `${txs.length} --tx × ${positions.length} positions = ${links} links, more than --limit rows=${inputs.limits.rows}`,
      );
    for (const tx of txs)
      for (const c of positions)
        if (c.rx.every((x, k) => x === tx[k]))
          throw new InputError(path, c.origin.slice(path.length + 1), `Rx is at --tx ${tx.join(',')}`);
    return txs.flatMap((tx) => positions.map((c) => ({ tx, rx: c.rx })));
  }
  if (positions.some((c) => !c.tx)) throw new UsageError(`give --tx, or tx_x,tx_y,tx_z columns in ${path}`);
  return positions.map((c) => ({ tx: c.tx!, rx: c.rx }));
}

export async function readMaterialsFile(
  path: string,
  inputs: Inputs,
): Promise<Record<string, MaterialValues>> {
  return parseMaterialsJson(await readInput(path, inputs), path, inputs.limits);
}

export function parseParameterNames(text: string | undefined): MaterialParameterName[] {
  if (text === undefined) return ['conductivity'];
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(MATERIAL_PARAMETER_NAMES as readonly string[]).includes(n)) {
      throw new UsageError(
        `--params: unknown parameter '${n}' (known: ${MATERIAL_PARAMETER_NAMES.join(', ')})`,
      );
    }
  }
  return names as MaterialParameterName[];
}

export function frequencyFlag(args: ReturnType<typeof parseArgs>): number {
  const f = numberFlag(args, 'frequency');
  if (!(f > 0)) throw new UsageError(`--frequency must be a positive number of Hz, got ${f}`);
  if (f < 1e6) throw new UsageError(`--frequency is in Hz: ${f} Hz looks like GHz or MHz (28 GHz is 28e9)`);
  return f;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, [
    'per-object',
    'extrapolate',
    'force',
    ...CHANNEL_BOOLEAN_FLAGS,
    ...INPUT_BOOLEAN_FLAGS,
  ]);
  checkFlags(args, [
    'scene',
    'frequency',
    'soundings',
    'params',
    'loss',
    'optimizer',
    'init',
    'truth',
    'max-iterations',
    'out',
    'materials',
    'per-object',
    'learning-rate',
    'prior-std',
    'max-relative-std',
    'seed',
    'extrapolate',
    'max-links',
    'force',
    ...CHANNEL_BOOLEAN_FLAGS,
    ...CHANNEL_VALUE_FLAGS,
    ...INPUT_VALUE_FLAGS,
    ...INPUT_BOOLEAN_FLAGS,
  ]);
  const started = performance.now();
  const inputs = inputOptions(args);
  const outPath = flag(args, 'out');
  const force = flag(args, 'force') === 'true';
  if (outPath) await prepareOutput(outPath, force);
  const maxLinks = numberFlag(args, 'max-links', DEFAULT_MAX_LINKS);
  if (!Number.isSafeInteger(maxLinks) || maxLinks < 1)
    throw new UsageError(`--max-links must be a positive integer, got ${flag(args, 'max-links')}`);
  const scenePath = requireFlag(args, 'scene');
  const frequencyHz = frequencyFlag(args);
  const settings = channelSettingsFromArgs(args, frequencyHz);
  const backendChoice = backendFromArgs(args);
  const soundingsPath = requireFlag(args, 'soundings');
  const parameterNames = parseParameterNames(flag(args, 'params'));
  const optimizer = (flag(args, 'optimizer') ?? 'lm') as OptimizerKind;
  if (optimizer !== 'lm' && optimizer !== 'adam')
    throw new UsageError(`--optimizer must be lm or adam, got '${optimizer}'`);
  const initText = flag(args, 'init') ?? 'itu';
  const scope = flag(args, 'per-object') === 'true' ? 'object' : 'material';
  const { scene, materials: sceneMaterials } = await loadSceneAt(
    scenePath,
    frequencyHz,
    flag(args, 'extrapolate') === 'true',
    inputs,
  );
  // read a chunk at a time with progress; rows past --max-links are checked and counted, not kept
  let rows = 0;
  const soundings = parseSoundings(await readInput(soundingsPath, inputs), soundingsPath, {
    limits: inputs.limits,
    keep: maxLinks,
    onProgress: (n) => {
      if (n >= 100_000 && n > rows)
        process.stderr.write(`calibrate: read ${n.toLocaleString('en-US')} soundings…\n`);
      rows = n;
    },
  });
  if (rows > maxLinks)
    throw new InputError(
      soundingsPath,
      `${rows.toLocaleString('en-US')} rows`,
      `more soundings than calibrate takes (--max-links ${maxLinks}): it traces every link and keeps its paths in memory. Calibrate on a subset (rftwin plan chooses informative links) or raise --max-links if the memory is there`,
    );
  const maxRelativeStd = numberFlag(args, 'max-relative-std', DEFAULT_MAX_RELATIVE_STD);
  const thresholdProblem = maxRelativeStdProblem(maxRelativeStd);
  if (thresholdProblem) throw new UsageError(`--max-relative-std: ${thresholdProblem}`);
  // soundings the twin cannot predict (another room's, or inside an object), said before the run
  const bvh = buildBvh(scene);
  const positionWarnings = soundingPositionWarnings(scene, bvh, soundings).map((w) => w.message);
  for (const w of positionWarnings) process.stderr.write(`calibrate: warning: ${w}\n`);
  const lossText =
    flag(args, 'loss') ?? (soundings.some((s) => s.metrics.coherent_gain_db !== undefined) ? 'nae' : 'smape');
  if (!LOSS_KINDS.includes(lossText as LossKind))
    throw new UsageError(`--loss must be one of ${LOSS_KINDS.join(', ')}, got '${lossText}'`);
  let init: InitKind;
  let priors: Record<string, MaterialValues> | undefined;
  // how sure each prior value is (a priors file's scattering_coefficient_std): calibration's
  // prior on that parameter is centred on the value with this width
  let priorStds: ReturnType<typeof parseMaterialStds> | undefined;
  if (initText === 'itu' || initText === 'uniform' || initText === 'random') init = initText;
  else {
    init = 'priors';
    const text = await readInputText(initText, inputs);
    priors = parseMaterialsJson(text, initText, inputs.limits);
    priorStds = parseMaterialStds(text, initText);
  }
  // A priors file describes the twin: the values it gives for parameters that are not trained
  // (a vision prior's scattering coefficient while σ is calibrated) hold in the forward model too.
  const materials = priors ? withMaterialValues(sceneMaterials, priors, initText) : sceneMaterials;
  const owners = flag(args, 'materials')
    ?.split(',')
    .map((s) => s.trim());
  const truth = flag(args, 'truth') ? await readMaterialsFile(flag(args, 'truth')!, inputs) : undefined;
  if (truth) {
    // check the truth file before spending time: it must give every trained parameter
    const everyOwner =
      scope === 'object'
        ? scene.objects.map((o) => o.name)
        : [...new Set(scene.objects.map((o) => o.materialId))];
    for (const owner of owners ?? everyOwner) {
      for (const name of parameterNames) {
        if (truth[owner]?.[name] === undefined)
          throw new UsageError(`--truth: no ${name} for '${owner}' in ${flag(args, 'truth')}`);
      }
    }
  }
  process.stderr.write(
    `calibrate: ${soundings.length} soundings, ${parameterNames.join('+')} per ${scope}, ${lossText} loss, ${optimizer}, init ${initText}\n`,
  );
  let result: Awaited<ReturnType<typeof calibrateScene>>;
  try {
    result = await withSigint(async (signal) => {
      try {
        const channel = await Channel.open(scene, settings, {
          backend: backendChoice,
          bvh,
          jobs: ['links', 'calibration'],
        });
        return await calibrateScene({
          channel,
          control: cliControl('calibrate', settings, signal),
          materials,
          soundings,
          parameterNames,
          owners,
          scope,
          loss: { kind: lossText as LossKind },
          optimizer,
          init,
          priors,
          priorStds,
          seed: numberFlag(args, 'seed', 1),
          maxIterations: flag(args, 'max-iterations') ? numberFlag(args, 'max-iterations') : undefined,
          learningRate: flag(args, 'learning-rate') ? numberFlag(args, 'learning-rate') : undefined,
          priorStd: numberFlag(args, 'prior-std', 0.5),
          onIteration: (it) => {
            const values = Array.from(it.theta, (v) => v.toPrecision(5)).join(' ');
            process.stderr.write(
              `  iter ${String(it.iteration).padStart(3)}  loss ${it.loss.toExponential(4)}  θ ${values}\n`,
            );
          },
        });
      } finally {
        await releaseGpu();
      }
    });
  } catch (e) {
    if (e instanceof CalibrationError) {
      process.stderr.write(`rftwin calibrate: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const stds = new Map(result.uncertainty.parameters.map((u) => [u.label, u]));
  const estimates = new Map(result.parameters.map((p, k) => [parameterLabel(p), result.theta[k]!]));
  const out: Record<string, Record<string, number | boolean | string>> = {};
  const notCalibrated: string[] = [];
  const owned = scope === 'object' ? scene.objects.map((o) => o.name) : Object.keys(materials);
  for (const owner of owned) {
    const key = scope === 'object' ? objectMaterialKey(owner) : owner;
    const p = result.calibrated[key]!;
    // the value before calibration (the prior): the scene's material, or the object's material
    const nominal =
      materials[scope === 'object' ? scene.objects.find((o) => o.name === owner)!.materialId : owner]!;
    const entry: Record<string, number | boolean | string> = {};
    for (const name of MATERIAL_PARAMETER_NAMES) {
      entry[name] = p[PARAMETER_FIELD[name]];
      const label = parameterLabel({ owner, name });
      const u = stds.get(label);
      if (u) {
        entry[`${name}_std`] = u.std;
        if (!u.identifiable) entry[`${name}_identifiable`] = false;
        // the same rule as the studio's Apply: calibrated only when identified and precise enough
        const trust = estimateTrust(
          { estimate: estimates.get(label)!, std: u.std, identifiable: u.identifiable },
          maxRelativeStd,
        );
        entry[`${name}_estimate`] = estimates.get(label)!;
        entry[`${name}_relative_std`] = trust.relativeStd;
        entry[`${name}_calibrated`] = trust.calibrated;
        if (trust.reason) {
          // not calibrated: the file keeps the prior, so that it can be used as a materials file
          entry[name] = nominal[PARAMETER_FIELD[name]];
          entry[`${name}_not_calibrated_because`] = trust.reason;
          notCalibrated.push(`${label}: ${trust.reason}`);
        }
      }
    }
    out[owner] = entry;
  }
  let mre: number | undefined;
  if (truth) {
    const truthValues = result.parameters.map((p) => {
      const v = truth[p.owner]?.[p.name];
      if (v === undefined)
        throw new UsageError(`--truth: no ${p.name} for '${p.owner}' in ${flag(args, 'truth')}`);
      return v;
    });
    mre = meanRelativeError(result.theta, truthValues);
  }
  const report = {
    materials: out,
    iterations: result.iterations,
    wall_time_s: (performance.now() - started) / 1000,
    loss_history: result.lossHistory,
    mre,
    stopped_because: result.stoppedBecause,
    // LM restarts when the fit is not exact; loss_history holds each start's initial loss too
    starts: result.starts,
    scope,
    loss: lossText,
    loss_description: result.lossDescription,
    optimizer,
    init: initText,
    early_stop: result.earlyStop,
    prior: result.usedPrior
      ? {
          center: 'nominal (scene / ITU) values',
          std_unconstrained: numberFlag(args, 'prior-std', 0.5),
          ...(priorStds && Object.keys(priorStds).length > 0
            ? { centred_on_the_init_values_with_their_std: priorStds }
            : {}),
        }
      : null,
    max_relative_std: maxRelativeStd,
    not_calibrated: notCalibrated,
    sounding_warnings: positionWarnings,
    power_scale: result.powerScale,
    noise_std: result.uncertainty.noiseStd,
    trace_time_s: result.traceSeconds,
    backend: result.backend.label,
    backend_reason: result.backend.reason,
    backend_evaluations: result.backend.evaluations,
    float64_refinement_evaluations: result.backend.float64RefinementEvaluations,
    // paths of more than the WGSL kernel's interactions, evaluated by the float64 host chain
    host_fallback_paths: result.backend.fallbackPaths,
    channel: describeSettings(settings),
    frequency_hz: frequencyHz,
    itu_edition: ITU_EDITION,
    warnings: [...result.initNotes, ...result.warnings],
  };
  checkFinite(report, 'result', `scene ${scenePath} and soundings ${soundingsPath}`);
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (outPath) await writeOutput(outPath, text, force);
  else process.stdout.write(text);
  report.wall_time_s = (performance.now() - started) / 1000;
  for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
  for (const n of notCalibrated)
    process.stderr.write(`calibrate: not calibrated (the result keeps the prior): ${n}\n`);
  process.stderr.write(
    `calibrate: ${result.iterations} iterations, ${result.stoppedBecause}, loss ${result.lossHistory.at(-1)!.toExponential(3)}${mre !== undefined ? `, MRE ${(mre * 100).toPrecision(3)} %` : ''}, ${report.wall_time_s.toFixed(2)} s${outPath ? ` → ${outPath}` : ''}\n`,
  );
  return 0;
}
