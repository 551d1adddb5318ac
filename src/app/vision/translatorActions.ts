import {
  type PriorsFile,
  parseTranslatorJson,
  type TranslatorJson,
  translatorJsonText,
} from '../../engine/vision/index.ts';
import { download } from '../actions/exportTwin.ts';
import { clearResults } from '../actions/results.ts';
import { type RootState, reportError, type StudioTranslator, setStatus, studio } from '../store.ts';
import { vision } from '../worker/bridge.ts';
import type { CalibrationOutcome, InputFile } from '../worker/protocol.ts';
import { materialsFromPriors } from './priorMaterials.ts';

/**
 * The translator in the studio: fit it on the loaded twin (its CLIP priors' embeddings and its
 * calibration's identifiable values), save and load it as a file (`rftwin translator` writes the
 * same format), and apply it to a twin's CLIP priors, which then say per material whether the
 * translator, the CLIP label or a name set the prior. tfjs runs in the vision worker, on WebGPU
 * when there is an adapter.
 */

const safe = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'twin';

/** The CLIP priors of the loaded twin (before any translator), when they carry embeddings. */
function clipPriorsOf(s: RootState): PriorsFile | null {
  const p = s.visionPriors;
  if (!p || !s.twin || p.sceneId !== s.twin.sceneId) return null;
  const file = p.clipFile ?? p.file;
  const hasEmbeddings = Object.values(file.objects).some((o) => Array.isArray(o.embedding));
  return file.source !== 'name' && hasEmbeddings ? file : null;
}

/** What the loaded twin's last calibration estimated (owner, parameter, estimate ± std, identifiable). */
function calibrationOf(s: RootState): CalibrationOutcome['parameters'] | null {
  const record = s.calibrationRecord as { parameters?: CalibrationOutcome['parameters'] } | null;
  return record?.parameters?.length ? record.parameters : null;
}

/** Why the translator cannot be fitted on the loaded twin now, or null when it can. */
export function fitBlocker(s: RootState): string | null {
  if (!s.twin) return 'load a twin first';
  if (!clipPriorsOf(s)) return 'needs this twin’s CLIP priors (drop its views)';
  if (!calibrationOf(s)) return 'needs a calibration of this twin';
  return null;
}

/** Why the translator cannot be applied to the loaded twin now, or null when it can. */
export function applyBlocker(s: RootState): string | null {
  if (!s.translator) return 'fit or load a translator first';
  if (!clipPriorsOf(s)) return 'needs this twin’s CLIP priors (drop its views)';
  return null;
}

