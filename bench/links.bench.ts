import { loadavg } from 'node:os';
import type { Vec3 } from '../src/engine/core/vec3.ts';
import { nodeFileSource } from '../src/engine/node/nodeFileSource.ts';
import { loadScene } from '../src/engine/scene/load.ts';
import { buildBvh } from '../src/engine/tracer/bvh.ts';
import { candidateCache } from '../src/engine/tracer/cpu/candidateSet.ts';
import { tracePathsSync } from '../src/engine/tracer/cpu/tracePaths.ts';
import { randomLinks } from '../src/engine/tracer/gpu/testSupport.ts';
import { sionnaScenePath } from '../src/test/paths.ts';

/**
 * Link jobs from one transmitter with few receivers (the CLI's one-link trace, calibration's
 * 10 receivers per Tx): the whole search, set-up included, with the transmitter's tree built
 * with beams on every level vs without beams on its last level (tracer/cpu/beamTree.ts;
 * channel.ts FEW_RECEIVERS picks the second up to 64 receivers at depth ≤ 3). Depth 3, no diffuse scattering
 * (the channel turns it off where no material scatters), candidate cache emptied before each
 * run; best of 2 interleaved runs; the two give the same paths (checked here).
 */
const CASES = [
  { name: 'demo room (29 faces)', path: 'public/demo/room.xml' },
  { name: 'street canyon (37 faces)', path: sionnaScenePath('simple_street_canyon') },
];

export default async function linksBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown>[] = [];
  const loadBefore = loadavg()[0]!;
  for (const c of CASES) {
    const scene = await loadScene(nodeFileSource, c.path);
    const bvh = buildBvh(scene);
    const { tx, rx } = randomLinks(scene, 64, 5);
    for (const n of [1, 4, 16, 64]) {
      const receivers: Vec3[] = rx.slice(0, n);
      const best = { beams: Infinity, lean: Infinity };
      const json: Record<string, string> = {};
      for (let round = 0; round < 2; round++) {
        for (const variant of ['beams', 'lean'] as const) {
          candidateCache.clear();
          const t0 = performance.now();
          const paths = tracePathsSync(scene, bvh, tx, receivers, {
            maxDepth: 3,
            scattering: false,
            lastLevelBeams: variant === 'beams',
          });
          best[variant] = Math.min(best[variant], performance.now() - t0);
          json[variant] = JSON.stringify(paths);
        }
      }
      if (json.beams !== json.lean)
        throw new Error(`${c.name}, ${n} receivers: the two trees gave different paths`);
      const row = {
        scene: c.name,
        receivers: n,
        withBeamsMs: Math.round(best.beams),
        lastLevelWithoutBeamsMs: Math.round(best.lean),
        speedup: Number((best.beams / best.lean).toFixed(2)),
      };
      rows.push(row);
      log(
        `${c.name}, ${n} receivers: ${row.withBeamsMs} ms → ${row.lastLevelWithoutBeamsMs} ms (×${row.speedup})`,
      );
    }
  }
  return {
    what: 'one transmitter, N receivers, depth 3, whole CPU search incl. set-up; tree with beams on every level vs none on its last',
    loadAverage1MinBefore: loadBefore,
    loadAverage1MinAfter: loadavg()[0],
    results: rows,
  };
}
