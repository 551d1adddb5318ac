/**
 * Generates a tiny CLIP-architecture model that transformers.js loads through its normal code
 * path (config.json, preprocessor_config.json, tokenizer.json + tokenizer_config.json,
 * onnx/text_model.onnx, onnx/vision_model.onnx), so that the vision-priors pipeline can be
 * tested end to end without downloading real weights.
 *
 * The weights are designed, not trained:
 * - vision: features = per-channel mean of the normalised pixels + a texture statistic (mean
 *   absolute neighbour difference of the grey image). Each material class has a centroid in
 *   that feature space (measured on swatches of the procedural class textures in
 *   src/engine/vision/classTextures.ts); the embedding holds Gaussian "detector" responses
 *   exp(−|f − c_k|²/2s²) per class, three roughness detectors on the texture statistic and a
 *   constant, rotated into a 32-d space by a fixed orthonormal projection.
 * - text: the mean of the token embeddings (masked by attention_mask); material words and their
 *   synonyms embed onto their class detector axis, roughness words onto their roughness axis,
 *   template words ("a photo of a … wall") onto the constant axis, all in the same 32-d space.
 * So cosine similarity between a crop and "a photo of a brick wall" is high exactly when the
 * crop's colour and texture are those of the brick texture.
 *
 * Run: node bin/run-ts.mjs scripts/make-tiny-clip.ts [outDir]   (default public/models/tiny-clip)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createImage, resizeImage } from '../src/engine/core/image.ts';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import {
  CLASS_ROUGHNESS,
  CLASS_TEXTURES,
  classRelief,
  TEXTURE_CLASSES,
} from '../src/engine/vision/classTextures.ts';
import { surfaceAxes, surfaceShade } from '../src/engine/vision/rayRender.ts';
import { ROUGHNESS_CLASSES } from '../src/engine/vision/vocabulary.ts';

// ---------------------------------------------------------------------------------------------
// Minimal protobuf writer for the ONNX messages we need (onnx.proto field numbers).

type Field = Uint8Array;

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

const concat = (parts: ArrayLike<number>[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const tag = (field: number, wire: number) => varint((field << 3) | wire);
const fInt = (field: number, v: number | bigint): Field => Uint8Array.from([...tag(field, 0), ...varint(v)]);
const fBytes = (field: number, bytes: Uint8Array): Field =>
  concat([tag(field, 2), varint(bytes.length), bytes]);
const fStr = (field: number, s: string): Field => fBytes(field, new TextEncoder().encode(s));
const fMsg = (field: number, parts: Field[]): Field => fBytes(field, concat(parts));
const fFloat = (field: number, v: number): Field => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return concat([tag(field, 5), b]);
};

const FLOAT = 1;
const INT64 = 7;

interface Tensor {
  name: string;
  dims: number[];
  type: typeof FLOAT | typeof INT64;
  values: ArrayLike<number>;
}

function tensorProto(t: Tensor): Field[] {
  const raw = new Uint8Array(t.values.length * (t.type === FLOAT ? 4 : 8));
  const view = new DataView(raw.buffer);
  for (let i = 0; i < t.values.length; i++) {
    if (t.type === FLOAT) view.setFloat32(4 * i, t.values[i]!, true);
    else view.setBigInt64(8 * i, BigInt(t.values[i]!), true);
  }
  return [...t.dims.map((d) => fInt(1, d)), fInt(2, t.type), fStr(8, t.name), fBytes(9, raw)];
}

type Attr = { name: string } & ({ f: number } | { i: number } | { ints: number[] });

function attributeProto(a: Attr): Field[] {
  const parts: Field[] = [fStr(1, a.name)];
  if ('f' in a) parts.push(fFloat(2, a.f), fInt(20, 1));
  else if ('i' in a) parts.push(fInt(3, a.i), fInt(20, 2));
  else parts.push(...a.ints.map((v) => fInt(8, v)), fInt(20, 7));
  return parts;
}

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Attr[];
}

type Dim = number | string;
const valueInfo = (name: string, elemType: number, dims: Dim[]): Field[] => [
  fStr(1, name),
  fMsg(2, [
    fMsg(1, [
      fInt(1, elemType),
      fMsg(
        2,
        dims.map((d) => fMsg(1, [typeof d === 'number' ? fInt(1, d) : fStr(2, d)])),
      ),
    ]),
  ]),
];

function modelProto(
  name: string,
  nodes: Node[],
  initializers: Tensor[],
  inputs: [string, number, Dim[]][],
  outputs: [string, number, Dim[]][],
): Uint8Array {
  const graph: Field[] = [
    ...nodes.map((n, k) =>
      fMsg(1, [
        ...n.inputs.map((s) => fStr(1, s)),
        ...n.outputs.map((s) => fStr(2, s)),
        fStr(3, `${n.op}_${k}`),
        fStr(4, n.op),
        ...(n.attrs ?? []).map((a) => fMsg(5, attributeProto(a))),
      ]),
    ),
    fStr(2, name),
    ...initializers.map((t) => fMsg(5, tensorProto(t))),
    ...inputs.map(([n, t, d]) => fMsg(11, valueInfo(n, t, d))),
    ...outputs.map(([n, t, d]) => fMsg(12, valueInfo(n, t, d))),
  ];
  return concat([
    fInt(1, 8),
    fStr(2, 'rftwin make-tiny-clip'),
    fMsg(7, graph),
    fMsg(8, [fStr(1, ''), fInt(2, 13)]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The designed model.

export const IMAGE_SIZE = 32;
export const EMBED_DIM = 32;
const IMAGE_MEAN = [0.48145466, 0.4578275, 0.40821073];
const IMAGE_STD = [0.26862954, 0.26130258, 0.27577711];
/** feature weights: colour means as they are, the texture statistic scaled to count like colour */
const TEXTURE_WEIGHT = 2.5;
/** width of the class detectors in weighted feature units */
const CLASS_SIGMA = 0.3;
const ROUGHNESS_SIGMA = 0.12;
const CONSTANT = 0.1;

