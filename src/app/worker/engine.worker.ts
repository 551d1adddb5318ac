/// <reference lib="webworker" />

import { gpuProviderOf, setGpuProvider } from '../../engine/gpu/index.ts';
import { computeRadioMap, makeGrid } from '../../engine/radiomap/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { buildScene, loadScene, memoryFileSource } from '../../engine/scene/index.ts';
import { type Bvh, buildBvh } from '../../engine/tracer/index.ts';
import { calibrateJob } from './jobs/calibrate.ts';
import { materialOfObject, radioParametersOf } from './jobs/materials.ts';
import { planJob } from './jobs/plan.ts';
import { traceJob } from './jobs/trace.ts';
import type {
  EngineRequestKind,
  EngineRequests,
  FromWorker,
  Progress,
  RequestOf,
  ResponseOf,
  ToWorker,
} from './protocol.ts';

/**
 * The engine worker: all heavy work (loading, tracing, radio maps, calibration) runs here
 * so the page keeps handling input. It keeps loaded scenes by id so requests do not resend geometry.
 */
setGpuProvider(gpuProviderOf(navigator.gpu, 'navigator.gpu'));

const scenes = new Map<number, Scene>();
let nextSceneId = 1;

interface Job {
  abort: AbortController;
  /** stop and keep the result so far (calibration), unlike abort which discards it */
  stop: AbortController;
  paused: boolean;
  resumeWaiters: (() => void)[];
}
const jobs = new Map<number, Job>();

export interface JobContext {
  signal: AbortSignal;
  progress: (p: Progress) => void;
  /**
   * resolves immediately unless the job is paused; then it posts a `paused` progress (the
   * acknowledgement the page shows) and resolves when the job is resumed (or cancelled)
   */
  whilePaused: () => Promise<void>;
  /** aborted when the person stops the job and wants its result so far */
  stopSignal: AbortSignal;
  /** one turn of the worker's event loop, so that pause/stop/cancel messages are received */
  yieldToEvents: () => Promise<void>;
}

/** A macrotask turn through a MessageChannel (setTimeout would be clamped to 4 ms when nested). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

type Handler<K extends EngineRequestKind> = (
  request: RequestOf<K>,
  ctx: JobContext,
) => Promise<ResponseOf<K>>;

const bvhs = new Map<number, Bvh>();

const sceneById = (sceneId: number): Scene => {
  const s = scenes.get(sceneId);
  if (!s) throw new Error(`scene ${sceneId} is not loaded in the engine worker`);
  return s;
};
/** BVH built once per scene, on first use. */
const bvhOf = (sceneId: number): Bvh => {
  let b = bvhs.get(sceneId);
  if (!b) {
    b = buildBvh(sceneById(sceneId));
    bvhs.set(sceneId, b);
  }
  return b;
};

const handlers: { [K in EngineRequestKind]: Handler<K> } = {
  async loadScene({ files, entry }) {
    const source = memoryFileSource(new Map(files.map((f) => [f.path, f.data])));
    const scene = await loadScene(source, entry);
    const sceneId = nextSceneId++;
    scenes.set(sceneId, scene);
    return { sceneId, scene };
  },
  async buildTwinScene({ name, objects, materials, file }) {
    const scene = buildScene(
      name,
      objects.map((o) => ({
        name: o.name,
        materialId: o.materialId,
        vertices: o.vertices,
        indices: o.indices,
        file,
      })),
      materials,
    );
    const sceneId = nextSceneId++;
    scenes.set(sceneId, scene);
    return { sceneId, scene };
  },
  async trace(req, ctx) {
    return traceJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
  },
  async radioMap(req, ctx) {
    const scene = sceneById(req.sceneId);
    const { min, max } = scene.bbox;
    const grid = makeGrid({ xmin: min[0], ymin: min[1], xmax: max[0], ymax: max[1] }, req.cellSize, req.z);
    return computeRadioMap(scene, {
      frequencyHz: req.frequencyHz,
      tx: req.tx,
      grid,
      materials: radioParametersOf(req).params,
      field: { materialOf: materialOfObject(req) },
      trace: req.settings,
      // WebGPU when this worker gets an adapter, else the CPU reference; the status says which
      backend: 'auto',
      tileSize: 64,
      bvh: bvhOf(req.sceneId),
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress({
          fraction: p.done / p.total,
          message: `Radio map on ${p.label}: ${p.done}/${p.total} cells`,
        }),
    });
  },
  async calibrate(req, ctx) {
    return calibrateJob(sceneById(req.sceneId), req, ctx);
  },
  async visionPriors(req, ctx) {
    // loaded on first use: transformers.js + onnxruntime-web are large and only the priors need them
    const { visionPriorsJob } = await import('./jobs/priors.ts');
    return visionPriorsJob(sceneById(req.sceneId), req, ctx);
  },
  async planRx(req, ctx) {
    return planJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
  },
  async dropScene({ sceneId }) {
    scenes.delete(sceneId);
    bvhs.delete(sceneId);
    return null;
  },
};

const post = (msg: FromWorker) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg);

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if ('cancel' in msg) {
    jobs.get(msg.id)?.abort.abort();
    const job = jobs.get(msg.id);
    for (const r of job?.resumeWaiters.splice(0) ?? []) r();
    return;
  }
  if ('control' in msg) {
    const job = jobs.get(msg.id);
    if (!job) return;
    if (msg.control === 'stop') job.stop.abort();
    job.paused = msg.control === 'pause';
    if (!job.paused) for (const r of job.resumeWaiters.splice(0)) r();
    return;
  }
  const job: Job = {
    abort: new AbortController(),
    stop: new AbortController(),
    paused: false,
    resumeWaiters: [],
  };
  jobs.set(msg.id, job);
  const ctx: JobContext = {
    signal: job.abort.signal,
    progress: (progress) => post({ id: msg.id, type: 'progress', progress }),
    whilePaused: () => {
      if (!job.paused || job.abort.signal.aborted) return Promise.resolve();
      post({ id: msg.id, type: 'progress', progress: { message: 'paused', paused: true } });
      return new Promise<void>((r) => job.resumeWaiters.push(r));
    },
    stopSignal: job.stop.signal,
    yieldToEvents,
  };
  try {
    const handler = handlers[msg.kind] as Handler<EngineRequestKind>;
    const result = await handler(msg.request as EngineRequests[EngineRequestKind]['request'], ctx);
    post({ id: msg.id, type: 'result', result });
  } catch (err) {
    const error =
      err instanceof Error
        ? { name: err.name, message: err.message }
        : { name: 'Error', message: String(err) };
    if (job.abort.signal.aborted) error.name = 'AbortError';
    post({ id: msg.id, type: 'error', error });
  } finally {
    jobs.delete(msg.id);
  }
};
