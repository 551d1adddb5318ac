/**
 * Embedding arithmetic and open-vocabulary matching: cosine similarity between a surface's
 * (view- and scale-averaged) CLIP embedding and each candidate's prompt-ensemble text
 * embedding, turned into probabilities with CLIP's logit scale.
 */

/** CLIP's learned temperature: logits = 100 · cosine (exp(4.6052) in the released models). */
export const CLIP_LOGIT_SCALE = 100;

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  const out = new Float32Array(v.length);
  if (n > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

/** Weighted mean of vectors, normalised to unit length (weights default to 1). */
export function meanDirection(vs: Float32Array[], weights?: number[]): Float32Array {
  const out = new Float32Array(vs[0]?.length ?? 0);
  vs.forEach((v, k) => {
    const w = weights?.[k] ?? 1;
    for (let i = 0; i < v.length; i++) out[i]! += w * v[i]!;
  });
  return normalize(out);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? s / Math.sqrt(na * nb) : 0;
}

export function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export interface LabelScore {
  label: string;
  /** cosine similarity */
  score: number;
  probability: number;
}

/** Scores of one embedding against labelled text embeddings, best first. */
export function rankLabels(
  embedding: Float32Array,
  labels: string[],
  textEmbeddings: Float32Array[],
): LabelScore[] {
  const scores = textEmbeddings.map((t) => cosine(embedding, t));
  const probs = softmax(scores.map((s) => CLIP_LOGIT_SCALE * s));
  return labels
    .map((label, k) => ({ label, score: scores[k]!, probability: probs[k]! }))
    .sort((a, b) => b.score - a.score);
}
