import { priorsJsonText } from '../../engine/vision/index.ts';
import { download } from '../actions/exportTwin.ts';
import { clearResults } from '../actions/results.ts';
import { reportError, setStatus, studio } from '../store.ts';
import { vision } from '../worker/bridge.ts';
import type { InputFile, VisionPriorsOutcome } from '../worker/protocol.ts';
import { materialsFromPriors } from './priorMaterials.ts';

/**
 * Vision priors from the studio: the dropped transforms.json and images go to the engine
 * worker, which validates them, runs CLIP (or falls back to name-based priors) and returns the
 * priors file; here it becomes the twin's materials, with source, confidence and evidence.
 */

/** The last dropped views (bytes stay here, out of the store), so a run can be repeated with another model. */
let pendingViews: { files: InputFile[]; transforms: string } | null = null;

export const hasPendingViews = () => pendingViews !== null;

const MODEL_KEY = 'rftwin.visionModel';

/** The model setting survives reloads (a person who has a model folder sets it once). */
export function loadSavedVisionModel() {
  try {
    const saved = globalThis.localStorage?.getItem(MODEL_KEY);
    if (saved) studio.set({ visionModel: saved });
  } catch {
    // storage blocked: keep the default
  }
}

export function setVisionModel(model: string) {
  studio.set({ visionModel: model });
  try {
    globalThis.localStorage?.setItem(MODEL_KEY, model);
  } catch {
    // storage blocked: the setting lasts for this page only
  }
}

/** Take dropped views and run the priors on the loaded twin. */
export async function acceptViews(files: InputFile[], transforms: string) {
  pendingViews = { files, transforms };
  await runVisionPriors();
}

const pct = (x: number) => `${Math.round(100 * x)} %`;

/**
 * Run (or re-run, e.g. with another model) the priors on the last dropped views, in the vision
 * worker: its progress and Cancel are the Vision panel's own (tracing may run meanwhile in the
 * engine worker and use the status bar); the status bar says when it starts and how it ended.
 */
export async function runVisionPriors(): Promise<void> {
  const s = studio.get();
  const views = pendingViews;
  if (!views) {
    reportError('Vision priors: drop images together with their transforms.json first');
    return;
  }
  const twin = s.twin;
  if (!twin) {
    reportError(`${views.transforms}: load a scene first; the priors are computed for its surfaces`);
    return;
  }
  s.visionJob?.cancel();
  const controller = new AbortController();
  const job = { kind: 'priors' as const, cancel: () => controller.abort() };
  const model = s.visionModel.trim() || 'Xenova/clip-vit-base-patch32';
  let fraction = 0;
  studio.set({ visionJob: { ...job, message: `reading ${views.transforms}…`, progress: 0 } });
  setStatus({
    level: 'info',
    message: `Vision priors: running on ${views.transforms} (progress in the Vision panel)`,
  });
  let out: VisionPriorsOutcome;
  try {
    out = await vision().call(
      'visionPriors',
      {
        scene: twin.scene,
        files: views.files,
        transforms: views.transforms,
        model,
        frequencyHz: s.frequencyHz,
        device: s.visionDevice,
      },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (studio.get().visionJob?.cancel !== job.cancel) return;
          if (p.fraction !== undefined) fraction = p.fraction;
          studio.set({ visionJob: { ...job, message: p.message, progress: fraction } });
        },
      },
    );
  } catch (e) {
    if (studio.get().visionJob?.cancel === job.cancel) studio.set({ visionJob: null });
    if ((e as Error).name === 'AbortError' || controller.signal.aborted)
      setStatus({ level: 'info', message: 'Vision priors cancelled; materials unchanged' });
    else reportError((e as Error).message);
    return;
  }
  if (studio.get().visionJob?.cancel === job.cancel) studio.set({ visionJob: null });
  // the result was already on its way when Cancel was pressed: the person asked for no change
  if (controller.signal.aborted) {
    setStatus({ level: 'info', message: 'Vision priors cancelled; materials unchanged' });
    return;
  }
  if (studio.get().twin?.sceneId !== twin.sceneId) {
    setStatus({ level: 'info', message: 'Vision priors discarded: another twin was loaded meanwhile' });
    return;
  }
  const { materials, kept, applied } = materialsFromPriors(studio.get().materials, out);
  studio.set({ materials, visionPriors: { ...out, sceneId: twin.sceneId } });
  clearResults();
  const keptNote = kept.length ? `; kept ${kept.join(', ')} (set by hand or calibrated)` : '';
  const seconds = (out.elapsedMs / 1000).toFixed(1);
  if (out.source === 'name') {
    // the one line the person needs: the model is missing and what happens instead
    setStatus({
      level: 'info',
      message: `CLIP model ${out.model} unavailable (${out.unavailable}): using name-based priors for ${applied.length} materials${keptNote}`,
    });
    return;
  }
  const summary = applied
    .map((id) => {
      const ev = out.file.material_evidence[id]!;
      return ev.source === 'vision'
        ? `${id} → ${String(ev.label)} ${pct(Number(ev.confidence))}`
        : `${id} (name)`;
    })
    .join(', ');
  const used = out.viewsUsed ?? out.views;
  const left = out.file.views?.filter((v) => v.status !== 'ok').map((v) => v.note) ?? [];
  setStatus({
    level: 'ok',
    message: `Vision priors from ${used === out.views ? out.views : `${used} of ${out.views}`} views (CLIP ${out.model} on ${out.device}, ${seconds} s): ${summary}${keptNote}${left.length ? `; left out: ${left.join('; ')}` : ''}`,
  });
}

/** The last priors as the file `rftwin priors` writes (for `rftwin calibrate --init priors.json`). */
export function downloadPriors() {
  const s = studio.get();
  const p = s.visionPriors;
  if (!p || !s.twin || p.sceneId !== s.twin.sceneId) return;
  download('priors.json', priorsJsonText(p.file), 'application/json');
  setStatus({ level: 'ok', message: `Saved priors.json (${p.file.source} priors for ${p.file.scene})` });
}
