import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_ROOM_PATH, sionnaScenePath } from '../../test/paths.ts';
import { exportSionnaScene } from './exportSionna.ts';
import { loadScene } from './load.ts';
import { nodeFileSource } from './nodeFileSource.ts';
import { twinFromJson, twinToJson } from './twin.ts';
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

  it('twin JSON round trip keeps materials, sources and provenance', async () => {
    const scene = await loadScene(nodeFileSource, sionnaScenePath('simple_street_canyon'));
    const json = JSON.stringify(twinToJson(scene, { calibration: { loss: 'nae' } }));
    const { scene: back, provenance } = twinFromJson(json, 'twin.json');
    expect(back.materials).toEqual(scene.materials);
    expect(provenance.calibration).toEqual({ loss: 'nae' });
    expect(sortedTriangles(back)).toEqual(sortedTriangles(scene));
  });

  it('a twin file with the wrong format is rejected with the field named', () => {
    expect(() => twinFromJson('{"format":"x"}', 'bad.json')).toThrow(
      /bad\.json: format: expected "rftwin-twin"/,
    );
    expect(() => twinFromJson('{', 'cut.json')).toThrow(/cut\.json: JSON: is not valid JSON/);
  });
});
