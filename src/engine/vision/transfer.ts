import { InputError, parseJsonText } from '../core/errors.ts';
import { cosine, meanDirection } from './matching.ts';

/**
 * Transfer (paper 000's retained association): a small tfjs network maps a surface's CLIP
 * embedding to the radio parameters a calibration found for it. Fitted on calibrated twins and
 * stored with them (as JSON), it proposes priors on a new scene from its embeddings directly.
 *
 * Only the parameters the calibrations actually estimated are learned (usually the
 * conductivity: the soundings inform it, the others stay at their nominal values and there is
 * nothing to learn about them); the translator says which in `parameters`. ε'r and σ span
 * decades across materials (σ from 0.01 S/m for wood to 10⁷ S/m for metal), so they are learned
 * on a log scale; S linearly; each target is standardised so that none dominates the loss.
 */
export const TRANSLATED_PARAMETERS = [
  'relative_permittivity',
  'conductivity',
  'scattering_coefficient',
] as const;
export type TranslatedParameter = (typeof TRANSLATED_PARAMETERS)[number];
export type TranslatedValues = Partial<Record<TranslatedParameter, number>>;

export interface TranslatorSample {
  embedding: Float32Array;
  /** calibrated values; every sample must give each parameter the translator learns */
  values: TranslatedValues;
  /** what the sample belongs to (the calibrated material or object): one anchor per group */
  group?: string;
}

/**
 * Where the translator has seen data: the mean embedding of each calibrated group it learned
 * from, and how far from it that group's own samples went (the lowest cosine). A surface whose
 * embedding is no closer than that to any anchor is outside what the translator learned, and
 * its prediction (a mix of learned prototypes) would be a guess.
 */
export interface TranslatorAnchor {
  label: string;
  embedding: number[];
  minCosine: number;
}

/** How much below an anchor's own spread an embedding may be and still count as covered. */
export const ANCHOR_MARGIN = 0.05;

export const TRANSLATOR_FORMAT = 'rftwin-translator/1';

export interface TranslatorJson {
  format: typeof TRANSLATOR_FORMAT;
  /** the learned parameters, in output order */
  parameters: TranslatedParameter[];
  /** CLIP model the embeddings came from (informative; the dimension is what must match) */
  model?: string;
  inputSize: number;
  hidden: number;
  /** per-dimension mean and std of the training embeddings (inputs are standardised with them) */
  inputMean: number[];
  inputStd: number[];
  /** target mean and std, per parameter, of (ln ε'r, ln σ, S) */
  targetMean: number[];
  targetStd: number[];
  /** dense layers' weights, flattened row-major, in tf.LayersModel.getWeights() order */
  weights: { shape: number[]; values: number[] }[];
  samples: number;
  finalLoss: number;
  /** where the training data came from (twins, calibration files) */
  fittedFrom?: string[];
  /** the groups it learned from (absent in translators fitted without groups) */
  anchors?: TranslatorAnchor[];
}

export interface FitOptions extends TranslatorRunOptions {
  /** parameters to learn; default: those every sample gives */
  parameters?: readonly TranslatedParameter[];
  model?: string;
  fittedFrom?: string[];
  hidden?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  signal?: AbortSignal;
  /** after every epoch (1-based), with the training loss; awaited (a host may yield here) */
  onEpoch?: (epoch: number, epochs: number, loss: number) => void | Promise<void>;
}

type Tf = typeof import('@tensorflow/tfjs');

/**
 * Where tfjs runs the translator: 'cpu' (plain JS: the same numbers in Node and the browser, no
 * native addon) or 'webgpu' (tfjs-backend-webgpu; the studio asks for it when its WebGPU device
 * layer has an adapter). A WebGPU backend that cannot start falls back to 'cpu', saying why.
 */
export type TranslatorBackend = 'cpu' | 'webgpu';

export interface TranslatorRunOptions {
  backend?: TranslatorBackend;
  /** the backend that actually ran, and why when it is not the one asked for */
  onBackend?: (backend: TranslatorBackend, note?: string) => void;
}

