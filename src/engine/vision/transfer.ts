import type { MaterialPrior } from './priorsFile.ts';

/**
 * Transfer (paper 000's retained association): a small tfjs network maps a surface's CLIP
 * embedding to the radio parameters a calibration found for it. Fitted on calibrated twins and
 * stored with them (as JSON), it proposes priors on a new scene from its embeddings directly.
 *
 * Targets are (ln ε'r, ln σ, S): permittivity and conductivity span decades across materials
 * (σ from 0.01 S/m for wood to 10⁷ S/m for metal), so they are learned on a log scale, and each
 * target is standardised so that none dominates the loss.
 */
export interface TranslatorSample {
  embedding: Float32Array;
  relativePermittivity: number;
  conductivity: number;
  scatteringCoefficient: number;
}

export interface TranslatorJson {
  format: 'rftwin-translator/1';
  inputSize: number;
  hidden: number;
  /** per-dimension mean and std of the training embeddings (inputs are standardised with them) */
  inputMean: number[];
  inputStd: number[];
  /** target mean and std of (ln ε'r, ln σ, S) */
  targetMean: number[];
  targetStd: number[];
  /** dense layers' weights, flattened row-major, in tf.LayersModel.getWeights() order */
  weights: { shape: number[]; values: number[] }[];
  samples: number;
  finalLoss: number;
}

export interface TranslatorPrediction {
  relativePermittivity: number;
  conductivity: number;
  scatteringCoefficient: number;
}

export interface FitOptions {
  hidden?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  signal?: AbortSignal;
}

type Tf = typeof import('@tensorflow/tfjs');

async function tfjs(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  // the plain JS backend: the same numbers in Node and the browser, no native addon needed
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  return tf;
}

function buildModel(tf: Tf, inputSize: number, hidden: number, seed: number) {
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
    tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
  );
  return model;
}

const standardise = (e: Float32Array, mean: number[], std: number[]): number[] =>
  Array.from(e, (v, d) => (v - mean[d]!) / std[d]!);

const targetsOf = (s: TranslatorSample): number[] => [
  Math.log(s.relativePermittivity),
  Math.log(s.conductivity),
  s.scatteringCoefficient,
];

/** Fit the translator on calibrated surfaces (embedding → calibrated parameters). */
export async function fitTranslator(
  samples: TranslatorSample[],
  options: FitOptions = {},
): Promise<TranslatorJson> {
  if (samples.length < 2) throw new Error('the translator needs at least two calibrated surfaces');
  const inputSize = samples[0]!.embedding.length;
  if (samples.some((s) => s.embedding.length !== inputSize))
    throw new Error('all embeddings must have the same length');
  for (const s of samples) {
    if (!(s.relativePermittivity > 0) || !(s.conductivity > 0))
      throw new Error("calibrated ε'r and σ must be positive");
  }
  const tf = await tfjs();
  const hidden = options.hidden ?? 16;
  const Y = samples.map(targetsOf);
  const targetMean = [0, 1, 2].map((j) => Y.reduce((s, y) => s + y[j]!, 0) / Y.length);
  // a target that does not vary gets std 1 (the network then learns a constant 0)
  const targetStd = [0, 1, 2].map(
    (j) => Math.sqrt(Y.reduce((s, y) => s + (y[j]! - targetMean[j]!) ** 2, 0) / Y.length) || 1,
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
  const model = buildModel(tf, inputSize, hidden, options.seed ?? 7);
  model.compile({ optimizer: tf.train.adam(options.learningRate ?? 0.05), loss: 'meanSquaredError' });
  const x = tf.tensor2d(samples.map((s) => standardise(s.embedding, inputMean, inputStd)));
  const y = tf.tensor2d(Y.map((row) => row.map((v, j) => (v - targetMean[j]!) / targetStd[j]!)));
  let finalLoss = Number.NaN;
  try {
    const history = await model.fit(x, y, {
      epochs: options.epochs ?? 800,
      batchSize: samples.length,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: async () => {
          if (options.signal?.aborted) model.stopTraining = true;
        },
      },
    });
    const losses = history.history.loss as number[];
    finalLoss = losses[losses.length - 1]!;
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const weights = model.getWeights().map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) }));
    return {
      format: 'rftwin-translator/1',
      inputSize,
      hidden,
      inputMean,
      inputStd,
      targetMean,
      targetStd,
      weights,
      samples: samples.length,
      finalLoss,
    };
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}

/** Predict radio parameters from embeddings with a stored translator. */
export async function translate(
  translator: TranslatorJson,
  embeddings: Float32Array[],
): Promise<TranslatorPrediction[]> {
  if (translator.format !== 'rftwin-translator/1')
    throw new Error(`unknown translator format '${String(translator.format)}'`);
  if (embeddings.length === 0) return [];
  if (embeddings.some((e) => e.length !== translator.inputSize)) {
    throw new Error(
      `translator expects ${translator.inputSize}-d embeddings (fitted with another CLIP model?)`,
    );
  }
  const tf = await tfjs();
  const model = buildModel(tf, translator.inputSize, translator.hidden, 0);
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
    const [le, ls, S] = r.map((v, j) => v * translator.targetStd[j]! + translator.targetMean[j]!) as [
      number,
      number,
      number,
    ];
    return {
      relativePermittivity: Math.exp(le),
      conductivity: Math.exp(ls),
      scatteringCoefficient: Math.min(1, Math.max(0, S)),
    };
  });
}

/** A translator prediction as a priors-file material entry. */
export const translatedPrior = (p: TranslatorPrediction, thickness: number): MaterialPrior => ({
  relative_permittivity: Number(p.relativePermittivity.toPrecision(6)),
  conductivity: Number(p.conductivity.toPrecision(6)),
  scattering_coefficient: Number(p.scatteringCoefficient.toPrecision(4)),
  thickness,
  itu_name: 'translated',
});
