import { type RgbaImage, resizeImage } from '../core/image.ts';
import { isNodeRuntime } from '../core/runtime.ts';

/**
 * CLIP image and text embeddings through @huggingface/transformers, the same code in Node
 * (onnxruntime-node) and in a Web Worker (onnxruntime-web: WebGPU when available, wasm
 * otherwise). Images come in as RgbaImage, so nothing here touches the DOM.
 */
export interface ClipEmbedder {
  readonly modelId: string;
  readonly device: string;
  /** unit-length image embeddings, one per image */
  embedImages(images: RgbaImage[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** unit-length text embeddings, one per text */
  embedTexts(texts: string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export const DEFAULT_CLIP_MODEL = 'Xenova/clip-vit-base-patch32';

export interface ClipLoadOptions {
  /** allow downloads from the Hugging Face hub (default: true for hub ids, false for local folders) */
  allowRemote?: boolean;
  /** 'cpu' (Node), 'wasm' or 'webgpu' (browser; the host decides whether it has a GPU); default cpu in Node, wasm in a browser */
  device?: 'cpu' | 'wasm' | 'webgpu';
  /** where onnxruntime-web finds its .wasm files in the browser (served by the app, never a CDN) */
  wasmPaths?: string;
  /** images per inference call */
  batchSize?: number;
  /** give up loading after this many milliseconds (an unreachable hub can hang), default 60 000 */
  timeoutMs?: number;
  /** messages while loading; with `fraction` while model files are fetched (bytes so far / known total) */
  onProgress?: (message: string, fraction?: number) => void;
  /** per model file fetched: its name and bytes so far of its total (transformers.js progress_callback) */
  onFile?: (file: string, loaded: number, total: number) => void;
}

/** What transformers.js reports to a progress_callback (the fields used here). */
interface LoadProgress {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

const size = (bytes: number) =>
  bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** The model could not be loaded (offline, missing files, …); `message` is one line. */
export class ModelUnavailableError extends Error {
  override name = 'ModelUnavailableError';
}

/** A model given as a folder: absolute or ./relative path, or a URL path ending in a folder. */
function isFolderPath(model: string): boolean {
  return (
    model.startsWith('/') ||
    model.startsWith('./') ||
    model.startsWith('../') ||
    /^[A-Za-z]:[\\/]/.test(model) ||
    model.includes('\\')
  );
}

const firstLine = (e: unknown): string =>
  String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .slice(0, 300);

/**
 * Load CLIP's text and vision towers with their tokenizer and image processor.
 * `model` is a hub id (default Xenova/clip-vit-base-patch32) or a local model folder
 * (Node: a file-system path; browser: a URL path such as /models/tiny-clip). Throws
 * ModelUnavailableError with a one-line reason when anything is missing.
 */
export async function loadClipEmbedder(
  model = DEFAULT_CLIP_MODEL,
  options: ClipLoadOptions = {},
): Promise<ClipEmbedder> {
  const tf = await import('@huggingface/transformers');
  const { env } = tf;
  let id = model;
  const folder = isFolderPath(model);
  if (folder) {
    const path = model.replace(/\\/g, '/').replace(/\/+$/, '');
    const cut = path.lastIndexOf('/');
    env.localModelPath = `${path.slice(0, cut)}/`;
    id = path.slice(cut + 1);
    env.allowLocalModels = true;
  }
  env.allowRemoteModels = options.allowRemote ?? !folder;
  if (options.wasmPaths && env.backends?.onnx?.wasm) env.backends.onnx.wasm.wasmPaths = options.wasmPaths;
  const device = options.device ?? (isNodeRuntime() ? 'cpu' : 'wasm');
  // bytes per model file as transformers.js fetches them (a hub model is ~600 MB on first use):
  // summed over the files begun so far, reported at most every 250 ms and at the end of each
  const files = new Map<string, { loaded: number; total: number }>();
  let shown = 0;
  const progress_callback = (p: LoadProgress) => {
    if (p.status !== 'progress' || !p.file || !(p.total! > 0)) return;
    files.set(p.file, { loaded: p.loaded ?? 0, total: p.total! });
    options.onFile?.(p.file, p.loaded ?? 0, p.total!);
    const loaded = [...files.values()].reduce((s, f) => s + f.loaded, 0);
    const total = [...files.values()].reduce((s, f) => s + f.total, 0);
    const now = Date.now();
    if (now - shown < 250 && p.loaded !== p.total) return;
    shown = now;
    options.onProgress?.(
      `fetching CLIP ${model}: ${size(loaded)} of ${size(total)} (${files.size} files)`,
      loaded / total,
    );
  };
  const load = async () => {
    options.onProgress?.(`loading CLIP ${model} (${device})`);
    const common = { dtype: 'fp32' as const, device, progress_callback };
    const [tokenizer, processor, textModel, visionModel] = await Promise.all([
      tf.AutoTokenizer.from_pretrained(id, { progress_callback }),
      tf.AutoProcessor.from_pretrained(id, { progress_callback }),
      tf.CLIPTextModelWithProjection.from_pretrained(id, common),
      tf.CLIPVisionModelWithProjection.from_pretrained(id, common),
    ]);
    return { tokenizer, processor, textModel, visionModel };
  };
  let parts: Awaited<ReturnType<typeof load>>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    parts = await Promise.race([
      load(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${(options.timeoutMs ?? 60_000) / 1000} s`)),
          options.timeoutMs ?? 60_000,
        );
      }),
    ]);
  } catch (e) {
    throw new ModelUnavailableError(`CLIP model '${model}' could not be loaded: ${firstLine(e)}`);
  } finally {
    clearTimeout(timer);
  }
  const { tokenizer, processor, textModel, visionModel } = parts;
  const batchSize = options.batchSize ?? 16;
  // the processor's square input size (CLIP: resize shortest edge, then centre crop)
  const ip = ((processor as unknown as { image_processor?: Record<string, unknown> }).image_processor ??
    processor) as Record<string, unknown>;
  const sizeOf = (v: unknown): number | undefined =>
    typeof v === 'number'
      ? v
      : v && typeof v === 'object'
        ? ((v as Record<string, number>).height ?? (v as Record<string, number>).shortest_edge)
        : undefined;
  const inputSize = sizeOf(ip.crop_size) ?? sizeOf(ip.size) ?? 224;
  const unit = (t: { data: unknown; dims: number[] }): Float32Array[] => {
    const data = t.data as Float32Array;
    const [n, d] = t.dims as [number, number];
    const out: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      const v = Float32Array.from(data.subarray(i * d, (i + 1) * d));
      let s = 0;
      for (const x of v) s += x * x;
      const norm = Math.sqrt(s) || 1;
      for (let k = 0; k < d; k++) v[k]! /= norm;
      out.push(v);
    }
    return out;
  };
  return {
    modelId: model,
    device,
    async embedImages(images, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < images.length; i += batchSize) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        const batch = images.slice(i, i + batchSize).map((im) => {
          // square crops become exactly the input size here, so the processor leaves them alone
          const r = im.width === im.height ? resizeImage(im, inputSize, inputSize) : im;
          const data =
            r.data instanceof Uint8ClampedArray
              ? r.data
              : new Uint8ClampedArray(r.data.buffer, r.data.byteOffset, r.data.byteLength);
          return new tf.RawImage(data, r.width, r.height, 4);
        });
        const inputs = await processor(batch);
        const { image_embeds } = await visionModel({ pixel_values: inputs.pixel_values });
        out.push(...unit(image_embeds));
      }
      return out;
    },
    async embedTexts(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += 64) {
        const inputs = tokenizer(texts.slice(i, i + 64), { padding: true, truncation: true });
        const { text_embeds } = await textModel(inputs);
        out.push(...unit(text_embeds));
      }
      return out;
    },
    async dispose() {
      await Promise.all([textModel.dispose(), visionModel.dispose()]);
    },
  };
}
