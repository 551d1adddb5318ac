import { InputError } from '../../engine/core/index.ts';
import {
  calibratedTwinSamples,
  fitTranslator,
  type TranslatorSample,
  translatorJsonText,
} from '../../engine/vision/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, requireFlag, UsageError } from '../args.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions, readInputText } from '../inputs.ts';
import { checkFinite, prepareOutput, writeOutput } from '../output.ts';
import { USAGE } from '../usage.ts';

export const usage = USAGE.translator;

/**
 * `rftwin translator`: fit the transfer model (CLIP embedding → calibrated radio parameters)
 * on one or more calibrated twins, each given as the priors file `rftwin priors` wrote for it
 * (it stores the per-object and per-patch embeddings) and the result `rftwin calibrate --out`
 * wrote for it. `rftwin priors --translator` then proposes priors for a new scene.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['force', ...INPUT_BOOLEAN_FLAGS]);
  checkFlags(args, [
    'priors',
    'calibrated',
    'epochs',
    'hidden',
    'seed',
    'out',
    'force',
    ...INPUT_VALUE_FLAGS,
    ...INPUT_BOOLEAN_FLAGS,
  ]);
  if (args.positional.length > 0)
    throw new UsageError(`unexpected argument '${args.positional[0]}'\nusage: ${usage}`);
  const priors = args.flags.get('priors') ?? [];
  const calibrated = args.flags.get('calibrated') ?? [];
  if (priors.length === 0 || priors.length !== calibrated.length)
    throw new UsageError(
      `give one --calibrated result per --priors file, in the same order (got ${priors.length} and ${calibrated.length})\nusage: ${usage}`,
    );
  const out = requireFlag(args, 'out');
  const force = flag(args, 'force') === 'true';
  await prepareOutput(out, force);
  const inputs = inputOptions(args);
  const readText = (path: string) => readInputText(path, inputs);
  const epochs = numberFlag(args, 'epochs', 800);
  const hidden = numberFlag(args, 'hidden', 16);
  if (!(Number.isInteger(epochs) && epochs > 0) || !(Number.isInteger(hidden) && hidden > 0))
    throw new UsageError('--epochs and --hidden must be positive integers');

  const samples: TranslatorSample[] = [];
  let parameters: string[] | undefined;
  let dim: number | undefined;
  let model: string | undefined;
  const fittedFrom: string[] = [];
  for (const [k, priorsPath] of priors.entries()) {
    const calPath = calibrated[k]!;
    const twin = calibratedTwinSamples(
      await readText(priorsPath),
      priorsPath,
      await readText(calPath),
      calPath,
    );
    const d = twin.samples[0]!.embedding.length;
    if (dim !== undefined && d !== dim)
      throw new InputError(
        priorsPath,
        'objects',
        `its embeddings are ${d}-d, those of ${priors[0]} ${dim}-d: all twins must be embedded with the same CLIP model`,
      );
    dim = d;
    model ??= twin.model;
    // learn what every twin calibrated
    parameters = parameters
      ? parameters.filter((p) => twin.parameters.includes(p as never))
      : twin.parameters;
    samples.push(...twin.samples);
    fittedFrom.push(`${priorsPath} + ${calPath}`);
    process.stderr.write(
      `translator: ${priorsPath}: ${twin.used.length} calibrated objects (${twin.parameters.join(', ')}), ${twin.samples.length} samples${twin.skipped.length ? `; left out: ${twin.skipped.join('; ')}` : ''}\n`,
    );
  }
  if (!parameters || parameters.length === 0)
    throw new UsageError('the calibrations have no calibrated parameter in common');
  const translator = await fitTranslator(samples, {
    parameters: parameters as never,
    model,
    fittedFrom,
    epochs,
    hidden,
    seed: numberFlag(args, 'seed', 7),
  });
  checkFinite(translator, 'translator', `the priors and calibrations ${fittedFrom.join('; ')}`);
  await writeOutput(out, translatorJsonText(translator), force);
  process.stdout.write(
    `wrote ${out}: ${translator.parameters.join(', ')} from ${samples.length} samples (${dim}-d embeddings), final loss ${translator.finalLoss.toPrecision(3)}\n`,
  );
  return 0;
}
