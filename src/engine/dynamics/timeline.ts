import {
  type BackendChoice,
  Channel,
  type ChannelControl,
  type LinkResult,
  scatteringObjectsOf,
} from '../channel/channel.ts';
import { type ChannelSettings, traceOptionsOf } from '../channel/settings.ts';
import { wavelength } from '../core/constants.ts';
import type { Vec3 } from '../core/vec3.ts';
import { type RadioParameters, resolveSceneMaterials } from '../materials/radioMaterial.ts';
import type { MeshInput, Scene } from '../scene/types.ts';
import { castRay, lastHit } from '../tracer/cpu/rayCast.ts';
import { tracerGeometry } from '../tracer/cpu/tracerGeometry.ts';
import type { Path, PathGeometry } from '../tracer/path.ts';
import { type Pose, placeVertices, pointVelocity } from './actors.ts';
import { dopplerSpread, pathDopplerHz } from './doppler.ts';
import { actorMeshes, type FrameScene, frameScene, staticMeshes } from './frameScene.ts';
import { IncrementalTracer } from './incremental.ts';
import { type ActorsFile, motionAt, poseAt, type Track } from './trajectory.ts';

/**
 * A timeline: the channel of one link sampled every `dt` while actors (and devices) move
 * (docs/physics.md §15). Each step builds the frame's scene (the twin plus the actors at their
 * poses), finds its paths — incrementally (incremental.ts; equal to a full re-trace, which it
 * falls back to where the reference search would not be exhaustive) or by a full re-trace —
 * evaluates them through the one channel pipeline, and adds per-path Doppler (doppler.ts) and the
 * shadow loss SL(t) = 20·log10(|E_LoS, unobstructed| / |E_total(t)|).
 */
export type TimelineMode = 'incremental' | 'full';

export interface TimelineOptions {
  settings: ChannelSettings;
  backend?: BackendChoice;
  mode?: TimelineMode;
  /** step (s), default 0.05 */
  dt?: number;
  /** first step time; default the first sample of any track */
  start?: number;
  /** default: to the last sample of any track */
  duration?: number;
  /** explicit step times (s, increasing), e.g. a measured trace's; replaces start, dt and duration */
  times?: readonly number[];
  /** ITU materials outside their bands: extrapolate (as `rftwin trace --extrapolate`) */
  allowExtrapolation?: boolean;
  /**
   * radio parameters of the twin's materials by id (the studio's assignment, overrides included);
   * default: the scene's materials at the frequency. Actor materials are always resolved here.
   */
  materials?: Record<string, RadioParameters>;
}

export interface TimelinePath extends Path {
  dopplerHz: number;
}

export interface TimelineStep {
  index: number;
  t: number;
  tx: Vec3;
  rx: Vec3;
  /** how this step's paths were found: incrementally, or a full re-trace (mode full, or a fallback) */
  traced: TimelineMode;
  paths: TimelinePath[];
  link: LinkResult;
  /** 20·log10(|E_LoS, unobstructed| / |E_total|), dB (coherent gain as E_total, diffuse power added) */
  shadowLossDb: number;
  dopplerMeanHz: number;
  dopplerSpreadHz: number;
}

export interface TimelineControl extends ChannelControl {
  onStep?: (done: number, total: number) => void;
}

export interface Timeline {
  times: number[];
  /** actor-in-wall and similar notes (one line each) */
  warnings: string[];
  run(onStep: (s: TimelineStep) => void | Promise<void>, control?: TimelineControl): Promise<void>;
}

const devicePose = (track: Track | undefined, fixed: Vec3, t: number): { p: Vec3; v: Vec3 } =>
  track ? { p: poseAt(track, t).position, v: motionAt(track, t).velocity } : { p: fixed, v: [0, 0, 0] };

/** Step times start, start + dt, … up to start + duration (inclusive, to 1e-9 of a step). */
export function stepTimes(start: number, duration: number, dt: number): number[] {
  const n = Math.floor(duration / dt + 1e-9);
  return Array.from({ length: n + 1 }, (_, k) => start + k * dt);
}

