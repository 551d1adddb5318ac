import {
  applyTranslator,
  fitTranslator,
  TRANSLATED_PARAMETERS,
  type TranslatorBackend,
  twinSamples,
} from '../../../engine/vision/index.ts';
import type { JobContext } from '../jobContext.ts';
import type { TranslatorFit, VisionRequests } from '../protocol.ts';
import { webGpuAdapterKind } from './adapter.ts';

/**
 * The translator in the studio (the engine's transfer.ts on tfjs, as `rftwin translator` and
 * `rftwin priors --translator` run it): fitted on the loaded twin's vision priors (its CLIP
 * embeddings) and calibration (its identifiable calibrated values), applied to a twin's priors.
 */

/**
 * Where tfjs runs the translator, by the studio's device setting (the same as CLIP's): 'auto' is
 * its WebGPU backend on a hardware adapter and its CPU backend otherwise, saying why; on a
 * software adapter (SwiftShader) the CPU is the faster (the demo fit, 800 epochs: tens of
 * seconds on CPU, minutes on SwiftShader WebGPU). 'webgpu' uses any adapter; 'wasm' the CPU.
 */
async function backendChoice(
  asked: 'auto' | 'webgpu' | 'wasm' = 'auto',
): Promise<{ backend: TranslatorBackend; note?: string }> {
  if (asked === 'wasm') return { backend: 'cpu', note: 'CPU chosen' };
  const adapter = await webGpuAdapterKind();
  if (adapter.kind === 'hardware' || (asked === 'webgpu' && adapter.kind === 'software'))
    return { backend: 'webgpu' };
  return {
    backend: 'cpu',
    note:
      adapter.kind === 'none'
        ? 'no WebGPU adapter'
        : `WebGPU adapter is software (${adapter.name}); the CPU is faster there`,
  };
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
  const choice = await backendChoice(req.device);
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
  const choice = await backendChoice(req.device);
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
