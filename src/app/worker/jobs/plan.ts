import {
  calibrationScatteringObjects,
  materialsInUse,
  PARAMETER_FIELD,
  planMeasurements,
  priorAveragedRows,
  priorSamples,
  sceneForwardModel,
  type TrainableParameter,
} from '../../../engine/calibrate/index.ts';
import type { Vec3 } from '../../../engine/core/index.ts';
import type { Scene } from '../../../engine/scene/index.ts';
import type { Bvh } from '../../../engine/tracer/index.ts';
import type { JobContext } from '../jobContext.ts';
import type { EngineRequests } from '../protocol.ts';
import { channelFor } from './channel.ts';

type PlanRequest = EngineRequests['planRx']['request'];

/** Candidates stay this far (m) from the scene's outer walls and from every transmitter. */
const MARGIN = 0.4;

/** Receiver candidates: a grid over the scene's footprint at `height` above its lowest point. */
export function candidateGrid(scene: Scene, spacing: number, height: number, tx: readonly Vec3[]): Vec3[] {
  const { min, max } = scene.bbox;
  const z = min[2] + height;
  const out: Vec3[] = [];
  for (let x = min[0] + MARGIN; x <= max[0] - MARGIN + 1e-9; x += spacing)
    for (let y = min[1] + MARGIN; y <= max[1] - MARGIN + 1e-9; y += spacing)
      if (tx.every((t) => Math.hypot(t[0] - x, t[1] - y, t[2] - z) >= MARGIN)) out.push([x, y, z]);
  return out;
}

/**
 * Measurement planning in the studio, the engine's `rftwin plan` on a grid of receiver
 * positions: trace every Tx × candidate link once, rows of the Jacobian averaged over 4 draws
 * from the prior, greedy Bayesian D-optimal choice of receiver positions (a receiver's rows
 * are those of its links to every transmitter, since one sounding position records them all).
 */
export async function planJob(
  scene: Scene,
  bvh: Bvh,
  req: PlanRequest,
  ctx: JobContext,
): Promise<EngineRequests['planRx']['response']> {
  const t0 = performance.now();
  if (req.tx.length === 0) throw new Error('planning needs at least one transmitter: place a Tx first');
  if (!(req.spacing > 0)) throw new Error(`candidate spacing must be positive, got ${req.spacing} m`);
  const { channel, materials: params } = await channelFor(scene, bvh, req);
  const assigned = channel.scene;
  const candidates = candidateGrid(assigned, req.spacing, req.rxHeight, req.tx);
  if (candidates.length === 0)
    throw new Error(`no candidate receiver position: the scene is smaller than the ${req.spacing} m grid`);
  const count = Math.min(req.count, candidates.length);
  const parameters: TrainableParameter[] = materialsInUse(assigned).flatMap((owner) =>
    req.parameterNames.map((name) => ({ owner, name })),
  );
  const links = req.tx.flatMap((tx) => candidates.map((rx) => ({ tx, rx })));
  ctx.progress({ fraction: 0, message: `Planning: tracing ${links.length} candidate links…` });
  const traced = await channel.trace(
    links,
    params,
    {
      signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress({
          fraction: (0.8 * p.done) / Math.max(1, p.total),
          message: `Planning: tracing ${links.length} candidate links (${p.phase} ${p.done}/${p.total})`,
        }),
    },
    calibrationScatteringObjects(assigned, params, parameters),
  );
  ctx.progress({ fraction: 0.8, message: 'Planning: information of each candidate…' });
  await ctx.yieldToEvents();
  if (ctx.signal.aborted) throw new Error('planning cancelled');
  const paths = traced.reduce((s, l) => s + l.geometries.length, 0);
  const model = sceneForwardModel(
    channel,
    channel.backendFor({ kind: 'calibration', paths }).backend,
    traced,
    params,
    parameters,
  );
  const theta = Float64Array.from(parameters, (p) => params[p.owner]![PARAMETER_FIELD[p.name]]);
  const samples = priorSamples(parameters, theta, 4, 0.5, 1);
  let linkRows: Float64Array[];
  try {
    linkRows = await priorAveragedRows((t) => model.evaluate(t), parameters, samples, {
      metrics: ['coherent_gain_db'],
    });
  } finally {
    model.dispose();
  }
  // rows of one receiver position = its links to every transmitter stacked
  const rxRows = candidates.map((_, c) => {
    const parts = req.tx.map((_, t) => linkRows[t * candidates.length + c]!);
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  });
  const plan = planMeasurements(rxRows, parameters.length, { count, seed: 1 });
  return {
    suggestions: plan.chosen.map((c, k) => ({
      position: candidates[c]!,
      gainBits: plan.marginalGains[k]! / Math.LN2,
    })),
    candidates: candidates.length,
    parameters: parameters.length,
    informationBits: plan.informationGain / Math.LN2,
    randomInformationBits: plan.randomInformationGain / Math.LN2,
    elapsedMs: performance.now() - t0,
  };
}