async function tfjs(options: TranslatorRunOptions = {}): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  if (options.backend === 'webgpu') {
    let note: string | undefined;
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
      if (tf.getBackend() === 'webgpu' || (await tf.setBackend('webgpu'))) {
        await tf.ready();
        options.onBackend?.('webgpu');
        return tf;
      }
      note = 'tfjs could not start its WebGPU backend';
    } catch (e) {
      note = `tfjs WebGPU backend failed (${(e as Error).message.split('\n')[0]})`;
    }
    if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
    options.onBackend?.('cpu', `${note}; ran on the CPU backend`);
    return tf;
  }
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  options.onBackend?.('cpu');
  return tf;
}

function buildModel(tf: Tf, inputSize: number, hidden: number, outputs: number, seed: number) {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [inputSize],
      units: hidden,
      // a softmax layer: every prediction is a convex mix of learned parameter prototypes, so a
      // surface between two classes never gets a value outside the calibrated range (with σ on a
      // log scale and metal at 10⁷ S/m, a linear or tanh read-out extrapolates by decades)
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(
    tf.layers.dense({ units: outputs, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
  );
  return model;
}

const standardise = (e: Float32Array, mean: number[], std: number[]): number[] =>
  Array.from(e, (v, d) => (v - mean[d]!) / std[d]!);

const isLog = (p: TranslatedParameter) => p !== 'scattering_coefficient';
const toTarget = (p: TranslatedParameter, v: number) => (isLog(p) ? Math.log(v) : v);
const fromTarget = (p: TranslatedParameter, t: number) =>
  isLog(p) ? Math.exp(t) : Math.min(1, Math.max(0, t));

/** Fit the translator on calibrated surfaces (embedding → calibrated parameters). */
export async function fitTranslator(
  samples: TranslatorSample[],
  options: FitOptions = {},
): Promise<TranslatorJson> {
  if (samples.length < 2) throw new Error('the translator needs at least two calibrated surfaces');
  const inputSize = samples[0]!.embedding.length;
  if (samples.some((s) => s.embedding.length !== inputSize))
    throw new Error('all embeddings must have the same length');
  const parameters = [
    ...(options.parameters ??
      TRANSLATED_PARAMETERS.filter((p) => samples.every((s) => s.values[p] !== undefined))),
  ];
  if (parameters.length === 0) throw new Error('no calibrated parameter is given by every sample');
  for (const s of samples) {
    for (const p of parameters) {
      const v = s.values[p];
      if (v === undefined || !Number.isFinite(v)) throw new Error(`a sample has no calibrated ${p}`);
      if (isLog(p) && !(v > 0)) throw new Error(`calibrated ${p} must be positive, got ${v}`);
    }
  }
  const tf = await tfjs(options);
  const hidden = options.hidden ?? 16;
  const Y = samples.map((s) => parameters.map((p) => toTarget(p, s.values[p]!)));
  const targetMean = parameters.map((_, j) => Y.reduce((s, y) => s + y[j]!, 0) / Y.length);
  // a target that does not vary gets std 1 (the network then learns a constant 0)
  const targetStd = parameters.map(
    (_, j) => Math.sqrt(Y.reduce((s, y) => s + (y[j]! - targetMean[j]!) ** 2, 0) / Y.length) || 1,
  );
  // embeddings of different materials differ by a few tenths of cosine: centring them and
  // scaling by one overall spread lets the softmax layer separate them without huge weights,
  // while keeping the embedding geometry (per-dimension scaling would blow up noise dimensions)
  const inputMean = Array.from(
    { length: inputSize },
    (_, d) => samples.reduce((s, x) => s + x.embedding[d]!, 0) / samples.length,
  );
  const spread =
    Math.sqrt(
      samples.reduce((s, x) => s + x.embedding.reduce((t, v, d) => t + (v - inputMean[d]!) ** 2, 0), 0) /
        samples.length,
    ) || 1;
  const inputStd = inputMean.map(() => spread);
  const model = buildModel(tf, inputSize, hidden, parameters.length, options.seed ?? 7);
  model.compile({ optimizer: tf.train.adam(options.learningRate ?? 0.05), loss: 'meanSquaredError' });
  const x = tf.tensor2d(samples.map((s) => standardise(s.embedding, inputMean, inputStd)));
  const y = tf.tensor2d(Y.map((row) => row.map((v, j) => (v - targetMean[j]!) / targetStd[j]!)));
  const epochs = options.epochs ?? 800;
  let finalLoss = Number.NaN;
  try {
    const history = await model.fit(x, y, {
      epochs,
      batchSize: samples.length,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          await options.onEpoch?.(epoch + 1, epochs, logs?.loss ?? Number.NaN);
          if (options.signal?.aborted) model.stopTraining = true;
        },
      },
    });
    const losses = history.history.loss as number[];
    finalLoss = losses[losses.length - 1]!;
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const weights = model.getWeights().map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) }));
    return {
      format: TRANSLATOR_FORMAT,
      parameters,
      ...(options.model ? { model: options.model } : {}),
      inputSize,
      hidden,
      inputMean,
      inputStd,
      targetMean,
      targetStd,
      weights,
      samples: samples.length,
      finalLoss,
      ...(options.fittedFrom ? { fittedFrom: options.fittedFrom } : {}),
      ...(samples.every((s) => s.group !== undefined) ? { anchors: anchorsOf(samples) } : {}),
    };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}

