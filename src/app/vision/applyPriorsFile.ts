import { InputError, parseJsonText } from '../../engine/core/index.ts';
import { parseMaterialsJson } from '../../engine/io/index.ts';
import type { PriorsFile } from '../../engine/vision/index.ts';
import { clearResults } from '../actions/results.ts';
import { setStatus, studio } from '../store.ts';
import type { InputFile } from '../worker/protocol.ts';
import { materialsFromPriors } from './priorMaterials.ts';

export const isPriorsFile = (json: unknown): boolean =>
  !!json && typeof json === 'object' && (json as { format?: unknown }).format === 'rftwin-priors/1';

/**
 * A priors file dropped on the studio (written by `rftwin priors` or saved from the Vision
 * panel) is applied to the loaded twin like a run of the priors: validated first (parameters
 * by the calibration's materials-JSON reader, with lines; material ids against the twin), so a
 * bad or foreign file changes nothing.
 */
export function applyPriorsFile(f: InputFile) {
  const text = new TextDecoder().decode(f.data);
  // ranges and names checked as `rftwin calibrate --init` checks them (errors carry the line)
  parseMaterialsJson(text, f.path);
  const file = parseJsonText(text, f.path) as PriorsFile;
  if (
    typeof file.material_evidence !== 'object' ||
    typeof file.objects !== 'object' ||
    !file.material_evidence
  )
    throw new InputError(
      f.path,
      undefined,
      'a priors file needs "material_evidence" and "objects" (rftwin-priors/1)',
    );
  const s = studio.get();
  const twin = s.twin;
  if (!twin) throw new InputError(f.path, undefined, 'load the scene the priors are for first');
  const ids = Object.keys(file.materials);
  const foreign = ids.filter((id) => !Object.hasOwn(twin.scene.materials, id));
  if (foreign.length === ids.length)
    throw new InputError(
      f.path,
      `scene '${file.scene}'`,
      `none of its materials (${ids.join(', ')}) is in the loaded twin ${twin.scene.name} (${Object.keys(twin.scene.materials).join(', ')})`,
    );
  const known = {
    ...file,
    materials: Object.fromEntries(Object.entries(file.materials).filter(([id]) => !foreign.includes(id))),
  };
  const out = {
    source: file.source === 'name' ? ('name' as const) : ('vision' as const),
    model: file.model ?? 'CLIP',
    views: new Set(Object.values(file.objects).flatMap((o) => (o.views_used as string[] | undefined) ?? []))
      .size,
    file: known,
    elapsedMs: 0,
  };
  const { materials, kept, applied } = materialsFromPriors(s.materials, out);
  studio.set({ materials, visionPriors: { ...out, sceneId: twin.sceneId, loadedFrom: f.path } });
  clearResults();
  const notes = [
    kept.length ? `kept ${kept.join(', ')} (set by hand or calibrated)` : '',
    foreign.length ? `not in this twin: ${foreign.join(', ')}` : '',
  ].filter(Boolean);
  setStatus({
    level: 'ok',
    message: `Priors ${f.path} (${file.source}) applied to ${applied.length} materials${notes.length ? `; ${notes.join('; ')}` : ''}`,
  });
}