/** Words embedded onto each class axis (synonyms as an open-vocabulary prompt would use them). */
export const CLASS_WORDS: Record<string, string[]> = {
  brick: ['brick', 'bricks', 'brickwork', 'masonry'],
  concrete: ['concrete', 'cement', 'pavement'],
  wood: ['wood', 'wooden', 'timber', 'oak', 'planks'],
  marble: ['marble', 'stone', 'granite'],
  chipboard: ['chipboard', 'particleboard', 'osb'],
  metal: ['metal', 'metallic', 'steel', 'aluminium', 'aluminum', 'iron'],
  glass: ['glass', 'window', 'glazing'],
  plasterboard: ['plasterboard', 'drywall', 'gypsum', 'plaster', 'painted'],
  carpet: ['carpet', 'rug', 'carpeted'],
  tile: ['tile', 'tiles', 'tiled', 'ceramic'],
  fabric: ['fabric', 'cloth', 'textile', 'upholstery'],
};
const ROUGHNESS_WORDS: string[][] = [
  ['smooth', 'polished', 'glossy'],
  ['fine', 'matte', 'slightly'],
  ['rough', 'coarse', 'textured', 'very'],
];
const NEUTRAL_WORDS = [
  'a',
  'an',
  'the',
  'photo',
  'picture',
  'close',
  'up',
  '-',
  'of',
  'wall',
  'floor',
  'ceiling',
  'surface',
  'texture',
  'made',
  'material',
  'box',
  'object',
  'with',
  'board',
  'ground',
  'dry',
  'wet',
  'medium',
  'covered',
  'in',
  'panel',
  'sheet',
  'detail',
  ',',
  '.',
];

/** Deterministic PRNG (mulberry32) so the generated files are byte-identical on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The vision features the ONNX graph computes, in plain TypeScript, for designing the weights:
 * pixel values already normalised, layout [3][S][S].
 */