const round6 = (x: number) => Number(x.toPrecision(6));

function anchorsOf(samples: TranslatorSample[]): TranslatorAnchor[] {
  const groups = new Map<string, Float32Array[]>();
  for (const s of samples) groups.set(s.group!, [...(groups.get(s.group!) ?? []), s.embedding]);
  return [...groups].map(([label, es]) => {
    const mean = meanDirection(es);
    return {
      label,
      embedding: Array.from(mean, round6),
      minCosine: round6(Math.min(...es.map((e) => cosine(e, mean)))),
    };
  });
}

/**
 * The anchor nearest to an embedding, and whether the embedding is covered by it (no further
 * from it than its own samples were, less ANCHOR_MARGIN). Undefined for a translator without
 * anchors (fitted before they were recorded): it covers everything, as it always did.
 */
export function nearestAnchor(
  translator: TranslatorJson,
  embedding: Float32Array,
): { label: string; cosine: number; minCosine: number; covered: boolean } | undefined {
  let best: { label: string; cosine: number; minCosine: number; covered: boolean } | undefined;
  for (const a of translator.anchors ?? []) {
    const c = cosine(embedding, Float32Array.from(a.embedding));
    if (!best || c > best.cosine)
      best = { label: a.label, cosine: c, minCosine: a.minCosine, covered: c >= a.minCosine - ANCHOR_MARGIN };
  }
  return best;
}

/** Predict the learned radio parameters from embeddings with a stored translator. */
export async function translate(
  translator: TranslatorJson,
  embeddings: Float32Array[],
  options: TranslatorRunOptions = {},
): Promise<TranslatedValues[]> {
  if (translator.format !== TRANSLATOR_FORMAT)
    throw new Error(`unknown translator format '${String(translator.format)}'`);
  if (embeddings.length === 0) return [];
  if (embeddings.some((e) => e.length !== translator.inputSize)) {
    throw new Error(
      `translator expects ${translator.inputSize}-d embeddings, got ${embeddings.find((e) => e.length !== translator.inputSize)!.length}-d (fitted with another CLIP model?)`,
    );
  }
  const tf = await tfjs(options);
  const outputs = translator.parameters.length;
  const model = buildModel(tf, translator.inputSize, translator.hidden, outputs, 0);
  const weights = translator.weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(weights);
  for (const w of weights) w.dispose();
  const x = tf.tensor2d(embeddings.map((e) => standardise(e, translator.inputMean, translator.inputStd)));
  const out = model.predict(x) as import('@tensorflow/tfjs').Tensor;
  const rows = (await out.array()) as number[][];
  x.dispose();
  out.dispose();
  model.dispose();
  return rows.map((r) => {
    const values: TranslatedValues = {};
    translator.parameters.forEach((p, j) => {
      values[p] = fromTarget(p, r[j]! * translator.targetStd[j]! + translator.targetMean[j]!);
    });
    return values;
  });
}

/**
 * A translator file, checked: format, learned parameters, and every array's length against
 * the dimensions it declares (a truncated or hand-edited file would otherwise fail deep inside
 * tfjs). Errors name the file and the field.
 */