/** Run one vision-worker job with the Vision panel's progress and Cancel. */
async function visionJob<T>(
  kind: 'fit' | 'apply',
  first: string,
  run: (signal: AbortSignal, progress: (message: string, fraction?: number) => void) => Promise<T>,
): Promise<T | undefined> {
  studio.get().visionJob?.cancel();
  const controller = new AbortController();
  const job = { kind, cancel: () => controller.abort() };
  const mine = () => studio.get().visionJob?.cancel === job.cancel;
  studio.set({ visionJob: { ...job, message: first, progress: 0 } });
  try {
    const out = await run(controller.signal, (message, progress) => {
      if (mine()) studio.set({ visionJob: { ...job, message, progress } });
    });
    // a result already on its way when Cancel was pressed is dropped, as the person asked
    if (controller.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    return out;
  } catch (e) {
    if ((e as Error).name === 'AbortError' || controller.signal.aborted)
      setStatus({ level: 'info', message: `Translator ${kind === 'fit' ? 'fit' : 'application'} cancelled` });
    else reportError((e as Error).message);
    return undefined;
  } finally {
    if (mine()) studio.set({ visionJob: null });
  }
}

const backendText = (t: Pick<StudioTranslator, 'backend' | 'backendNote'>) =>
  `tfjs ${t.backend ?? '?'}${t.backendNote ? ` (${t.backendNote})` : ''}`;

/** Fit the translator on the loaded twin's CLIP priors and calibration (button "Fit"). */
export async function fitTranslatorFromTwin(): Promise<void> {
  const s = studio.get();
  const blocked = fitBlocker(s);
  if (blocked) {
    reportError(`Translator: ${blocked}`);
    return;
  }
  const twin = s.twin!;
  const fit = await visionJob(
    'fit',
    'Translator: reading the priors and the calibration…',
    (signal, progress) =>
      vision().call(
        'fitTranslator',
        {
          priors: clipPriorsOf(s)!,
          calibration: calibrationOf(s)!,
          fittedFrom: `${twin.scene.name} (${twin.inputs[0] ?? 'studio'})`,
          device: s.visionDevice,
        },
        { signal, onProgress: (p) => progress(p.message, p.fraction) },
      ),
  );
  if (!fit) return;
  const translator: StudioTranslator = {
    json: fit.translator,
    name: `${safe(twin.scene.name)}-translator.json`,
    backend: fit.backend,
    ...(fit.backendNote ? { backendNote: fit.backendNote } : {}),
    used: fit.used,
    skipped: fit.skipped,
  };
  studio.set({ translator });
  setStatus({
    level: 'ok',
    message: `Translator fitted on ${fit.used.length} objects of ${twin.scene.name} (${fit.translator.parameters.join(', ')}; ${fit.translator.anchors?.length ?? 0} materials) with ${backendText(translator)}: loss ${fit.translator.finalLoss.toExponential(2)}, ${(fit.elapsedMs / 1000).toFixed(1)} s${fit.skipped.length ? `; left out: ${fit.skipped.join('; ')}` : ''}`,
  });
}

/** Save the translator as the file `rftwin priors --translator` and the studio read. */
export function downloadTranslator() {
  const t = studio.get().translator;
  if (!t) return;
  download(t.name, translatorJsonText(t.json), 'application/json');
  setStatus({ level: 'ok', message: `Saved ${t.name}` });
}

export const isTranslatorFile = (json: unknown): boolean =>
  !!json && typeof json === 'object' && (json as { format?: unknown }).format === 'rftwin-translator/1';

/** A translator file picked or dropped: checked (errors name the file and field), then held. */
export function loadTranslatorFile(f: InputFile) {
  const json: TranslatorJson = parseTranslatorJson(new TextDecoder().decode(f.data), f.path);
  studio.set({ translator: { json, name: f.path.split('/').pop()! } });
  setStatus({
    level: 'ok',
    message: `Translator ${f.path} loaded: ${json.parameters.join(', ')} from ${json.samples} samples${json.anchors ? ` of ${json.anchors.map((a) => a.label).join(', ')}` : ''}${json.fittedFrom ? ` (${json.fittedFrom.join('; ')})` : ''}`,
  });
}

/** Apply the held translator to the loaded twin's CLIP priors (button "Apply"). */
export async function applyTranslatorToTwin(): Promise<void> {
  const s = studio.get();
  const blocked = applyBlocker(s);
  if (blocked) {
    reportError(`Translator: ${blocked}`);
    return;
  }
  const twin = s.twin!;
  const translator = s.translator!;
  const clip = clipPriorsOf(s)!;
  const out = await visionJob('apply', `Applying ${translator.name}…`, (signal, progress) =>
    vision().call(
      'applyTranslator',
      {
        priors: clip,
        translator: translator.json,
        translatorName: translator.name,
        frequencyHz: s.frequencyHz,
        device: s.visionDevice,
      },
      { signal, onProgress: (p) => progress(p.message, p.fraction) },
    ),
  );
  if (!out) return;
  const now = studio.get();
  if (now.twin?.sceneId !== twin.sceneId || !now.visionPriors) {
    setStatus({ level: 'info', message: 'Translator result discarded: another twin was loaded meanwhile' });
    return;
  }
  const priors = { ...now.visionPriors, file: out.file, clipFile: clip };
  const { materials, kept } = materialsFromPriors(now.materials, priors);
  const translated = Object.keys(out.file.material_evidence).filter(
    (id) => out.file.material_evidence[id]!.source === 'translator',
  );
  const outside = Object.keys(out.file.material_evidence).filter(
    (id) => out.file.material_evidence[id]!.translator_skipped,
  );
  studio.set({
    materials,
    visionPriors: priors,
    translator: {
      ...translator,
      backend: out.backend,
      ...(out.backendNote ? { backendNote: out.backendNote } : { backendNote: undefined }),
      applied: { twin: twin.scene.name, materials: translated, outside },
    },
  });
  clearResults();
  setStatus({
    level: 'ok',
    message: `Translator ${translator.name} (${backendText({ backend: out.backend, backendNote: out.backendNote })}) set ${translator.json.parameters.join(', ')} of ${translated.length} materials: ${translated.join(', ') || 'none'}${outside.length ? `; outside what it learned (CLIP label kept): ${outside.join(', ')}` : ''}${kept.length ? `; kept ${kept.join(', ')} (set by hand or calibrated)` : ''}`,
  });
}
