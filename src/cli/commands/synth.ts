import { synthesizeSoundings, withMaterialValues } from '../../engine/calibrate/index.ts';
import { Channel, NEAR_FIELD_WAVELENGTHS } from '../../engine/channel/index.ts';
import { releaseGpu } from '../../engine/gpu/index.ts';
import { writeSoundingsCsv, writeSoundingsJson } from '../../engine/io/index.ts';
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
import { checkFinite, prepareOutput, writeOutput } from '../output.ts';
import { USAGE } from '../usage.ts';
import { frequencyFlag, loadSceneAt, readLinks, readMaterialsFile } from './calibrate.ts';

export const usage = USAGE.synth;

/**
 * `rftwin synth`: synthetic soundings of the scene with the given (true) materials, on every
 * Tx × Rx link (or the Tx/Rx pairs of the file when it has tx columns), with seeded noise.
 * CSV gets every link metric; JSON also the multipath lists.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, [...CHANNEL_BOOLEAN_FLAGS, 'extrapolate', 'force', ...INPUT_BOOLEAN_FLAGS]);
  checkFlags(args, [
    'scene',
    'frequency',
    'materials',
    'tx',
    'rx-file',
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
  const outPath = requireFlag(args, 'out');
  const force = flag(args, 'force') === 'true';
  await prepareOutput(outPath, force);
  const inputs = inputOptions(args);
  const materialsPath = requireFlag(args, 'materials');
  const rxPath = requireFlag(args, 'rx-file');
  const noiseDb = numberFlag(args, 'noise-db', 0);
  const noiseNs = numberFlag(args, 'noise-ns', 0);
  if (noiseDb < 0 || noiseNs < 0) throw new UsageError('--noise-db and --noise-ns must be ≥ 0');
  const { scene, materials } = await loadSceneAt(
    requireFlag(args, 'scene'),
    frequencyHz,
    flag(args, 'extrapolate') === 'true',
    inputs,
  );
  const truth = withMaterialValues(materials, await readMaterialsFile(materialsPath, inputs), materialsPath);
  const links = await readLinks(args, rxPath, inputs);
  // only objects whose true S > 0 scatter: the others add no field
  const simulated = await withSigint(async (signal) => {
    try {
      const channel = await Channel.open(scene, settings, {
        backend: backendFromArgs(args),
        jobs: ['links'],
      });
      return await channel.traceLinks(links, truth, cliControl('synth', settings, signal));
    } finally {
      await releaseGpu();
    }
  });
  // a near-field link (nearField.ts) has no valid metrics to synthesize a sounding from
  const near = simulated.filter((l) => l.nearField.nearField).length;
  const soundings = synthesizeSoundings(
    simulated.filter((l) => !l.nearField.nearField),
    {
      frequencyHz,
      noiseDb,
      noiseNs,
      seed: numberFlag(args, 'seed', 1),
      withPaths: outPath.toLowerCase().endsWith('.json'),
    },
  );
  const empty = soundings.filter((s) => Object.keys(s.metrics).length === 0).length;
  const kept = soundings.filter((s) => Object.keys(s.metrics).length > 0);
  if (kept.length === 0)
    throw new UsageError(
      near > 0
        ? `no link outside the near field (${near} link(s) shorter than ${NEAR_FIELD_WAVELENGTHS} wavelengths) has any path: check the positions against the scene`
        : 'no link has any path: check the positions against the scene',
    );
  checkFinite(
    kept.map((s) => ({ tx: s.tx, rx: s.rx, ...s.metrics, paths: s.paths })),
    'soundings',
    `scene ${requireFlag(args, 'scene')} with materials ${materialsPath} and positions ${rxPath}`,
  );
  await writeOutput(
    outPath,
    outPath.toLowerCase().endsWith('.json') ? writeSoundingsJson(kept) : writeSoundingsCsv(kept),
    force,
  );
  process.stderr.write(
    `synth: ${kept.length} soundings (${noiseDb} dB, ${noiseNs} ns noise, seed ${numberFlag(args, 'seed', 1)}) → ${outPath}${empty ? `; ${empty} links without any path left out` : ''}${near ? `; ${near} near-field link(s) (shorter than ${NEAR_FIELD_WAVELENGTHS} wavelengths) left out` : ''}\n`,
  );
  return 0;
}