export function parseTranslatorJson(text: string, file: string): TranslatorJson {
  const root = parseJsonText(text, file);
  const fail = (field: string, problem: string): never => {
    throw new InputError(file, field, problem);
  };
  if (typeof root !== 'object' || root === null || Array.isArray(root))
    fail('(root)', `expected a translator object {"format": "${TRANSLATOR_FORMAT}", …}`);
  const t = root as Record<string, unknown>;
  if (t.format !== TRANSLATOR_FORMAT)
    fail('format', `expected "${TRANSLATOR_FORMAT}", got ${JSON.stringify(t.format)}`);
  const posInt = (field: string): number => {
    const v = t[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      fail(field, `expected a positive integer, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const inputSize = posInt('inputSize');
  const hidden = posInt('hidden');
  const params = t.parameters;
  if (
    !Array.isArray(params) ||
    params.length === 0 ||
    params.some((p) => !(TRANSLATED_PARAMETERS as readonly unknown[]).includes(p)) ||
    new Set(params).size !== params.length
  )
    fail(
      'parameters',
      `expected a non-empty list of distinct names from ${TRANSLATED_PARAMETERS.join(', ')}, got ${JSON.stringify(params)}`,
    );
  const outputs = (params as unknown[]).length;
  const numbers = (field: string, length: number, positive = false): number[] => {
    const v = t[field];
    if (!Array.isArray(v) || v.length !== length)
      fail(
        field,
        `expected ${length} numbers, got ${Array.isArray(v) ? `${v.length} entries` : JSON.stringify(v)}`,
      );
    const arr = v as unknown[];
    const bad = arr.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x) || (positive && !(x > 0)));
    if (bad >= 0)
      fail(
        `${field}[${bad}]`,
        `expected a ${positive ? 'positive ' : ''}number, got ${JSON.stringify(arr[bad])}`,
      );
    return arr as number[];
  };
  numbers('inputMean', inputSize);
  numbers('inputStd', inputSize, true);
  numbers('targetMean', outputs);
  numbers('targetStd', outputs, true);
  // dense(inputSize → hidden), dense(hidden → outputs): kernel then bias per layer
  const expected = [[inputSize, hidden], [hidden], [hidden, outputs], [outputs]];
  const w = t.weights;
  if (!Array.isArray(w) || w.length !== expected.length)
    fail('weights', `expected ${expected.length} weight arrays (kernel and bias of 2 dense layers)`);
  (w as unknown[]).forEach((entry, k) => {
    const e = entry as { shape?: unknown; values?: unknown };
    const shape = expected[k]!;
    if (JSON.stringify(e?.shape) !== JSON.stringify(shape))
      fail(
        `weights[${k}].shape`,
        `expected [${shape.join(', ')}] for a ${inputSize}-d embedding, ${hidden} hidden units and ${outputs} outputs, got ${JSON.stringify(e?.shape)}`,
      );
    const size = shape.reduce((a, b) => a * b, 1);
    if (
      !Array.isArray(e.values) ||
      e.values.length !== size ||
      e.values.some((x) => typeof x !== 'number' || !Number.isFinite(x))
    )
      fail(`weights[${k}].values`, `expected ${size} finite numbers`);
  });
  if (t.anchors !== undefined) {
    if (!Array.isArray(t.anchors)) fail('anchors', 'expected a list of {label, embedding, minCosine}');
    (t.anchors as unknown[]).forEach((entry, k) => {
      const a = entry as { label?: unknown; embedding?: unknown; minCosine?: unknown };
      if (typeof a?.label !== 'string') fail(`anchors[${k}].label`, 'expected a string');
      if (
        !Array.isArray(a.embedding) ||
        a.embedding.length !== inputSize ||
        a.embedding.some((x) => typeof x !== 'number' || !Number.isFinite(x))
      )
        fail(`anchors[${k}].embedding`, `expected ${inputSize} finite numbers`);
      if (typeof a.minCosine !== 'number' || !(a.minCosine >= -1 && a.minCosine <= 1))
        fail(`anchors[${k}].minCosine`, `expected a cosine in [-1, 1], got ${JSON.stringify(a.minCosine)}`);
    });
  }
  return root as TranslatorJson;
}

export const translatorJsonText = (t: TranslatorJson): string => `${JSON.stringify(t)}\n`;
