import {
  calibrationScatteringObjects,
  materialsInUse,
  PARAMETER_FIELD,
  type PlanMetric,
  planMeasurements,
  priorAveragedRows,
  priorSamples,
  sceneForwardModel,
  type TrainableParameter,
} from '../../engine/calibrate/index.ts';
import { Channel } from '../../engine/channel/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, requireFlag, UsageError } from '../args.ts';
import {
  backendFromArgs,
  CHANNEL_BOOLEAN_FLAGS,
  CHANNEL_VALUE_FLAGS,
  channelSettingsFromArgs,
  cliControl,
  withSigint,
} from '../channelFlags.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions } from '../inputs.ts';
import { prepareOutput, writeOutput } from '../output.ts';
import { USAGE } from '../usage.ts';
import { frequencyFlag, loadSceneAt, parseParameterNames, readLinks } from './calibrate.ts';

export const usage = USAGE.plan;

const METRICS: readonly PlanMetric[] = ['coherent_gain_db', 'path_gain_db', 'rms_delay_spread_ns'];

/**
 * `rftwin plan`: choose the N most informative Tx–Rx links among the candidates (every --tx with
 * every candidate Rx, or the file's Tx/Rx pairs), Bayesian D-optimal on the Jacobian at the
 * nominal materials and three draws from the prior, and print the information gain against random picks of the same size.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate', 'force', ...INPUT_BOOLEAN_FLAGS]);
  checkFlags(args, [
    'scene',
    'frequency',
    'tx',
    'candidates',
    'count',
    'params',
    'metrics',
    'noise-db',
    'noise-ns',
    'seed',
    'out',
    'extrapolate',
    'force',
    ...CHANNEL_BOOLEAN_FLAGS,
    ...CHANNEL_VALUE_FLAGS,
    ...INPUT_VALUE_FLAGS,
    ...INPUT_BOOLEAN_FLAGS,
  ]);
  const frequencyHz = frequencyFlag(args);
  const settings = channelSettingsFromArgs(args, frequencyHz);
  const inputs = inputOptions(args);
  const count = numberFlag(args, 'count');
  if (!Number.isInteger(count) || count < 1)
    throw new UsageError(`--count must be a positive integer, got ${count}`);
  const outPath = requireFlag(args, 'out');
  const force = flag(args, 'force') === 'true';
  await prepareOutput(outPath, force);
  const candidatesPath = requireFlag(args, 'candidates');
  const parameterNames = parseParameterNames(flag(args, 'params'));
  const metrics = (flag(args, 'metrics') ?? 'coherent_gain_db')
    .split(',')
    .map((s) => s.trim()) as PlanMetric[];
  for (const m of metrics)
    if (!METRICS.includes(m))
      throw new UsageError(`--metrics: unknown metric '${m}' (known: ${METRICS.join(', ')})`);
  const { scene, materials } = await loadSceneAt(
    requireFlag(args, 'scene'),
    frequencyHz,
    flag(args, 'extrapolate') === 'true',
    inputs,
  );
  const links = await readLinks(args, candidatesPath, inputs);
  if (count > links.length)
    throw new UsageError(`--count ${count} exceeds the ${links.length} candidate links`);
  const parameters: TrainableParameter[] = materialsInUse(scene).flatMap((owner) =>
    parameterNames.map((name) => ({ owner, name })),
  );
  const theta = Float64Array.from(parameters, (p) => materials[p.owner]![PARAMETER_FIELD[p.name]]);
  // information averaged over 4 draws from the prior (log-std 0.5) around the nominal values
  const samples = priorSamples(parameters, theta, 4, 0.5, numberFlag(args, 'seed', 1));
  const rows = await withSigint(async (signal) => {
    try {
      const channel = await Channel.open(scene, settings, {
        backend: backendFromArgs(args),
        jobs: ['links', 'calibration'],
      });
      const control = cliControl('plan', settings, signal);
      const traced = await channel.trace(
        links,
        materials,
        control,
        calibrationScatteringObjects(scene, materials, parameters),
      );
      const paths = traced.reduce((s, l) => s + l.geometries.length, 0);
      const { backend, decision } = channel.backendFor({ kind: 'calibration', paths });
      control.onBackend?.(channel.used(decision, backend));
      const model = sceneForwardModel(channel, backend, traced, materials, parameters);
      try {
        return await priorAveragedRows((t) => model.evaluate(t), parameters, samples, {
          metrics,
          noiseDb: numberFlag(args, 'noise-db', 1),
          noiseNs: numberFlag(args, 'noise-ns', 1),
        });
      } finally {
        model.dispose();
      }
    } finally {
      await releaseGpu();
    }
  });
  const plan = planMeasurements(rows, parameters.length, { count, seed: numberFlag(args, 'seed', 1) });
  const lines = [
    'tx_x,tx_y,tx_z,rx_x,rx_y,rx_z',
    ...plan.chosen.map((c) => [...links[c]!.tx, ...links[c]!.rx].join(',')),
  ];
  await writeOutput(outPath, `${lines.join('\n')}\n`, force);
  const bits = (nats: number) => nats / Math.LN2;
  process.stdout.write(
    `${[
      `plan: ${count} of ${links.length} candidate links for ${parameters.length} parameters (${parameterNames.join(', ')} of ${materialsInUse(scene).join(', ')})`,
      `information gain (Bayesian D-optimal over 4 prior draws, ${metrics.join(' + ')}): planned ${bits(plan.informationGain).toFixed(2)} bits, random ${bits(plan.randomInformationGain).toFixed(2)} bits (mean of 200 draws), ratio of volumes 2^${bits(plan.informationGain - plan.randomInformationGain).toFixed(2)}`,
      `→ ${outPath}`,
    ].join('\n')}\n`,
  );
  return 0;
}
