import type { LossKind } from '../../engine/calibrate/losses.ts';
import type { OptimizerKind } from '../../engine/calibrate/optimizers.ts';
import type { MaterialParameterName } from '../../engine/io/materialsJson.ts';
import { reportError, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import type { CalibrationIteration, CalibrationOutcome } from '../worker/protocol.ts';
import { clearResults } from './results.ts';

export interface CalibrationSettings {
  parameterNames: MaterialParameterName[];
  loss: LossKind;
  optimizer: OptimizerKind;
  init: 'itu' | 'uniform' | 'random';
  maxIterations: number;
  maxDepth: number;
}

let running: AbortController | null = null;

/** Stop the running calibration (takes effect between phases: the optimiser runs in one worker task). */
export function stopCalibration() {
  running?.abort();
}

/**
 * Calibrate the twin's materials against the uploaded soundings in the engine worker; every
 * iteration goes to `onIteration` (live loss curve and trajectories).
 */
export async function runCalibration(
  settings: CalibrationSettings,
  onIteration: (it: CalibrationIteration) => void,
): Promise<CalibrationOutcome | null> {
  const s = studio.get();
  if (!s.twin) return null;
  if (!s.soundings) {
    reportError('Calibration needs soundings: load a CSV or JSON file first');
    return null;
  }
  running?.abort();
  const ac = new AbortController();
  running = ac;
  setStatus({ level: 'busy', message: 'Calibration: starting…', progress: 0, cancel: () => ac.abort() });
  try {
    const outcome = await engine().call(
      'calibrate',
      {
        sceneId: s.twin.sceneId,
        frequencyHz: s.frequencyHz,
        materials: Object.fromEntries(Object.entries(s.materials).map(([id, m]) => [id, m.spec])),
        objectMaterial: s.objectMaterial,
        soundings: s.soundings.items,
        ...settings,
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          if (running !== ac) return;
          if (p.data) onIteration(p.data as CalibrationIteration);
          setStatus({ level: 'busy', message: p.message, progress: p.fraction, cancel: () => ac.abort() });
        },
      },
    );
    if (running !== ac) return null;
    running = null;
    const last = outcome.lossHistory.at(-1);
    setStatus({
      level: 'ok',
      message: `Calibration done: ${outcome.iterations} iterations (${outcome.stoppedBecause}), loss ${last?.toExponential(3) ?? '–'}`,
    });
    studio.set({
      calibrationRecord: {
        soundings: s.soundings.file,
        links: s.soundings.items.length,
        settings,
        parameters: outcome.parameters,
        lossHistory: outcome.lossHistory,
        stoppedBecause: outcome.stoppedBecause,
      },
    });
    return outcome;
  } catch (e) {
    if (running === ac) running = null;
    if ((e as Error).name === 'AbortError') setStatus({ level: 'info', message: 'Calibration stopped' });
    else reportError(`Calibration failed: ${(e as Error).message}`);
    return null;
  }
}

/** Replace the trained materials of the twin by their calibrated values (source: calibrated). */
export function applyCalibration(outcome: CalibrationOutcome) {
  const s = studio.get();
  const owners = new Set(outcome.parameters.map((p) => p.owner));
  const materials = { ...s.materials };
  for (const id of owners) {
    const p = outcome.calibrated[id];
    if (!p || !materials[id]) continue;
    materials[id] = {
      id,
      spec: { kind: 'custom', ...p },
      source: 'calibrated',
      confidence: 1,
      evidence: `calibrated from ${s.soundings?.items.length ?? 0} soundings (${s.soundings?.file ?? '?'})`,
    };
  }
  studio.set({ materials });
  clearResults();
  setStatus({ level: 'ok', message: `Applied calibrated values to ${owners.size} materials` });
}
