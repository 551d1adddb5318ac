/// <reference lib="webworker" />

import { soundingPositionWarnings } from '../../engine/calibrate/index.ts';
import { gpuProviderOf, setGpuProvider } from '../../engine/gpu/index.ts';
import type { Scene } from '../../engine/scene/index.ts';
import { buildScene, loadScene, memoryFileSource } from '../../engine/scene/index.ts';
import {
  type Bvh,
  buildBvh,
  faceExteriorSides,
  faceInsideSides,
  solidObjects,
} from '../../engine/tracer/index.ts';
import { WithTransfer } from './jobContext.ts';
import { beamLinkJob } from './jobs/beams.ts';
import { radioMapEstimateJob, radioMapJob } from './jobs/radioMap.ts';

export type { JobContext } from './jobContext.ts';

import { calibrateJob } from './jobs/calibrate.ts';
import { planJob } from './jobs/plan.ts';
import { fitBlockerJob, timelineJob } from './jobs/timeline.ts';
import { traceJob } from './jobs/trace.ts';
import type { EngineRequests } from './protocol.ts';
import { type Handlers, serveJobs } from './serve.ts';

/**
 * The engine worker: the heavy engine work (loading, tracing, radio maps, calibration, planning)
 * runs here so the page keeps handling input; CLIP and the translator have a worker of their own
 * (vision.worker.ts), so that tracing goes on while priors compute. It keeps loaded scenes by id
 * so requests do not resend geometry.
 */
setGpuProvider(gpuProviderOf(navigator.gpu, 'navigator.gpu'));

const scenes = new Map<number, Scene>();
let nextSceneId = 1;

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

const handlers: Handlers<EngineRequests> = {
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
    return radioMapJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
  },
  async beamLink(req, ctx) {
    return beamLinkJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
  },
  async radioMapEstimate(req, ctx) {
    return radioMapEstimateJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
  },
  async checkSoundings(req) {
    return soundingPositionWarnings(sceneById(req.sceneId), bvhOf(req.sceneId), req.soundings).map(
      (w) => w.message,
    );
  },
  async calibrate(req, ctx) {
    return calibrateJob(sceneById(req.sceneId), bvhOf(req.sceneId), req, ctx);
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
  async timeline(req, ctx) {
    return timelineJob(sceneById(req.sceneId), req, ctx);
  },
  async fitBlocker(req, ctx) {
    return fitBlockerJob(sceneById(req.sceneId), req, ctx);
  },
  async dropScene({ sceneId }) {
    scenes.delete(sceneId);
    bvhs.delete(sceneId);
    return null;
  },
};

serveJobs(handlers);
