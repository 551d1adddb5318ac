import {
  estimateTrust,
  type LossKind,
  type OptimizerKind,
  PARAMETER_FIELD,
} from '../../engine/calibrate/index.ts';
import { MAX_INTERACTIONS } from '../../engine/channel/index.ts';
import type { MaterialParameterName } from '../../engine/io/index.ts';
import { resolveRadioParameters } from '../../engine/materials/index.ts';
import { soundingErrors } from '../soundingErrors.ts';
import { type MaterialCalibration, reportError, setStatus, studio } from '../store.ts';
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
 * first iteration goes to `onIterations` at once, the later ones in batches, at most every
 * LIVE_UPDATE_MS (live loss curve and trajectories).
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
  let firstDrawn = false;
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
          // the first report is drawn at once (a short run still shows its curve growing), the
          // later ones at most every LIVE_UPDATE_MS
          if (p.data && !firstDrawn) {
            firstDrawn = true;
            flush();
          } else timer ??= setTimeout(flush, LIVE_UPDATE_MS);
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

/** Each trained parameter of a calibration outcome: calibrated or not (why), by the engine's one rule. */
export function judgeEstimates(outcome: CalibrationOutcome, maxRelativeStd: number) {
  return outcome.parameters.map((p) => ({ ...p, trust: estimateTrust(p, maxRelativeStd) }));
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Apply a calibration to the twin: only the estimates the soundings identify, with a relative
 * uncertainty within the person's threshold, replace the material's values (source
 * "calibrated"); every other parameter keeps its prior, and the material says "not calibrated"
 * and why. Each trained material records every estimate with its uncertainty and prior
 * (StudioMaterial.calibration), which the exported twin carries.
 */
export function applyCalibration(
  outcome: CalibrationOutcome,
  maxRelativeStd = studio.get().calibrationMaxRelativeStd,
) {
  const s = studio.get();
  const judged = judgeEstimates(outcome, maxRelativeStd);
  const materials = { ...s.materials };
  const soundings = `${s.soundings?.items.length ?? 0} soundings (${s.soundings?.file ?? '?'})`;
  let applied = 0;
  const kept: string[] = [];
  for (const owner of new Set(judged.map((p) => p.owner))) {
    const m = materials[owner];
    if (!m) continue;
    const prior = resolveRadioParameters(m.spec, s.frequencyHz, { allowExtrapolation: true });
    const values = { ...prior };
    const parameters: MaterialCalibration['parameters'] = {};
    let calibrated = 0;
    const mine = judged.filter((p) => p.owner === owner);
    for (const p of mine) {
      const field = PARAMETER_FIELD[p.name];
      parameters[p.name] = {
        estimate: p.estimate,
        std: finiteOrNull(p.std),
        relative_std: finiteOrNull(p.trust.relativeStd),
        prior: prior[field],
        calibrated: p.trust.calibrated,
        ...(p.trust.reason ? { reason: p.trust.reason } : {}),
      };
      if (p.trust.calibrated) {
        values[field] = p.estimate;
        calibrated++;
      } else kept.push(`${owner} ${p.name}`);
    }
    applied += calibrated;
    const calibration: MaterialCalibration = {
      status:
        calibrated === mine.length ? 'calibrated' : calibrated > 0 ? 'partly calibrated' : 'not calibrated',
      soundings,
      max_relative_std: maxRelativeStd,
      parameters,
    };
    const summary = mine
      .map(
        (p) =>
          `${p.name} ${fmtValue(p.estimate)} ± ${fmtValue(p.std)} (${p.trust.calibrated ? 'calibrated' : 'not calibrated'})`,
      )
      .join(', ');
    materials[owner] =
      calibrated > 0
        ? {
            id: owner,
            spec: { kind: 'custom', ...values },
            source: 'calibrated',
            evidence: `calibrated from ${soundings}: ${summary}`,
            calibration,
          }
        : // nothing the soundings identify well enough: the prior stays, with the verdict
          { ...m, calibration };
  }
  // the provenance of the export says what was applied and by which rule
  const record = (s.calibrationRecord ?? {}) as Record<string, unknown>;
  studio.set({
    materials,
    calibrationRecord: {
      ...record,
      applied: {
        max_relative_std: maxRelativeStd,
        rule: 'an estimate replaces the prior only when the soundings identify it and std/|estimate| ≤ max_relative_std',
        calibrated: judged.filter((p) => p.trust.calibrated).map((p) => `${p.owner}.${p.name}`),
        not_calibrated: judged
          .filter((p) => !p.trust.calibrated)
          .map((p) => ({ parameter: `${p.owner}.${p.name}`, reason: p.trust.reason })),
      },
    },
  });
  clearResults();
  setStatus({
    level: 'ok',
    message: `Applied ${applied} calibrated estimate${applied === 1 ? '' : 's'}${kept.length ? `; not calibrated, prior kept: ${kept.join(', ')}` : ''}`,
  });
}

const fmtValue = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : '–');

/** Paths the WGSL kernel cannot hold are evaluated on the CPU: say so. */
const fallbackNote = (paths: number) =>
  paths > 0
    ? `; ${paths} path${paths === 1 ? '' : 's'} of more than ${MAX_INTERACTIONS} interactions evaluated on the CPU`
    : '';
