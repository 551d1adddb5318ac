import type { LossKind, OptimizerKind } from '../../engine/calibrate/index.ts';
import { MAX_INTERACTIONS } from '../../engine/channel/index.ts';
import type { MaterialParameterName } from '../../engine/io/index.ts';
import { soundingErrors } from '../soundingErrors.ts';
import { reportError, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import type { CalibrationIteration, CalibrationOutcome, Progress } from '../worker/protocol.ts';
import { channelRequest } from './channelRequest.ts';
import { clearResults } from './results.ts';

export interface CalibrationSettings {
  parameterNames: MaterialParameterName[];
  loss: LossKind;
  optimizer: OptimizerKind;
  init: 'itu' | 'uniform' | 'random';
  maxIterations: number;
}

let running: { ac: AbortController; id: number } | null = null;

/**
 * Stop the running calibration and keep its best estimate so far: the worker ends the
 * optimiser at the next iteration and returns the result with stoppedBecause "stopped by user".
 */
export function stopCalibration() {
  if (running) engine().control(running.id, 'stop');
}

/** Cancel: discard the run; the twin and the previous results stay as they were. */
export function cancelCalibration() {
  running?.ac.abort();
}

/**
 * Pause the optimiser between two iterations (its state stays in the worker). The iteration
 * under way finishes first; the worker then acknowledges (a `paused` progress), and the status
 * says after which iteration it stopped (store: calibrationPausedAt).
 */
export function pauseCalibration() {
  if (!running || studio.get().calibrationRun !== 'running') return;
  engine().control(running.id, 'pause');
  studio.set({ calibrationRun: 'paused', calibrationPausedAt: null });
  setStatus({
    level: 'busy',
    message: 'Calibration pausing after the current iteration…',
    progress: studio.get().status.progress,
    cancel: cancelCalibration,
  });
}

export function resumeCalibration() {
  if (!running || studio.get().calibrationRun !== 'paused') return;
  engine().control(running.id, 'resume');
  studio.set({ calibrationRun: 'running', calibrationPausedAt: null });
  setStatus({
    level: 'busy',
    message: 'Calibration resumed…',
    progress: studio.get().status.progress,
    cancel: cancelCalibration,
  });
}

/** The worker acknowledged Pause after `iteration`: it is parked until Resume. */
function acknowledgePause(iteration: number) {
  studio.set({ calibrationPausedAt: iteration });
  setStatus({
    level: 'busy',
    message: `Calibration paused after iteration ${iteration} (Resume continues, Stop keeps the estimate so far)`,
    progress: studio.get().status.progress,
    cancel: cancelCalibration,
  });
}

/**
 * Live updates are drawn at most this often: an optimiser iteration can take a few ms, and
 * redrawing the plots, the status bar and the 3D view (software WebGL here) at every one of
 * them kept the page from painting input for hundreds of ms (measured in e2e/10).
 */
const LIVE_UPDATE_MS = 150;

/**
 * Calibrate the twin's materials against the uploaded soundings in the engine worker; the
 * iterations go to `onIterations` in batches, at most every LIVE_UPDATE_MS (live loss curve
 * and trajectories).
 */
export async function runCalibration(
  settings: CalibrationSettings,
  onIterations: (its: CalibrationIteration[]) => void,
): Promise<CalibrationOutcome | null> {
  const s = studio.get();
  if (!s.twin) return null;
  if (!s.soundings) {
    reportError('Calibration needs soundings: load a CSV or JSON file first');
    return null;
  }
  running?.ac.abort();
  const ac = new AbortController();
  // the bridge numbers requests in order: this call gets the next id (for pause/resume/stop)
  const run = { ac, id: engine().peekNextId() };
  running = run;
  studio.set({ calibrationRun: 'running', calibrationPausedAt: null });
  setStatus({ level: 'busy', message: 'Calibration: starting…', progress: 0, cancel: cancelCalibration });
  const pending: CalibrationIteration[] = [];
  /** the last iteration the worker reported */
  let lastIteration = 0;
  let latest: Progress | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (running !== run) return;
    if (pending.length) onIterations(pending.splice(0));
    // while paused the status keeps saying so (an iteration already under way may still report)
    if (latest && studio.get().calibrationRun !== 'paused')
      setStatus({
        level: 'busy',
        message: latest.message,
        progress: latest.fraction,
        cancel: cancelCalibration,
      });
    latest = null;
  };
  try {
    const outcome = await engine().call(
      'calibrate',
      {
        ...channelRequest(s),
        soundings: s.soundings.items,
        ...settings,
        priorStds: Object.fromEntries(
          Object.entries(s.materials).flatMap(([id, m]) => (m.priorStd ? [[id, m.priorStd]] : [])),
        ),
      },
      {
        signal: ac.signal,
        onProgress: (p) => {
          if (running !== run) return;
          if (p.paused) {
            // the worker is parked: every iteration it ran came before this message, so show
            // them now; an acknowledgement that arrives after Resume is stale and ignored
            flush();
            if (studio.get().calibrationRun === 'paused') acknowledgePause(lastIteration);
            return;
          }
          if (p.data) {
            pending.push(p.data as CalibrationIteration);
            lastIteration = (p.data as CalibrationIteration).iteration;
          }
          latest = p;
          timer ??= setTimeout(flush, LIVE_UPDATE_MS);
        },
      },
    );
    flush(); // the last iterations before the result
    if (running !== run) return null;
    running = null;
    studio.set({ calibrationRun: null, calibrationPausedAt: null });
    const last = outcome.lossHistory.at(-1);
    const errors = soundingErrors(outcome.comparison);
    setStatus({
      level: 'ok',
      message: `Calibration done on ${outcome.backend.label}: ${outcome.iterations} iterations (${outcome.stoppedBecause}), loss ${last?.toExponential(3) ?? '–'}${fallbackNote(outcome.backend.fallbackPaths)}`,
    });
    studio.set({
      calibrationRecord: {
        soundings: s.soundings.file,
        links: s.soundings.items.length,
        settings: { ...settings, channel: s.channelSettings, backend: outcome.backend },
        parameters: outcome.parameters,
        lossHistory: outcome.lossHistory,
        stoppedBecause: outcome.stoppedBecause,
        // median |predicted − measured| power over the soundings, nominal vs calibrated materials
        medianErrorDb: {
          metric: outcome.comparison.metric,
          before: errors.medianBefore,
          after: errors.medianAfter,
        },
      },
    });
    return outcome;
  } catch (e) {
    clearTimeout(timer);
    if (running === run) {
      running = null;
      studio.set({ calibrationRun: null, calibrationPausedAt: null });
    }
    if ((e as Error).name === 'AbortError')
      setStatus({
        level: 'info',
        message: `Calibration stopped (${(e as Error).message}); the twin is unchanged`,
      });
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

/** Paths the WGSL kernel cannot hold are evaluated on the CPU: say so. */
const fallbackNote = (paths: number) =>
  paths > 0
    ? `; ${paths} path${paths === 1 ? '' : 's'} of more than ${MAX_INTERACTIONS} interactions evaluated on the CPU`
    : '';
