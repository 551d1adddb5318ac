import { loadavg } from 'node:os';
import { scatteringObjectsOf } from '../src/engine/channel/index.ts';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import {
  actorMeshes,
  type FrameScene,
  frameScene,
  humanShape,
  IncrementalTracer,
  staticMeshes,
} from '../src/engine/dynamics/index.ts';
import { resolveSceneMaterials } from '../src/engine/materials/radioMaterial.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import type { Scene } from '../src/engine/scene/types.ts';
import { buildBvh, refitBvh } from '../src/engine/tracer/bvh.ts';
import { tracePathsSync } from '../src/engine/tracer/cpu/tracePaths.ts';
import { DEMO_ROOM_PATH } from '../src/test/paths.ts';

/**
 * Issue 14 acceptance 4: per-step time of the incremental update against a full re-trace of the
 * frame, on the demo room with a person walking across a link, depth 3, every mechanism on. Two
 * cases: the room's ITU materials (S = 0: no diffuse scattering), and S = 0.3 on every wall and
 * box (10 000 scattering rays). A step is timed whole: building the frame (scene and BVH) and
 * its path search (incremental.ts vs tracer/cpu/tracePaths.ts on the whole frame); the
 * incremental step refits the previous frame's BVH (frameScene.ts), and is also timed with the
 * BVH rebuilt, and the full re-trace builds its own. The three interleaved step by step so that
 * machine load hits them alike. Medians over the walk.
 */
const F = 28e9;
const TX: Vec3 = [-3, 0, 1.2];
const RX: Vec3 = [1, 0, 1.2];
const STEPS = 24;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function walk(base: Scene, label: string, log: (l: string) => void) {
  const meshes = staticMeshes(base);
  const actors = [{ id: 'p1', shape: humanShape(), material: { kind: 'skin' as const } }];
  const shapes = actorMeshes(actors);
  const staticFrame = frameScene(base, meshes, [], [], [], F);
  const poses = Array.from({ length: STEPS }, (_, k) => ({
    position: [-1, -2 + (4 * k) / (STEPS - 1), 0] as Vec3,
    yaw: Math.PI / 2,
  }));
  const frame = (k: number, previous?: FrameScene) =>
    frameScene(base, meshes, actors, shapes, [poses[k]!], F, previous);
  const first = frame(0);
  const materials = resolveSceneMaterials(first.scene.materials, F);
  const scattering = scatteringObjectsOf(first.scene, materials);
  const options = { maxDepth: 3 };
  const inc = new IncrementalTracer(staticFrame.scene, options, scattering);
  const t0 = performance.now();
  await inc.frame(first, TX, RX); // the static cache: traced once
  const setupMs = performance.now() - t0;
  const incMs: number[] = [];
  const rebuildMs: number[] = [];
  const fullMs: number[] = [];
  const bvhRefitMs: number[] = [];
  const bvhBuildMs: number[] = [];
  let previous = first;
  let paths = 0;
  for (let k = 0; k < STEPS; k++) {
    // fresh scenes per timing: each step builds its frame's scene and tracer geometry itself
    let t = performance.now();
    const a = frame(k, previous);
    const got = await inc.frame(a, TX, RX);
    incMs.push(performance.now() - t);
    previous = a;
    if (!got) throw new Error('incremental search fell back to a full trace');
    t = performance.now();
    const r = frame(k);
    const again = await inc.frame(r, TX, RX);
    rebuildMs.push(performance.now() - t);
    if (again?.length !== got.length) throw new Error('refit and rebuilt BVH gave different path counts');
    t = performance.now();
    refitBvh(a.bvh, r.scene.positions);
    bvhRefitMs.push(performance.now() - t);
    t = performance.now();
    buildBvh(r.scene, r.scene.objects[r.staticObjects]!.triangleOffset);
    bvhBuildMs.push(performance.now() - t);
    t = performance.now();
    const b = frame(k);
    const full = tracePathsSync(b.scene, b.bvh, TX, [RX], {
      ...options,
      scatteringObjects: scattering,
    })[0]!;
    fullMs.push(performance.now() - t);
    if (full.length !== got.length) throw new Error(`path counts differ: ${got.length} vs ${full.length}`);
    paths += full.length;
  }
  const row = {
    case: label,
    steps: STEPS,
    staticSetupMs: setupMs,
    triangles: first.scene.triangleObject.length,
    bvhRefitMedianMs: median(bvhRefitMs),
    bvhBuildMedianMs: median(bvhBuildMs),
    incrementalStepMedianMs: median(incMs),
    incrementalRebuiltBvhStepMedianMs: median(rebuildMs),
    fullStepMedianMs: median(fullMs),
    speedup: median(fullMs) / median(incMs),
    meanPathsPerStep: paths / STEPS,
    loadAverage1m: loadavg()[0],
  };
  log(
    `${label}: incremental ${row.incrementalStepMedianMs.toFixed(1)} ms/step (BVH rebuilt: ${row.incrementalRebuiltBvhStepMedianMs.toFixed(1)}; BVH refit ${row.bvhRefitMedianMs.toFixed(3)} ms vs build ${row.bvhBuildMedianMs.toFixed(3)} ms), full ${row.fullStepMedianMs.toFixed(1)} ms/step, ×${row.speedup.toFixed(2)} (load ${row.loadAverage1m.toFixed(1)})`,
  );
  return row;
}

export default async function dynamicsBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const room = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  const rough: Scene = {
    ...room,
    materials: Object.fromEntries(
      Object.entries(room.materials).map(([id, m]) => [
        id,
        m.spec.kind === 'itu' ? { ...m, spec: { ...m.spec, scatteringCoefficient: 0.3 } } : m,
      ]),
    ),
  };
  const rows = [
    await walk(room, 'demo room, ITU materials (S = 0)', log),
    await walk(rough, 'demo room, S = 0.3 everywhere', log),
  ];
  return {
    scene: 'public/demo/room.xml',
    frequencyHz: F,
    tx: TX,
    rx: RX,
    walk: 'human proxy from (-1, -2, 0) to (-1, 2, 0), crossing the LoS',
    settings: 'depth 3, LoS + specular + transmission + scattering + diffraction',
    target: 'incremental ≥ 10× faster than a full re-trace (issue 14)',
    rows,
  };
}
