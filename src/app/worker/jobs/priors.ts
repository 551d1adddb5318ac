// the one onnxruntime wasm the studio ships (transformers.js runs the asyncify build): Vite emits
// it once under assets/ and gives its URL, so it comes from the app, never a CDN
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { decodePng, InputError, isPng, type RgbaImage } from '../../../engine/core/index.ts';
import { memoryFileSource } from '../../../engine/scene/index.ts';
import {
  type ClipEmbedder,
  estimateSurfacePriors,
  loadClipEmbedder,
  loadViews,
  ModelUnavailableError,
  namePriors,
  visionPriorsFile,
} from '../../../engine/vision/index.ts';
import type { JobContext } from '../jobContext.ts';
import type { VisionPriorsOutcome, VisionRequests } from '../protocol.ts';
import { webGpuAdapterKind } from './adapter.ts';

/**
 * The vision priors in the browser: the engine's pipeline (loadViews → loadClipEmbedder →
 * estimateSurfacePriors → visionPriorsFile), the same the CLI runs, with the browser's image
 * decoder, onnxruntime-web's files from the app itself and name-based priors as the fallback.
 */

/** PNG through the engine's decoder (exact bytes, as in Node); JPEG/WebP through the browser. */
async function decodeImage(bytes: Uint8Array, path: string): Promise<RgbaImage> {
  if (isPng(bytes)) return decodePng(bytes, path);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
  } catch (e) {
    throw new InputError(path, undefined, `cannot decode image (${(e as Error).message})`);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2D canvas in this worker to decode images');
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data, width, height } = g.getImageData(0, 0, canvas.width, canvas.height);
  return { width, height, data };
}

/** A model given as a URL path served by the app (/models/tiny-clip), not a hub id. */
const isServedFolder = (model: string) => model.startsWith('/') || model.startsWith('./');

/** Transformers.js keeps its settings in one global env; reset what a previous load changed. */
async function prepareEnv(model: string) {
  const { env } = await import('@huggingface/transformers');
  // a hub id must not be looked up under the previous folder model's localModelPath
  if (!isServedFolder(model)) env.allowLocalModels = false;
  // the wasm from the app (transformers.js defaults to a CDN); its JS glue is in the bundle
  const ort = env.backends.onnx as { wasm?: { wasmPaths?: unknown } } | undefined;
  if (ort?.wasm) ort.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, self.location.href).href };
  return env;
}

/**
 * One request to learn whether the model can be had at all, so that an offline hub fails with
 * one line (and one failed request) instead of a burst from every file transformers.js asks for.
 * Returns the reason when it cannot.
 */
async function modelUnreachable(
  model: string,
  remoteHost: string,
  cacheKey: string,
): Promise<string | undefined> {
  if (isServedFolder(model)) {
    const url = `${model.replace(/\/+$/, '')}/config.json`;
    try {
      const r = await fetch(url);
      // a static server may answer any path with its index page: only a JSON config counts
      const config = r.ok ? await r.json().catch(() => undefined) : undefined;
      return config && typeof config === 'object' ? undefined : `no model folder at ${model}: no config.json`;
    } catch (e) {
      return `${url}: ${(e as Error).message}`;
    }
  }
  const url = `${remoteHost.replace(/\/+$/, '')}/${model}/resolve/main/config.json`;
  try {
    // a model downloaded before is in the browser cache (transformers.js's cache key is the URL)
    if (typeof caches !== 'undefined') {
      const cache = await caches.open(cacheKey);
      if (await cache.match(url)) return undefined;
    }
  } catch {
    // no Cache API (opaque origin): ask the hub
  }
  try {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 15_000);
    const r = await fetch(url, { method: 'HEAD', signal: ctrl.signal });
    clearTimeout(timer);
    return r.ok ? undefined : `${model} not on the hub (HTTP ${r.status})`;
  } catch {
    return 'offline? the Hugging Face hub cannot be reached and the model is not in the browser cache';
  }
}

/**
 * Where CLIP runs. 'auto': WebGPU on a hardware adapter only; a software adapter runs the same
 * graph several times slower than wasm SIMD (demo views with the tiny model, fresh worker, on
 * SwiftShader: 17–24 s on WebGPU against 2–5 s on wasm), so wasm is used there, saying why.
 */
async function chooseDevices(asked: 'auto' | 'webgpu' | 'wasm' = 'auto') {
  if (asked === 'wasm') return { devices: ['wasm'] as const, note: undefined };
  const adapter = await webGpuAdapterKind();
  if (adapter.kind === 'hardware' || (asked === 'webgpu' && adapter.kind === 'software'))
    return { devices: ['webgpu', 'wasm'] as const, note: undefined };
  return {
    devices: ['wasm'] as const,
    note:
      adapter.kind === 'none'
        ? 'no WebGPU adapter; used wasm'
        : `WebGPU adapter is software (${adapter.name}); used wasm, which is faster there`,
  };
}

const allowRemoteDownload = (model: string) => !isServedFolder(model);

