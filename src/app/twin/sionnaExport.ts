import { zipSync } from 'fflate';
import type { Scene } from '../../engine/scene/index.ts';
import { exportSionnaScene } from '../../engine/scene/index.ts';
import type { StudioMaterial } from '../store.ts';

/**
 * The twin as a zip: <name>/<name>.xml + <name>/meshes/*.ply, loadable by Sionna RT and by the
 * studio. The XML and PLY files are the engine's exporter (exportSionnaScene) applied to the
 * twin as the studio shows it: every object with the material the studio assigned it
 * (per-object overrides included) and each material's current spec (manual, calibrated…).
 */
export function sionnaZip(
  scene: Scene,
  materials: Record<string, StudioMaterial>,
  objectMaterial: string[],
): Uint8Array {
  const ids = scene.objects.map((o, i) => objectMaterial[i] ?? o.materialId);
  const assigned: Scene = {
    ...scene,
    objects: scene.objects.map((o, i) => ({ ...o, materialId: ids[i]! })),
    materials: Object.fromEntries(
      [...new Set(ids)].map((id) => {
        const m = materials[id];
        return [id, { id, spec: m?.spec ?? { kind: 'unknown' }, source: m?.source ?? 'default' }];
      }),
    ),
  };
  const base = scene.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'twin';
  const files: Record<string, Uint8Array> = {};
  for (const [path, data] of exportSionnaScene(assigned, `exported by RFTwin Studio from '${scene.name}'`))
    files[`${base}/${path}`] = data;
  return zipSync(files, { level: 6 });
}
