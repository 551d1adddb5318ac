import { reportError, setStatus, studio } from '../store.ts';
import { sionnaZip } from '../twin/sionnaExport.ts';
import { twinToJson } from '../twin/twinJson.ts';
import { actorDeclarations } from './dynamics.ts';

export function download(name: string, data: Uint8Array | string, type: string) {
  const blob = new Blob([typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A scene name as a file name (letters, digits, _ . - kept). */
export const safe = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'twin';

/** The twin as Sionna RT XML + PLY meshes in a zip (loadable by Sionna and by the studio). */
export function exportSionnaZip() {
  const s = studio.get();
  if (!s.twin) return;
  try {
    const zip = sionnaZip(s.twin.scene, s.materials, s.objectMaterial);
    download(`${safe(s.twin.scene.name)}-sionna.zip`, zip, 'application/zip');
    setStatus({
      level: 'ok',
      message: `Exported ${safe(s.twin.scene.name)}-sionna.zip (${(zip.length / 1024).toFixed(1)} kB)`,
    });
  } catch (e) {
    reportError(`Export failed: ${(e as Error).message}`);
  }
}

/** The twin as JSON with provenance: inputs, material priors and their evidence, calibration settings and errors. */
export function exportTwinJson() {
  const s = studio.get();
  if (!s.twin) return;
  const json = twinToJson({
    scene: s.twin.scene,
    materials: s.materials,
    objectMaterial: s.objectMaterial,
    frequencyHz: s.frequencyHz,
    devices: s.devices,
    inputs: s.twin.inputs,
    calibration: s.calibrationRecord ?? undefined,
    translator: s.translator ?? undefined,
    errors: s.errorLog,
    actors: actorDeclarations(s.actors),
  });
  const text = JSON.stringify(json, null, 1);
  download(`${safe(s.twin.scene.name)}.twin.json`, text, 'application/json');
  setStatus({ level: 'ok', message: `Exported ${safe(s.twin.scene.name)}.twin.json` });
}
