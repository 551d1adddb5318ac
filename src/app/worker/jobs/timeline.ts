import { channelSettings } from '../../../engine/channel/index.ts';
import {
  type ActorMaterial,
  actorMaterialFromName,
  fitBlocker,
  parseActorsFile,
  poseAt,
  stepJson,
  timeline,
} from '../../../engine/dynamics/index.ts';
import type { Scene } from '../../../engine/scene/index.ts';
import type { JobContext } from '../jobContext.ts';
import type { EngineRequests, TimelineSummary } from '../protocol.ts';
import { radioParametersOf } from './materials.ts';

type TimelineRequest = EngineRequests['timeline']['request'];

/**
 * The studio's timeline: the engine's (the CLI's `rftwin timeline`) on the twin with the studio's
 * material assignment; progress per step, cancellable between steps.
 */
export async function timelineJob(
  scene: Scene,
  req: TimelineRequest,
  ctx: JobContext,
): Promise<EngineRequests['timeline']['response']> {
  const t0 = performance.now();
  const assigned = withAssignment(scene, req);
  const { params } = radioParametersOf(req);
  const file = parseActorsFile(req.actors, 'actors.jsonl');
  const settings = channelSettings({ ...req.channel, frequencyHz: req.frequencyHz });
  const tl = timeline(
    assigned,
    file,
    req.tx,
    req.rx,
    {
      settings,
      backend: req.backend,
      dt: req.dt,
      ...(req.times ? { times: req.times } : {}),
      materials: params,
      allowExtrapolation: true,
    },
    'actors.jsonl',
  );
  const steps: TimelineSummary[] = [];
  const lines: string[] = [];
  let incremental = 0;
  await tl.run(
    (s) => {
      if (s.traced === 'incremental') incremental++;
      const m = s.link.metrics;
      steps.push({
        t: s.t,
        pathGainDb: m.pathGainDb,
        coherentGainDb: m.coherentGainDb,
        shadowLossDb: s.shadowLossDb,
        rmsDelaySpreadNs: m.rmsDelaySpreadS * 1e9,
        kFactorDb: m.kFactorDb,
        dopplerSpreadHz: s.dopplerSpreadHz,
        pathCount: m.pathCount,
        los: m.los,
        poses: file.actors.map((a) => {
          const p = poseAt(file.tracks.get(a.id)!, s.t);
          return { id: a.id, position: p.position, yaw: p.yaw };
        }),
      });
      lines.push(JSON.stringify(stepJson(s, assigned)));
    },
    {
      signal: ctx.signal,
      onStep: (done, total) =>
        ctx.progress({ fraction: done / total, message: `Timeline: step ${done}/${total}` }),
    },
  );
  return {
    steps,
    lines: `${lines.join('\n')}\n`,
    warnings: tl.warnings,
    incremental,
    elapsedMs: performance.now() - t0,
  };
}

/** The twin with the studio's material assignment. */
function withAssignment(scene: Scene, req: { objectMaterial: readonly (string | undefined)[] }): Scene {
  return {
    ...scene,
    objects: scene.objects.map((o, i) => ({ ...o, materialId: req.objectMaterial[i] ?? o.materialId })),
  };
}

/** The studio's blocker fit: the engine's (`rftwin timeline --fit`) with the studio's assignment. */
export async function fitBlockerJob(
  scene: Scene,
  req: EngineRequests['fitBlocker']['request'],
  ctx: JobContext,
): Promise<EngineRequests['fitBlocker']['response']> {
  const { params } = radioParametersOf(req);
  const file = parseActorsFile(req.actors, 'actors.jsonl');
  const settings = channelSettings({ ...req.channel, frequencyHz: req.frequencyHz });
  const materials = req.candidates.map((name) => {
    const m = actorMaterialFromName(name);
    if (!m) throw new RangeError(`'${name}' is not skin, absorber or an ITU material`);
    return m;
  }) as ActorMaterial[];
  return fitBlocker(
    withAssignment(scene, req),
    file,
    req.tx,
    req.rx,
    { t: req.trace.t, gainDb: req.trace.gainDb, column: 'path_gain_db', file: req.trace.file },
    {
      actorId: req.actorId,
      materials,
      noiseDb: req.noiseDb,
      timeline: { settings, backend: req.backend, materials: params, allowExtrapolation: true },
    },
    {
      signal: ctx.signal,
      onProgress: (done, total) =>
        ctx.progress({
          fraction: Math.min(1, done / total),
          message: `Fit: timeline ${done} (at most ${total})`,
        }),
    },
  );
}
