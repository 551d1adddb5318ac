import { describe, expect, it } from 'vitest';
import { InputError } from '../../engine/core/index.ts';
import { nodeFileSource } from '../../engine/node/index.ts';
import { loadScene } from '../../engine/scene/index.ts';
import { DEMO_ROOM_PATH } from '../../test/paths.ts';
import type { MaterialCalibration, StudioMaterial } from '../store.ts';
import { parseTwinJson, twinToJson } from './twinJson.ts';

/** The exported twin records each material's calibration verdict with its uncertainty, and reads it back. */
const verdict: MaterialCalibration = {
  status: 'not calibrated',
  soundings: '50 soundings (soundings.csv)',
  max_relative_std: 0.2,
  parameters: {
    conductivity: {
      estimate: 0.63,
      std: 0.31,
      relative_std: 0.31 / 0.63,
      prior: 0.626,
      calibrated: false,
      reason: 'not identifiable from these soundings',
    },
  },
};

async function exported() {
  const scene = await loadScene(nodeFileSource, DEMO_ROOM_PATH);
  const materials: Record<string, StudioMaterial> = Object.fromEntries(
    Object.entries(scene.materials).map(([id, m]) => [id, { ...m }]),
  );
  materials.itu_concrete = { ...materials.itu_concrete!, calibration: verdict };
  const twin = twinToJson({
    scene,
    materials,
    objectMaterial: scene.objects.map((o) => o.materialId),
    frequencyHz: 28e9,
    devices: [],
    inputs: ['demo/room.xml'],
    errors: [],
  });
  return JSON.parse(JSON.stringify(twin));
}

describe('twin JSON: calibration verdicts', () => {
  it('round-trips a material kept at its prior with its uncertainty', async () => {
    const json = await exported();
    expect(json.materials.itu_concrete.calibration).toEqual(verdict);
    expect(json.materials.itu_concrete.spec).toMatchObject({ kind: 'itu', ituName: 'concrete' });
    expect(parseTwinJson(json, 'room.twin.json').materials.itu_concrete!.calibration).toEqual(verdict);
  });

  it('refuses a malformed verdict, naming the element', async () => {
    const bad = await exported();
    bad.materials.itu_concrete.calibration.parameters.conductivity.std = 'large';
    expect(() => parseTwinJson(bad, 'room.twin.json')).toThrow(InputError);
    expect(() => parseTwinJson(bad, 'room.twin.json')).toThrow(
      'materials.itu_concrete.calibration.parameters.conductivity.std',
    );
    const status = await exported();
    status.materials.itu_concrete.calibration.status = 'calibrated, confidence 100 %';
    expect(() => parseTwinJson(status, 'room.twin.json')).toThrow(/calibration\.status.*expected one of/);
  });
});
