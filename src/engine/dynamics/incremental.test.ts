import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { channelSettings } from '../channel/settings.ts';
import type { Vec3 } from '../core/vec3.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { loadScene } from '../scene/load.ts';
import { BeamTree } from '../tracer/cpu/beamTree.ts';
import { tracerGeometry, tracerTolerances } from '../tracer/cpu/tracerGeometry.ts';
import { pathSignature } from '../tracer/path.ts';
import { humanShape } from './actors.ts';
import { actorMeshes, frameScene, staticMeshes } from './frameScene.ts';
import { type TimelineMode, type TimelineStep, timeline } from './timeline.ts';
import { parseActorsFile } from './trajectory.ts';

/**
 * The unit tier's check of the incremental update (the 200-step one is incremental.slow.test.ts):
 * a person crossing a demo-room link in 9 steps, depth 3, every specular mechanism and
 * diffraction, each step's paths equal to a full re-trace of the frame; and the beam reuse it
 * rests on (a frame's tree grown with the static tree's beams holds every node the frame's own
 * tree has).
 */
const TX: Vec3 = [-3, 0, 1.2];
const RX: Vec3 = [1, 0, 1.2];
const key = (p: TimelineStep['paths'][number]) =>
  `${pathSignature(p)}@${p.interactions.map((x) => x.point.map((c) => c.toFixed(7)).join(',')).join(';')}`;

describe('incremental update', () => {
  it('equals a full re-trace at every step of a person crossing a room link', async () => {
    const room = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const walk = parseActorsFile(
      '{"actor": "p1", "kind": "human"}\n{"t": 0, "id": "p1", "position": [-1, -2, 0]}\n{"t": 4, "id": "p1", "position": [-1, 2, 0], "yaw": 90}\n',
      'walk.jsonl',
    );
    const settings = channelSettings({ frequencyHz: 28e9 });
    const run = async (mode: TimelineMode) => {
      const steps: TimelineStep[] = [];
      await timeline(room, walk, TX, RX, { settings, mode, dt: 0.5, backend: 'cpu' }).run((s) => {
        steps.push(s);
      });
      return steps;
    };
    const inc = await run('incremental');
    const full = await run('full');
    expect(inc.length).toBe(full.length);
    expect(inc.length).toBeGreaterThanOrEqual(8);
    let viaActor = 0;
    for (let k = 0; k < inc.length; k++) {
      expect(inc[k]!.traced).toBe('incremental');
      const a = inc[k]!.paths.map(key).sort();
      const b = full[k]!.paths.map(key).sort();
      expect(a).toEqual(b);
      viaActor += inc[k]!.paths.filter((p) =>
        p.interactions.some((x) => x.objectIndex >= room.objects.length),
      ).length;
    }
    // the walk meets the body: paths off or through it are part of what is compared
    expect(viaActor).toBeGreaterThan(0);
  });

  it("a frame's tree grown with the static tree's beams holds every node of its own", async () => {
    const room = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    const meshes = staticMeshes(room);
    const actors = [{ id: 'p1', shape: humanShape(), material: { kind: 'skin' as const } }];
    const still = frameScene(room, meshes, [], [], [], 28e9).scene;
    const frame = frameScene(
      room,
      meshes,
      actors,
      actorMeshes(actors),
      [{ position: [-1, 0, 0], yaw: 0 }],
      28e9,
    );
    const gs = tracerGeometry(still);
    const gc = tracerGeometry(frame.scene);
    const { tol } = tracerTolerances(gc);
    const statik = new BeamTree(gs, TX, true, true, tracerTolerances(gs).tol);
    for (const _ of statik.grow(2, 1e6));
    const own = new BeamTree(gc, TX, true, true, tol);
    for (const _ of own.grow(2, 1e6));
    const reused = new BeamTree(gc, TX, true, true, tol);
    let copied = 0;
    const faces = (_v: number, s: number, out: number[]) => {
      // every face the static tree grew from s, then every actor face
      out.length = 0;
      for (let u = 1; u < statik.trie.size; u++)
        if (statik.trie.parent[u] === s && out[out.length - 1] !== statik.trie.face[u])
          out.push(statik.trie.face[u]!);
      for (let f = frame.staticFaces; f < gc.faceCount; f++) out.push(f);
    };
    for (const _ of reused.grow(2, 1e6, 1 << 30, { tree: statik, faces }));
    for (let v = 1; v < own.trie.size; v++) {
      let r = 0;
      for (const [f, type] of own.trie.sequence(v)) r = reused.trie.find(r, f, type);
      expect(r).toBeGreaterThan(0);
      if (own.trie.sequence(v).every(([f]) => f < frame.staticFaces)) copied++;
    }
    expect(copied).toBeGreaterThan(100);
  });
});
