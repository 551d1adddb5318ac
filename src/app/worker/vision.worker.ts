/// <reference lib="webworker" />

import { gpuProviderOf, setGpuProvider } from '../../engine/gpu/index.ts';
import type { VisionRequests } from './protocol.ts';
import { serveJobs } from './serve.ts';

/**
 * The vision worker: CLIP priors (transformers.js + onnxruntime-web) and the translator (tfjs),
 * apart from the engine worker so that tracing runs while priors compute and either can be
 * cancelled alone. Both libraries are large and loaded on first use.
 */
setGpuProvider(gpuProviderOf(navigator.gpu, 'navigator.gpu'));

serveJobs<VisionRequests>({
  async visionPriors(req, ctx) {
    const { visionPriorsJob } = await import('./jobs/priors.ts');
    return visionPriorsJob(req, ctx);
  },
  async fitTranslator(req, ctx) {
    const { fitTranslatorJob } = await import('./jobs/translator.ts');
    return fitTranslatorJob(req, ctx);
  },
  async applyTranslator(req, ctx) {
    const { applyTranslatorJob } = await import('./jobs/translator.ts');
    return applyTranslatorJob(req, ctx);
  },
});
