import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../engine/core/index.ts';
import { nodeFileSource, nodeImageDecoder } from '../../engine/node/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
import {
  candidatesFromList,
  DEFAULT_CLIP_MODEL,
  estimateSurfacePriors,
  loadClipEmbedder,
  loadViews,
  ModelUnavailableError,
  namePriors,
  parseTranslatorJson,
  priorsJsonText,
  type TranslatorJson,
  translatorPriorsFile,
  visionPriorsFile,
} from '../../engine/vision/index.ts';
import { checkFlags, flag, numberFlag, parseArgs, requireFlag, UsageError } from '../args.ts';
import { INPUT_BOOLEAN_FLAGS, INPUT_VALUE_FLAGS, inputOptions, readInputText } from '../inputs.ts';
import { checkFinite, prepareOutput, writeOutput } from '../output.ts';
import { USAGE } from '../usage.ts';

export const usage = USAGE.priors;

/**
 * `rftwin priors`: material priors from posed photos with CLIP. When the model cannot be
 * loaded, says so in one line and writes name-based priors instead. With --translator (fitted by
 * `rftwin translator` on calibrated twins) the learned parameters come from the embeddings.
 */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['extrapolate', 'offline', 'force', ...INPUT_BOOLEAN_FLAGS]);
  checkFlags(args, [
    'scene',
    'images',
    'model',
    'candidates',
    'frequency',
    'extrapolate',
    'offline',
    'max-crops',
    'translator',
    'out',
    'force',
    ...INPUT_VALUE_FLAGS,
    ...INPUT_BOOLEAN_FLAGS,
  ]);
  if (args.positional.length > 0)
    throw new UsageError(`unexpected argument '${args.positional[0]}'\nusage: ${usage}`);
  const scenePath = requireFlag(args, 'scene');
  const imagesPath = requireFlag(args, 'images');
  const out = requireFlag(args, 'out');
  const force = flag(args, 'force') === 'true';
  await prepareOutput(out, force);
  const inputs = inputOptions(args);
  // a local model folder is handed to the engine as an absolute path (it has no notion of a cwd)
  const modelArg = flag(args, 'model') ?? DEFAULT_CLIP_MODEL;
  const model = existsSync(modelArg) ? resolve(modelArg) : modelArg;
  const frequencyHz = numberFlag(args, 'frequency', 28e9);
  if (!(frequencyHz > 0)) throw new UsageError('--frequency must be a positive number of Hz');
  const allowExtrapolation = flag(args, 'extrapolate') === 'true';
  const maxCrops = numberFlag(args, 'max-crops', 24);
  const list = flag(args, 'candidates');
  let candidates: ReturnType<typeof candidatesFromList> | undefined;
  try {
    candidates = list === undefined ? undefined : candidatesFromList(list);
  } catch (e) {
    throw new UsageError(`--candidates: ${(e as Error).message}`);
  }
  const progress = (m: string) => process.stderr.write(`priors: ${m}\n`);
  // the translator is read and checked first: a bad file should not cost a CLIP run
  const translatorPath = flag(args, 'translator');
  let translator: TranslatorJson | undefined;
  if (translatorPath !== undefined) {
    translator = parseTranslatorJson(await readInputText(translatorPath, inputs), translatorPath);
  }

  const scene = await loadScene(nodeFileSource, scenePath, inputs);
  const views = await loadViews(nodeFileSource, imagesPath, nodeImageDecoder, inputs);
  progress(`${scene.name}: ${scene.objects.length} objects, ${views.length} views from ${imagesPath}`);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new Error('cancelled (SIGINT)'));
  process.once('SIGINT', onSigint);
  let text: string;
  let summary: string;
  try {
    let embedder: Awaited<ReturnType<typeof loadClipEmbedder>> | undefined;
    try {
      embedder = await loadClipEmbedder(model, {
        ...(flag(args, 'offline') === 'true' ? { allowRemote: false } : {}),
        onProgress: progress,
      });
    } catch (e) {
      if (!(e instanceof ModelUnavailableError)) throw e;
      // the one line the person needs; the rest of the run goes on with names
      process.stderr.write(`rftwin priors: ${e.message}; using name-based priors instead\n`);
    }
    if (embedder && translator) {
      // one text embedding tells the model's dimension before the whole pipeline runs
      const [probe] = await embedder.embedTexts(['a photo of a wall']);
      if (probe!.length !== translator.inputSize) {
        await embedder.dispose();
        throw new InputError(
          translatorPath!,
          'inputSize',
          `the translator takes ${translator.inputSize}-d CLIP embeddings but ${embedder.modelId} gives ${probe!.length}-d ones; fit it on priors made with the same model`,
        );
      }
    }
    if (embedder) {
      const result = await estimateSurfacePriors(scene, views, embedder, {
        frequencyHz,
        allowExtrapolation,
        maxCropsPerPatch: maxCrops,
        viewsFile: imagesPath,
        signal: controller.signal,
        onProgress: progress,
        ...(candidates ? { candidates } : {}),
      });
      await embedder.dispose();
      const file = translator
        ? await translatorPriorsFile(scene, result, translator, translatorPath!, {
            frequencyHz,
            allowExtrapolation,
          })
        : visionPriorsFile(scene, result, { frequencyHz, allowExtrapolation });
      checkFinite(file, 'priors', `scene ${scenePath} and images ${imagesPath}`);
      text = priorsJsonText(file);
      const seen = result.objects.filter(Boolean).length;
      summary = `${seen}/${scene.objects.length} objects seen; ${Object.entries(file.material_evidence)
        .map(([id, e]) => `${id}: ${String(e.label ?? e.source)}`)
        .join(', ')}`;
      for (const w of file.warnings) process.stderr.write(`warning: ${w}\n`);
    } else {
      const file = namePriors(scene, {
        frequencyHz,
        allowExtrapolation,
        warnings: translator
          ? [`the translator ${translatorPath} needs CLIP embeddings: not used without the model`]
          : [],
      });
      checkFinite(file, 'priors', `scene ${scenePath}`);
      text = priorsJsonText(file);
      summary = `name-based priors for ${Object.keys(file.materials).length} materials`;
      for (const w of file.warnings) process.stderr.write(`warning: ${w}\n`);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  await writeOutput(out, text, force);
  process.stdout.write(`wrote ${out}: ${summary}\n`);
  return 0;
}