export function visionFeatures(pv: Float32Array, size: number): [number, number, number, number] {
  const n = size * size;
  const mean = [0, 1, 2].map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += pv[c * n + i]!;
    return s / n;
  });
  const grey = new Float32Array(n);
  for (let i = 0; i < n; i++) grey[i] = (pv[i]! + pv[n + i]! + pv[2 * n + i]!) / 3;
  let dx = 0;
  let dy = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (x + 1 < size) dx += Math.abs(grey[y * size + x + 1]! - grey[y * size + x]!);
      if (y + 1 < size) dy += Math.abs(grey[(y + 1) * size + x]! - grey[y * size + x]!);
    }
  }
  const t = dx / (size * (size - 1)) + dy / (size * (size - 1));
  return [mean[0]!, mean[1]!, mean[2]!, t];
}

/** Swatches are shaded as a wall facing −y is in the renders (rayRender.ts surfaceShade, relief included). */
const SWATCH_NORMAL: Vec3 = [0, -1, 0];
const SWATCH_AXES = surfaceAxes(SWATCH_NORMAL);

/**
 * A normalised swatch of a class texture covering `side` metres, rendered at `px` pixels with
 * 2×2 supersampling (like the demo renders) and resized to the model input like the pipeline's
 * crops, so the centroids see the blur a crop of that pixel size really has.
 */
function swatch(cls: string, side: number, px: number, u0: number, v0: number): Float32Array {
  const f = CLASS_TEXTURES[cls]!;
  const img = createImage(px, px);
  for (let y = 0; y < px; y++) {
    for (let x = 0; x < px; x++) {
      const acc = [0, 0, 0];
      for (let s = 0; s < 4; s++) {
        const u = u0 + ((x + 0.25 + 0.5 * (s & 1)) / px) * side;
        const v = v0 + ((px - y - 0.25 - 0.5 * (s >> 1)) / px) * side;
        const c = f(u, v);
        const k = surfaceShade(SWATCH_NORMAL, SWATCH_AXES, classRelief(cls, u, v));
        for (let q = 0; q < 3; q++) acc[q]! += (c[q]! * k) / 4;
      }
      for (let k = 0; k < 3; k++) img.data[4 * (y * px + x) + k] = Math.round(255 * Math.min(1, acc[k]!));
      img.data[4 * (y * px + x) + 3] = 255;
    }
  }
  const r = resizeImage(img, IMAGE_SIZE, IMAGE_SIZE);
  const S = IMAGE_SIZE;
  const pv = new Float32Array(3 * S * S);
  for (let i = 0; i < S * S; i++)
    for (let k = 0; k < 3; k++)
      pv[k * S * S + i] = (r.data[4 * i + k]! / 255 - IMAGE_MEAN[k]!) / IMAGE_STD[k]!;
  return pv;
}

export interface TinyClipDesign {
  classes: string[];
  /** weighted feature centroids, one per class */
  centroids: number[][];
  roughnessCentres: number[];
}

export function designTinyClip(): TinyClipDesign {
  const classes = TEXTURE_CLASSES;
  const random = rng(7);
  const centroids = classes.map((cls) => {
    const acc = [0, 0, 0, 0];
    let count = 0;
    for (const side of [0.25, 0.5, 1]) {
      for (const px of [16, 24, 40, 64]) {
        const f = visionFeatures(swatch(cls, side, px, random() * 5, random() * 5), IMAGE_SIZE);
        for (let j = 0; j < 4; j++) acc[j]! += f[j]!;
        count++;
      }
    }
    return acc.map((a, j) => (a / count) * (j === 3 ? TEXTURE_WEIGHT : 1));
  });
  // each roughness detector sits at the mean texture statistic of the classes of that roughness
  const t = (cls: string) => centroids[classes.indexOf(cls)]![3]! / TEXTURE_WEIGHT;
  const roughnessCentres = ROUGHNESS_CLASSES.map(({ label }) => {
    const members = classes.filter((c) => CLASS_ROUGHNESS[c] === label);
    return members.reduce((s, c) => s + t(c), 0) / members.length;
  });
  return { classes, centroids, roughnessCentres };
}

