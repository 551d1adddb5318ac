import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import { nodeFileSource } from '../node/nodeFileSource.ts';
import { exportSionnaScene } from './exportSionna.ts';
import { loadScene } from './load.ts';
import type { Scene } from './types.ts';

const sortedTriangles = (s: Scene) => {
  const tris: string[] = [];
  for (let t = 0; t < s.triangleObject.length; t++) {
    const v = [0, 1, 2].map((k) =>
      Array.from(s.positions.subarray(9 * t + 3 * k, 9 * t + 3 * k + 3))
        .map((x) => x.toFixed(4))
        .join(','),
    );
    tris.push(`${s.objects[s.triangleObject[t]!]!.name}:${v.join('|')}`);
  }
  return tris.sort();
};

describe('export', () => {
  it('Sionna XML + PLY re-imports with the same materials and geometry (calibrated custom materials too)', async () => {
    const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
    scene.materials.itu_brick = {
      id: 'itu_brick',
      source: 'calibrated',
      spec: {
        kind: 'custom',
        relativePermittivity: 3.7,
        conductivity: 0.05125,
        scatteringCoefficient: 0.31,
        xpdCoefficient: 0,
        thickness: 0.1,
      },
    };
    const files = exportSionnaScene(scene);
    const dir = mkdtempSync(join(tmpdir(), 'rftwin-export-'));
    for (const [p, data] of files) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), data);
    }
    const back = await loadScene(nodeFileSource, join(dir, 'room.xml'));
    for (const [id, m] of Object.entries(scene.materials)) expect(back.materials[id]!.spec).toEqual(m.spec);
    expect(back.objects.map((o) => [o.name, o.materialId])).toEqual(
      scene.objects.map((o) => [o.name, o.materialId]),
    );
    expect(sortedTriangles(back)).toEqual(sortedTriangles(scene));
    expect(back.faces.length).toBe(scene.faces.length);
  });
});
