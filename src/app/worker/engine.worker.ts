/// <reference lib="webworker" />

import { gpuProviderOf, setGpuProvider } from '../../engine/gpu/index.ts';
import { computeRadioMap, makeGrid } from '../../engine/radiomap/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { buildScene, loadScene, memoryFileSource } from '../../engine/scene/index.ts';
import {
  type Bvh,
  buildBvh,
  faceExteriorSides,
  faceInsideSides,
  solidObjects,
} from '../../engine/tracer/index.ts';
import { type JobContext, WithTransfer } from './jobContext.ts';

export type { JobContext } from './jobContext.ts';

import { calibrateJob } from './jobs/calibrate.ts';
import { channelFor } from './jobs/channel.ts';
import { planJob } from './jobs/plan.ts';
import { traceJob } from './jobs/trace.ts';
import type {
  EngineRequestKind,
  EngineRequests,
  FromWorker,
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
) => Promise<ResponseOf<K> | WithTransfer<ResponseOf<K>>>;

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
    const [xmin, ymin, xmax, ymax] = req.bounds ?? [min[0], min[1], max[0], max[1]];
    const grid = makeGrid({ xmin, ymin, xmax, ymax }, req.cellSize, req.z);
    const { channel, materials } = await channelFor(scene, bvhOf(req.sceneId), req);
    const map = await computeRadioMap(
      channel,
      { tx: req.tx, grid, materials, tileSize: 4096 },
      {
        signal: ctx.signal,
        onMapProgress: (p) =>
          ctx.progress({
            fraction: p.done / p.total,
            message: `Radio map on ${p.label}: ${p.done}/${p.total} cells`,
          }),
      },
    );
    // the map's arrays move to the page (no structured clone of millions of cells)
    const transfer = [
      map.pathGainDb,
      map.coherentGainDb,
      map.rmsDelaySpreadS,
      map.kFactorDb,
      map.kFactorReference,
      map.angularSpreadDeg,
      map.los,
      map.pathCount,
    ].map((a) => a.buffer as ArrayBuffer);
    return new WithTransfer(map, transfer);
  },
  async calibrate(req, ctx) {
    return calibrateJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
  },
  async visionPriors(req, ctx) {
    // loaded on first use: transformers.js + onnxruntime-web are large and only the priors need them
    const { visionPriorsJob } = await import('./jobs/priors.ts');
    return visionPriorsJob(sceneById(req.sceneId), req, ctx);
  },
  async planRx(req, ctx) {
    return planJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
  },
  async faceSides({ sceneId }) {
    const scene = sceneById(sceneId);
    const bvh = bvhOf(sceneId);
    const exterior = faceExteriorSides(scene, bvh);
    const inside = faceInsideSides(scene, bvh, solidObjects(scene));
    return new WithTransfer({ exterior, inside }, [
      exterior.buffer as ArrayBuffer,
      inside.buffer as ArrayBuffer,
    ]);
  },
  async dropScene({ sceneId }) {
    scenes.delete(sceneId);
    bvhs.delete(sceneId);
    return null;
  },
};

const post = (msg: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

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
    const out = await handler(msg.request as EngineRequests[EngineRequestKind]['request'], ctx);
    if (out instanceof WithTransfer) post({ id: msg.id, type: 'result', result: out.value }, out.transfer);
    else post({ id: msg.id, type: 'result', result: out });
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