/** Rows of an orthonormal basis: maps the (classes + 3 roughness + constant) axes into EMBED_DIM. */
function projection(rows: number): number[][] {
  const random = rng(12345);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const basis: number[][] = [];
  while (basis.length < rows) {
    const v = Array.from({ length: EMBED_DIM }, gauss);
    for (const b of basis) {
      const d = v.reduce((s, x, i) => s + x * b[i]!, 0);
      for (let i = 0; i < EMBED_DIM; i++) v[i]! -= d * b[i]!;
    }
    const n = Math.hypot(...v);
    basis.push(v.map((x) => x / n));
  }
  return basis;
}

export function buildTinyClipFiles(): Record<string, Uint8Array | string> {
  const design = designTinyClip();
  const K = design.classes.length;
  const axes = K + 4; // classes, 3 roughness, constant
  const Q = projection(axes);
  const vision = modelProto(
    'tiny_clip_vision',
    [
      {
        op: 'ReduceMean',
        inputs: ['pixel_values'],
        outputs: ['mean_rgb'],
        attrs: [
          { name: 'axes', ints: [2, 3] },
          { name: 'keepdims', i: 0 },
        ],
      },
      {
        op: 'ReduceMean',
        inputs: ['pixel_values'],
        outputs: ['grey'],
        attrs: [
          { name: 'axes', ints: [1] },
          { name: 'keepdims', i: 1 },
        ],
      },
      { op: 'Slice', inputs: ['grey', 'one', 'big', 'axis3'], outputs: ['gx1'] },
      { op: 'Slice', inputs: ['grey', 'zero', 'minus_one', 'axis3'], outputs: ['gx0'] },
      { op: 'Sub', inputs: ['gx1', 'gx0'], outputs: ['dx'] },
      { op: 'Abs', inputs: ['dx'], outputs: ['adx'] },
      {
        op: 'ReduceMean',
        inputs: ['adx'],
        outputs: ['tx'],
        attrs: [
          { name: 'axes', ints: [2, 3] },
          { name: 'keepdims', i: 0 },
        ],
      },
      { op: 'Slice', inputs: ['grey', 'one', 'big', 'axis2'], outputs: ['gy1'] },
      { op: 'Slice', inputs: ['grey', 'zero', 'minus_one', 'axis2'], outputs: ['gy0'] },
      { op: 'Sub', inputs: ['gy1', 'gy0'], outputs: ['dy'] },
      { op: 'Abs', inputs: ['dy'], outputs: ['ady'] },
      {
        op: 'ReduceMean',
        inputs: ['ady'],
        outputs: ['ty'],
        attrs: [
          { name: 'axes', ints: [2, 3] },
          { name: 'keepdims', i: 0 },
        ],
      },
      { op: 'Add', inputs: ['tx', 'ty'], outputs: ['texture'] },
      {
        op: 'Concat',
        inputs: ['mean_rgb', 'texture'],
        outputs: ['features'],
        attrs: [{ name: 'axis', i: 1 }],
      },
      { op: 'Mul', inputs: ['features', 'feature_weights'], outputs: ['weighted'] },
      { op: 'Unsqueeze', inputs: ['weighted', 'axis1'], outputs: ['weighted3'] },
      { op: 'Sub', inputs: ['weighted3', 'centroids'], outputs: ['diff'] },
      { op: 'Mul', inputs: ['diff', 'diff'], outputs: ['diff2'] },
      {
        op: 'ReduceSum',
        inputs: ['diff2', 'axis2'],
        outputs: ['dist2'],
        attrs: [{ name: 'keepdims', i: 0 }],
      },
      { op: 'Mul', inputs: ['dist2', 'class_gain'], outputs: ['class_logit'] },
      { op: 'Exp', inputs: ['class_logit'], outputs: ['class_act'] },
      { op: 'Sub', inputs: ['texture', 'roughness_centres'], outputs: ['rdiff'] },
      { op: 'Mul', inputs: ['rdiff', 'rdiff'], outputs: ['rdiff2'] },
      { op: 'Mul', inputs: ['rdiff2', 'roughness_gain'], outputs: ['rough_logit'] },
      { op: 'Exp', inputs: ['rough_logit'], outputs: ['rough_act'] },
      { op: 'Mul', inputs: ['texture', 'zero_f'], outputs: ['zeros'] },
      { op: 'Add', inputs: ['zeros', 'constant'], outputs: ['constant_col'] },
      {
        op: 'Concat',
        inputs: ['class_act', 'rough_act', 'constant_col'],
        outputs: ['axes_act'],
        attrs: [{ name: 'axis', i: 1 }],
      },
      { op: 'MatMul', inputs: ['axes_act', 'projection'], outputs: ['image_embeds'] },
    ],
    [
      { name: 'one', dims: [1], type: INT64, values: [1] },
      { name: 'zero', dims: [1], type: INT64, values: [0] },
      { name: 'minus_one', dims: [1], type: INT64, values: [-1] },
      { name: 'big', dims: [1], type: INT64, values: [1 << 30] },
      { name: 'axis1', dims: [1], type: INT64, values: [1] },
      { name: 'axis2', dims: [1], type: INT64, values: [2] },
      { name: 'axis3', dims: [1], type: INT64, values: [3] },
      { name: 'feature_weights', dims: [4], type: FLOAT, values: [1, 1, 1, TEXTURE_WEIGHT] },
      { name: 'centroids', dims: [K, 4], type: FLOAT, values: design.centroids.flat() },
      { name: 'class_gain', dims: [1], type: FLOAT, values: [-1 / (2 * CLASS_SIGMA ** 2)] },
      { name: 'roughness_centres', dims: [3], type: FLOAT, values: design.roughnessCentres },
      { name: 'roughness_gain', dims: [1], type: FLOAT, values: [-1 / (2 * ROUGHNESS_SIGMA ** 2)] },
      { name: 'zero_f', dims: [1], type: FLOAT, values: [0] },
      { name: 'constant', dims: [1], type: FLOAT, values: [CONSTANT] },
      { name: 'projection', dims: [axes, EMBED_DIM], type: FLOAT, values: Q.flat() },
    ],
    [['pixel_values', FLOAT, ['batch_size', 3, 'height', 'width']]],
    [['image_embeds', FLOAT, ['batch_size', EMBED_DIM]]],
  );

  // vocabulary: special tokens, then every word with its axis (or the constant axis)
  const specials = ['<|startoftext|>', '<|endoftext|>'];
  const words: [string, number][] = [];
  design.classes.forEach((cls, k) => {
    for (const w of CLASS_WORDS[cls] ?? [cls]) words.push([w, k]);
  });
  ROUGHNESS_WORDS.forEach((ws, r) => {
    for (const w of ws) words.push([w, K + r]);
  });
  for (const w of NEUTRAL_WORDS) words.push([w, K + 3]);
  const vocab: Record<string, number> = {};
  const table: number[] = [];
  const row = (axis: number, gain: number) => Q[axis]!.map((x) => x * gain);
  for (const s of specials) {
    vocab[s] = Object.keys(vocab).length;
    table.push(...row(K + 3, CONSTANT));
  }
  for (const [w, axis] of words) {
    vocab[w] = Object.keys(vocab).length;
    table.push(...row(axis, axis === K + 3 ? CONSTANT : 1));
  }
  vocab['##s'] = Object.keys(vocab).length; // plural suffix carries no meaning
  table.push(...row(K + 3, 0));
  const V = Object.keys(vocab).length;
  const text = modelProto(
    'tiny_clip_text',
    [
      {
        op: 'Gather',
        inputs: ['token_embedding', 'input_ids'],
        outputs: ['tokens'],
        attrs: [{ name: 'axis', i: 0 }],
      },
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attrs: [{ name: 'to', i: FLOAT }] },
      { op: 'Unsqueeze', inputs: ['mask_f', 'axis2'], outputs: ['mask3'] },
      { op: 'Mul', inputs: ['tokens', 'mask3'], outputs: ['masked'] },
      { op: 'ReduceSum', inputs: ['masked', 'axis1'], outputs: ['sum'], attrs: [{ name: 'keepdims', i: 0 }] },
      {
        op: 'ReduceSum',
        inputs: ['mask3', 'axis1'],
        outputs: ['count'],
        attrs: [{ name: 'keepdims', i: 0 }],
      },
      { op: 'Div', inputs: ['sum', 'count'], outputs: ['text_embeds'] },
    ],
    [
      { name: 'token_embedding', dims: [V, EMBED_DIM], type: FLOAT, values: table },
      { name: 'axis1', dims: [1], type: INT64, values: [1] },
      { name: 'axis2', dims: [1], type: INT64, values: [2] },
    ],
    [
      ['input_ids', INT64, ['batch_size', 'sequence_length']],
      ['attention_mask', INT64, ['batch_size', 'sequence_length']],
    ],
    [['text_embeds', FLOAT, ['batch_size', EMBED_DIM]]],
  );

  const specialToken = (content: string, id: number) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((s, i) => specialToken(s, i)),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '<|startoftext|>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<|endoftext|>', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '<|startoftext|>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: '<|endoftext|>', type_id: 0 } },
      ],
      special_tokens: Object.fromEntries(specials.map((s, i) => [s, { id: s, ids: [i], tokens: [s] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'CLIPTokenizer',
    bos_token: '<|startoftext|>',
    eos_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
    pad_token: '<|endoftext|>',
    model_max_length: 77,
    do_lower_case: true,
  };
  const config = {
    _name_or_path: 'rftwin/tiny-clip',
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: EMBED_DIM,
    logit_scale_init_value: 2.6592,
    text_config: {
      model_type: 'clip_text_model',
      vocab_size: V,
      hidden_size: EMBED_DIM,
      intermediate_size: EMBED_DIM,
      num_attention_heads: 1,
      num_hidden_layers: 1,
      max_position_embeddings: 77,
      projection_dim: EMBED_DIM,
      bos_token_id: 0,
      eos_token_id: 1,
      pad_token_id: 1,
    },
    vision_config: {
      model_type: 'clip_vision_model',
      image_size: IMAGE_SIZE,
      patch_size: IMAGE_SIZE,
      hidden_size: EMBED_DIM,
      intermediate_size: EMBED_DIM,
      num_attention_heads: 1,
      num_hidden_layers: 1,
      projection_dim: EMBED_DIM,
    },
    rftwin_tiny_clip: {
      note: 'designed test model (scripts/make-tiny-clip.ts): colour/texture class detectors, not trained weights',
      classes: design.classes,
    },
  };
  const preprocessor = {
    image_processor_type: 'CLIPImageProcessor',
    feature_extractor_type: 'CLIPFeatureExtractor',
    do_resize: true,
    size: { shortest_edge: IMAGE_SIZE },
    resample: 3,
    do_center_crop: true,
    crop_size: { height: IMAGE_SIZE, width: IMAGE_SIZE },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: IMAGE_MEAN,
    image_std: IMAGE_STD,
    do_convert_rgb: true,
  };
  const json = (o: unknown) => `${JSON.stringify(o, null, 1)}\n`;
  return {
    'config.json': json(config),
    'preprocessor_config.json': json(preprocessor),
    'tokenizer.json': json(tokenizer),
    'tokenizer_config.json': json(tokenizerConfig),
    'onnx/vision_model.onnx': vision,
    'onnx/text_model.onnx': text,
    'README.md':
      '# tiny-clip (test model)\n\nGenerated by `node bin/run-ts.mjs scripts/make-tiny-clip.ts`. A CLIP-architecture model with designed\n(not trained) weights: it recognises the procedural material textures of src/engine/vision/classTextures.ts by\ncolour and texture. For tests and the offline demo only; real photos need a real CLIP model.\n',
  };
}

export function writeTinyClip(outDir: string): void {
  for (const [name, content] of Object.entries(buildTinyClipFiles())) {
    const path = join(outDir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(
    process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'models', 'tiny-clip'),
  );
  writeTinyClip(out);
  console.error(`wrote tiny CLIP test model to ${out}`);
}
