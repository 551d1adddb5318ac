import {
  applyTranslator,
  fitTranslator,
  TRANSLATED_PARAMETERS,
  type TranslatorBackend,
  twinSamples,
} from '../../../engine/vision/index.ts';
import type { TranslatorFit, VisionRequests } from '../protocol.ts';
import type { JobContext } from '../serve.ts';

/**
 * The translator in the studio (the engine's transfer.ts on tfjs, as `rftwin translator` and
 * `rftwin priors --translator` run it): fitted on the loaded twin's vision priors (its CLIP
 * embeddings) and calibration (its identifiable calibrated values), applied to a twin's priors.
 */

/** tfjs's WebGPU backend when this worker has a WebGPU adapter, else its CPU backend, saying why. */
async function backendChoice(): Promise<{ backend: TranslatorBackend; note?: string }> {
  try {
    const adapter = await navigator.gpu?.requestAdapter();
    if (adapter) return { backend: 'webgpu' };
    return { backend: 'cpu', note: 'no WebGPU adapter in this browser' };
  } catch (e) {
    return { backend: 'cpu', note: `WebGPU unavailable (${(e as Error).message.split('\n')[0]})` };
  }
}

export async function fitTranslatorJob(
  req: VisionRequests['fitTranslator']['request'],
  ctx: JobContext,
): Promise<TranslatorFit> {
  const t0 = performance.now();
  // the calibration as `rftwin calibrate --out` writes it: value, std and identifiability per material
  const materials: Record<string, Record<string, number | boolean>> = {};
  for (const p of req.calibration) {
    if (!(TRANSLATED_PARAMETERS as readonly string[]).includes(p.name)) continue;
    materials[p.owner] ??= {};
    const m = materials[p.owner]!;
    m[p.name] = p.estimate;
    m[`${p.name}_std`] = p.std;
    m[`${p.name}_identifiable`] = p.identifiable;
  }
  const twin = twinSamples(
    req.priors as unknown as Record<string, unknown>,
    `vision priors of ${req.fittedFrom}`,
    { scope: 'material', materials },
    `calibration of ${req.fittedFrom}`,
  );
  const choice = await backendChoice();
  let backend = choice.backend;
  let backendNote = choice.note;
  let shown = 0;
  ctx.progress({
    fraction: 0,
    message: `Translator: ${twin.samples.length} samples from ${twin.used.length} objects`,
  });
  const translator = await fitTranslator(twin.samples, {
    parameters: twin.parameters,
    ...(twin.model ? { model: twin.model } : {}),
    fittedFrom: [req.fittedFrom],
    backend,
    onBackend: (b, note) => {
      backend = b;
      if (note) backendNote = backendNote ? `${backendNote}; ${note}` : note;
    },
    signal: ctx.signal,
    onEpoch: async (epoch, epochs, loss) => {
      const now = performance.now();
      if (now - shown > 100 || epoch === epochs) {
        shown = now;
        ctx.progress({
          fraction: epoch / epochs,
          message: `Translator on ${backend}: epoch ${epoch}/${epochs}, loss ${loss.toExponential(2)}`,
        });
        // let a cancel message in
        await ctx.yieldToEvents();
      }
    },
  });
  return {
    translator,
    backend,
    ...(backendNote ? { backendNote } : {}),
    used: twin.used,
    skipped: twin.skipped,
    elapsedMs: performance.now() - t0,
  };
}

export async function applyTranslatorJob(
  req: VisionRequests['applyTranslator']['request'],
  ctx: JobContext,
): Promise<VisionRequests['applyTranslator']['response']> {
  const choice = await backendChoice();
  let backend = choice.backend;
  let backendNote = choice.note;
  ctx.progress({ message: `Applying ${req.translatorName} on ${backend}…` });
  const file = await applyTranslator(req.priors, req.translator, req.translatorName, {
    backend,
    onBackend: (b, note) => {
      backend = b;
      if (note) backendNote = backendNote ? `${backendNote}; ${note}` : note;
    },
  });
  return { file, backend, ...(backendNote ? { backendNote } : {}) };
}