/** Embedders stay loaded between runs (same model, same device). */
const loaded = new Map<string, Promise<ClipEmbedder>>();

function embedderFor(
  model: string,
  device: 'webgpu' | 'wasm',
  onProgress: (m: string, fraction?: number) => void,
) {
  const key = `${model}|${device}`;
  let e = loaded.get(key);
  if (!e) {
    e = loadClipEmbedder(model, {
      device,
      allowRemote: allowRemoteDownload(model),
      onProgress,
      // the hub model is ~600 MB on first use; the person can cancel the job meanwhile
      timeoutMs: allowRemoteDownload(model) ? 30 * 60_000 : 60_000,
    });
    loaded.set(key, e);
    e.catch(() => loaded.delete(key));
  }
  return e;
}

/** Crops are embedded in chunks so the progress bar moves and cancel is honoured between chunks. */
function withProgress(
  inner: ClipEmbedder,
  ctx: JobContext,
  report: (done: number, total: number) => void,
): ClipEmbedder {
  return {
    modelId: inner.modelId,
    device: inner.device,
    async embedImages(images, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < images.length; i += 16) {
        // wasm inference resolves in microtasks only: yield a macrotask so a cancel message gets in
        await ctx.yieldToEvents();
        if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
        out.push(...(await inner.embedImages(images.slice(i, i + 16), signal)));
        report(Math.min(i + 16, images.length), images.length);
      }
      return out;
    },
    embedTexts: (texts) => inner.embedTexts(texts),
    dispose: () => inner.dispose(),
  };
}

export async function visionPriorsJob(
  req: VisionRequests['visionPriors']['request'],
  ctx: JobContext,
): Promise<VisionPriorsOutcome> {
  const t0 = performance.now();
  const scene = req.scene;
  const source = memoryFileSource(new Map(req.files.map((f) => [f.path, f.data])));
  ctx.progress({ fraction: 0, message: `Reading ${req.transforms} and its images…` });
  // validation first: a bad transforms.json or a missing image stops here, before any model work
  const views = await loadViews(source, req.transforms, decodeImage);
  if (ctx.signal.aborted) throw new Error('cancelled');
  const options = { frequencyHz: req.frequencyHz };
  // './folder' means a folder served beside the studio (the worker's own URL is under assets/)
  const model = req.model.startsWith('./') ? `${import.meta.env.BASE_URL}${req.model.slice(2)}` : req.model;
  const env = await prepareEnv(model);
  ctx.progress({ fraction: 0.05, message: `Loading CLIP ${req.model}…` });
  let unavailable = await modelUnreachable(model, env.remoteHost, env.cacheKey);
  let embedder: ClipEmbedder | undefined;
  let webgpuFallback: string | undefined;
  if (!unavailable) {
    // a hub model's first download is the long part: its bytes move the bar up to 0.15
    const say = (message: string, fraction?: number) =>
      ctx.progress({ fraction: 0.05 + 0.1 * (fraction ?? 0), message });
    const choice = await chooseDevices(req.device);
    webgpuFallback = choice.note;
    const devices = choice.devices;
    // loading (a first hub download is hundreds of MB) cannot be interrupted, but the job can:
    // a cancel returns at once and the download goes on into the browser cache for next time
    const cancelled = new Promise<never>((_, reject) =>
      ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }),
    );
    cancelled.catch(() => {});
    for (const device of devices) {
      try {
        const e = await Promise.race([embedderFor(model, device, say), cancelled]);
        // a backend that loads but cannot run the graph shows itself on the first inference
        await Promise.race([e.embedTexts(['a photo of a wall']), cancelled]);
        embedder = e;
        break;
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        loaded.delete(`${model}|${device}`);
        const line = (e instanceof ModelUnavailableError ? e.message : String((e as Error).message ?? e))
          // the studio's notice names the model itself
          .replace(/^CLIP model '.*?' could not be loaded: /, '');
        if (device === 'webgpu') webgpuFallback = `WebGPU failed (${line.split('\n')[0]}); used wasm`;
        else unavailable = line.split('\n')[0];
      }
    }
  }
  if (!embedder) {
    const file = namePriors(scene, options);
    return {
      source: 'name',
      model: req.model,
      unavailable,
      views: views.length,
      file,
      elapsedMs: performance.now() - t0,
    };
  }
  const result = await estimateSurfacePriors(
    scene,
    views,
    withProgress(embedder, ctx, (done, total) =>
      ctx.progress({
        fraction: 0.15 + (0.8 * done) / total,
        message: `CLIP (${embedder!.device}): ${done}/${total} crops embedded`,
      }),
    ),
    {
      ...options,
      viewsFile: req.transforms,
      signal: ctx.signal,
      onProgress: (message) => ctx.progress({ message }),
    },
  );
  const file = visionPriorsFile(scene, result, options);
  return {
    source: 'vision',
    model: req.model,
    device: embedder.device,
    webgpuFallback,
    views: views.length,
    viewsUsed: result.views.filter((v) => v.status === 'ok').length,
    file,
    elapsedMs: performance.now() - t0,
  };
}