export function timeline(
  base: Scene,
  actorsFile: ActorsFile,
  tx0: Vec3,
  rx0: Vec3,
  options: TimelineOptions,
  file = 'actors',
): Timeline {
  const dt = options.dt ?? 0.05;
  if (!(dt > 0)) throw new RangeError(`dt must be positive, got ${dt}`);
  const start = options.start ?? actorsFile.span[0];
  const duration = options.duration ?? actorsFile.span[1] - start;
  if (!(duration >= 0)) throw new RangeError(`duration must be ≥ 0, got ${duration}`);
  const times = options.times ? [...options.times] : stepTimes(start, duration, dt);
  const { settings } = options;
  const f = settings.frequencyHz;
  const meshes: MeshInput[] = staticMeshes(base);
  const actors = actorsFile.actors;
  const shapes = actorMeshes(actors);
  const staticFrame = frameScene(base, meshes, [], [], [], f);
  const warnings = wallWarnings(staticFrame.scene, actorsFile, shapes, file);
  const posesAt = (t: number): Pose[] => actors.map((a) => poseAt(actorsFile.tracks.get(a.id)!, t));
  return {
    times,
    warnings,
    async run(onStep, control = {}) {
      let inc: IncrementalTracer | undefined;
      let losKey = '';
      let losAmp = 0;
      let previous: FrameScene | undefined;
      for (let k = 0; k < times.length; k++) {
        control.signal?.throwIfAborted();
        const t = times[k]!;
        const poses = posesAt(t);
        const frame = frameScene(base, meshes, actors, shapes, poses, f, previous);
        previous = frame;
        const materials = {
          ...resolveSceneMaterials(frame.scene.materials, f, {
            allowExtrapolation: options.allowExtrapolation,
          }),
          ...options.materials,
        };
        const scattering = scatteringObjectsOf(frame.scene, materials);
        const gc = tracerGeometry(frame.scene, frame.bvh);
        const channel = await Channel.open(frame.scene, settings, {
          backend: options.backend ?? 'cpu',
          bvh: gc.bvh,
          jobs: ['links'],
        });
        const txs = devicePose(actorsFile.devices.tx, tx0, t);
        const rxs = devicePose(actorsFile.devices.rx, rx0, t);
        const tx = txs.p;
        const rx = rxs.p;
        let geometries: PathGeometry[] | null = null;
        let traced: TimelineMode = 'full';
        if ((options.mode ?? 'incremental') === 'incremental') {
          inc ??= new IncrementalTracer(staticFrame.scene, traceOptionsOf(settings, []), scattering);
          geometries = await inc.frame(frame, tx, rx);
          if (geometries) traced = 'incremental';
        }
        let search = { complete: true, exhaustiveDepth: settings.maxDepth } as LinkResult['search'];
        if (!geometries) {
          const [l] = await channel.trace([{ tx, rx }], materials, control, scattering);
          geometries = l!.geometries;
          search = l!.search;
        }
        const [link] = await channel.evaluate([{ tx, rx, geometries, search }], materials, control);
        const key = `${tx.join(',')}|${rx.join(',')}`;
        if (key !== losKey) {
          const length = Math.hypot(rx[0] - tx[0], rx[1] - tx[1], rx[2] - tx[2]);
          const [free] = await channel.evaluate(
            [{ tx, rx, geometries: [{ kind: 'los', interactions: [], length }], search }],
            materials,
          );
          const a = free!.paths[0]?.a;
          losAmp = a ? Math.hypot(a.re, a.im) : 0;
          losKey = key;
        }
        const lambda = wavelength(f);
        const paths: TimelinePath[] = link!.paths.map((p) => ({
          ...p,
          dopplerHz: pathDopplerHz(
            [tx, ...p.interactions.map((i) => i.point), rx],
            [
              txs.v,
              ...p.interactions.map((i) => velocityOf(frame, i.objectIndex, i.point, poses, actorsFile, t)),
              rxs.v,
            ],
            lambda,
          ),
        }));
        const power = paths.map((p) => p.a.re * p.a.re + p.a.im * p.a.im);
        const d = dopplerSpread(
          paths.map((p) => p.dopplerHz),
          power,
        );
        await onStep({
          index: k,
          t,
          tx,
          rx,
          traced,
          paths,
          link: link!,
          shadowLossDb: 20 * Math.log10(losAmp) - link!.metrics.coherentGainDb,
          dopplerMeanHz: d.mean,
          dopplerSpreadHz: d.rms,
        });
        control.onStep?.(k + 1, times.length);
      }
    },
  };
}

/** Velocity of a point on object `objectIndex` of a frame: zero on the twin, rigid motion on an actor. */
function velocityOf(
  frame: FrameScene,
  objectIndex: number,
  p: Vec3,
  poses: readonly Pose[],
  file: ActorsFile,
  t: number,
): Vec3 {
  const a = objectIndex - frame.staticObjects;
  if (a < 0) return [0, 0, 0];
  const actor = file.actors[a]!;
  return pointVelocity(poses[a]!, motionAt(file.tracks.get(actor.id)!, t), p);
}

/**
 * Actors that cut through the twin at a trajectory sample: one warning per actor (the first such
 * sample, with its line), naming the object. The run goes on (the paths are still those of the
 * geometry as given).
 */
function wallWarnings(
  scene: Scene,
  file: ActorsFile,
  shapes: ReturnType<typeof actorMeshes>,
  fileName: string,
): string[] {
  const g = tracerGeometry(scene);
  const out: string[] = [];
  file.actors.forEach((a, i) => {
    const track = file.tracks.get(a.id)!;
    const mesh = shapes[i]!;
    for (let s = 0; s < track.t.length; s++) {
      const v = placeVertices(mesh, { position: track.position[s]!, yaw: track.yaw[s]! });
      for (let q = 0; q < mesh.indices.length; q += 3) {
        for (let e = 0; e < 3; e++) {
          const i0 = 3 * mesh.indices[q + e]!;
          const i1 = 3 * mesh.indices[q + ((e + 1) % 3)]!;
          const dx = v[i1]! - v[i0]!;
          const dy = v[i1 + 1]! - v[i0 + 1]!;
          const dz = v[i1 + 2]! - v[i0 + 2]!;
          const l = Math.hypot(dx, dy, dz);
          if (!(l > 0)) continue;
          if (castRay(g, v[i0]!, v[i0 + 1]!, v[i0 + 2]!, dx / l, dy / l, dz / l, 0, l, -1, -1)) {
            const obj = scene.objects[scene.triangleObject[lastHit.triangle]!]?.name ?? '?';
            const where = track.lines ? `line ${track.lines[s]}` : `line ${file.declaredAt.get(a.id)}`;
            out.push(
              `${fileName}: ${where}: actor '${a.id}' at t = ${track.t[s]} s cuts through object '${obj}' (inside a wall?); traced as given`,
            );
            return;
          }
        }
      }
    }
  });
  return out;
}
