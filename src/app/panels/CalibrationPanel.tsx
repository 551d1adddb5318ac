import { useEffect, useState } from 'react';
import type { LossKind, OptimizerKind } from '../../engine/calibrate/index.ts';
import type { MaterialParameterName } from '../../engine/io/index.ts';
import {
  applyCalibration,
  type CalibrationSettings,
  judgeEstimates,
  pauseCalibration,
  resumeCalibration,
  runCalibration,
  stopCalibration,
} from '../actions/calibrate.ts';
import { openBrowserFiles } from '../actions/loadInputs.ts';
import { soundingErrors } from '../soundingErrors.ts';
import { studio, useStudio } from '../store.ts';
import { between, integerBetween } from '../validation.ts';
import { engine } from '../worker/bridge.ts';
import type { CalibrationIteration, CalibrationOutcome } from '../worker/protocol.ts';
import { LossCurve, TRAJECTORY_COLORS, Trajectories } from './livePlots.tsx';
import { NumberField } from './NumberField.tsx';
import { ErrorCdf, PowerScatter } from './plots.tsx';

const PARAMS: { id: MaterialParameterName; label: string; unit: string }[] = [
  { id: 'conductivity', label: 'σ', unit: 'S/m' },
  { id: 'relative_permittivity', label: 'εr', unit: '' },
  { id: 'scattering_coefficient', label: 'S', unit: '' },
];

/** Before/after error against the soundings: scatter of measured vs predicted power and CDF of |error|. */
function SoundingErrorPlots({ outcome }: { outcome: CalibrationOutcome }) {
  const c = outcome.comparison;
  const e = soundingErrors(c);
  const unit = c.metric === 'path_gain_db' ? 'path gain (dB)' : 'coherent gain (dB)';
  return (
    <div className="error-plots" data-testid="sounding-errors">
      <h3>Error against the soundings</h3>
      <p className="dim small" data-testid="median-errors">
        median |error|: {fmt(e.medianBefore)} dB before → {fmt(e.medianAfter)} dB after ({e.before.length}{' '}
        soundings{e.left ? `, ${e.left} left out` : ''}
        {c.powerScaleDb !== undefined
          ? `; after includes the fitted power scale ${c.powerScaleDb.toFixed(2)} dB`
          : ''}
        )
      </p>
      <PowerScatter before={e.before} after={e.after} unit={unit} />
      <ErrorCdf
        before={e.absBefore}
        after={e.absAfter}
        medianBefore={e.medianBefore}
        medianAfter={e.medianAfter}
      />
    </div>
  );
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '–');

/**
 * Calibration: load soundings, choose trainable parameters, loss, optimiser and initialisation,
 * run in the engine worker with a live loss curve; final estimates ± std (Gauss–Newton) and
 * whether the soundings identify each parameter; apply the estimates to the twin.
 */
export function CalibrationPanel() {
  const twin = useStudio((s) => s.twin);
  const soundings = useStudio((s) => s.soundings);
  const [settings, setSettings] = useState<CalibrationSettings>({
    parameterNames: ['conductivity'],
    loss: 'smape',
    optimizer: 'lm',
    init: 'itu',
    maxIterations: 40,
  });
  const [history, setHistory] = useState<CalibrationIteration[]>([]);
  const [outcome, setOutcome] = useState<CalibrationOutcome | null>(null);
  const [running, setRunning] = useState(false);
  const runState = useStudio((s) => s.calibrationRun);
  const pausedAt = useStudio((s) => s.calibrationPausedAt);
  const maxRelativeStd = useStudio((s) => s.calibrationMaxRelativeStd);
  const warnings = useStudio((s) => s.soundingWarnings);
  useSoundingWarnings();
  const judged = outcome ? judgeEstimates(outcome, maxRelativeStd) : [];
  const calibratedCount = judged.filter((p) => p.trust.calibrated).length;

  const run = async () => {
    setHistory([]);
    setOutcome(null);
    setRunning(true);
    const r = await runCalibration(settings, (its) => setHistory((h) => [...h, ...its]));
    setRunning(false);
    setOutcome(r);
  };

  const toggleParam = (id: MaterialParameterName, on: boolean) => {
    const names = on ? [...settings.parameterNames, id] : settings.parameterNames.filter((n) => n !== id);
    if (names.length) setSettings({ ...settings, parameterNames: names });
  };

  return (
    <section className="panel" aria-label="Calibration" data-testid="calibration-panel">
      <h2>Calibration</h2>
      <div className="row">
        <label className="inline">
          Soundings
          <input
            type="file"
            accept=".csv,.json"
            data-testid="soundings-input"
            aria-label="soundings file (CSV or JSON)"
            style={{ maxWidth: 190 }}
            onChange={async (e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = '';
              await openBrowserFiles(files);
            }}
          />
        </label>
      </div>
      <p className="dim" data-testid="soundings-summary">
        {soundings ? `${soundings.file}: ${soundings.items.length} links` : 'no soundings loaded'}
      </p>
      {soundings && warnings && warnings.file === soundings.file && warnings.sceneId === twin?.sceneId ? (
        warnings.warnings.length ? (
          <details
            open
            className="small"
            data-testid="sounding-warnings"
            data-count={warnings.warnings.length}
          >
            <summary className="warn">
              {warnings.warnings.length} sounding position{warnings.warnings.length === 1 ? '' : 's'} the twin
              cannot predict (calibration would fit them anyway)
            </summary>
            <ul className="warnings">
              {warnings.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </details>
        ) : (
          <p className="dim small" data-testid="sounding-warnings" data-count={0}>
            every sounding lies inside the scene, outside its objects
          </p>
        )
      ) : null}
      <div className="row">
        {PARAMS.map((p) => (
          <label key={p.id} className="inline">
            <input
              type="checkbox"
              checked={settings.parameterNames.includes(p.id)}
              onChange={(e) => toggleParam(p.id, e.currentTarget.checked)}
            />
            {p.label}
          </label>
        ))}
      </div>
      <div className="row">
        <select
          aria-label="loss"
          value={settings.loss}
          onChange={(e) => setSettings({ ...settings, loss: e.currentTarget.value as LossKind })}
        >
          <option value="smape">sMAPE of metrics</option>
          <option value="nae">NAE of metrics</option>
          <option value="paths">per-path</option>
        </select>
        <select
          aria-label="optimiser"
          value={settings.optimizer}
          onChange={(e) => setSettings({ ...settings, optimizer: e.currentTarget.value as OptimizerKind })}
        >
          <option value="lm">Levenberg–Marquardt</option>
          <option value="adam">Adam</option>
        </select>
        <select
          aria-label="initialisation"
          value={settings.init}
          onChange={(e) =>
            setSettings({ ...settings, init: e.currentTarget.value as CalibrationSettings['init'] })
          }
        >
          <option value="itu">ITU values</option>
          <option value="uniform">uniform</option>
          <option value="random">random</option>
        </select>
        <span className="inline">
          max it.
          <NumberField
            label="maximum iterations"
            testId="calibration-max-iterations"
            value={settings.maxIterations}
            check={integerBetween(1, 100_000, 'the number of iterations')}
            onCommit={(v) => setSettings({ ...settings, maxIterations: v })}
            width={52}
          />
        </span>
      </div>
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="calibrate-button"
          disabled={!twin || !soundings || running}
          onClick={run}
        >
          Calibrate
        </button>
        {running && runState === 'running' ? (
          <button
            type="button"
            data-testid="calibrate-pause"
            onClick={pauseCalibration}
            title="Pause between two iterations (P)"
          >
            Pause <kbd>P</kbd>
          </button>
        ) : null}
        {running && runState === 'paused' ? (
          <button
            type="button"
            data-testid="calibrate-resume"
            onClick={resumeCalibration}
            title="Resume where it paused (P)"
          >
            Resume <kbd>P</kbd>
          </button>
        ) : null}
        {running ? (
          <button
            type="button"
            data-testid="calibrate-stop"
            onClick={stopCalibration}
            title="Stop and keep the best estimate so far (S); Cancel in the status bar discards the run"
          >
            Stop <kbd>S</kbd>
          </button>
        ) : null}
        {outcome ? (
          <button
            type="button"
            data-testid="calibrate-apply"
            onClick={() => applyCalibration(outcome, maxRelativeStd)}
            title="Write the calibrated estimates to the twin; the others keep their prior"
          >
            Apply {calibratedCount} calibrated to twin
          </button>
        ) : null}
      </div>
      <div className="row small">
        <span
          className="inline"
          title="An estimate is written to the twin only when the soundings identify it and its standard deviation is at most this share of its value"
        >
          calibrated when ± ≤
          <NumberField
            label="largest relative uncertainty of a calibrated estimate (%)"
            testId="calibration-threshold"
            value={Number((100 * maxRelativeStd).toPrecision(6))}
            check={between(0.1, 1000, ' %', 'the uncertainty threshold')}
            onCommit={(v) => studio.set({ calibrationMaxRelativeStd: v / 100 })}
            width={40}
          />
          % of the estimate
        </span>
      </div>
      {history.length ? (
        <p
          className="dim"
          data-testid="calibration-iteration"
          data-iteration={history.at(-1)!.iteration}
          data-state={runState ?? 'done'}
          data-paused-at={pausedAt ?? undefined}
          data-received={history.length}
        >
          iteration {history.at(-1)!.iteration}
          {runState === 'paused' ? (pausedAt === null ? ' · pausing…' : ' · paused') : ''} · loss{' '}
          {history.at(-1)!.loss.toExponential(3)}
        </p>
      ) : null}
      <LossCurve history={history} />
      <Trajectories history={history} labels={outcome?.parameters.map((p) => `${p.owner} ${p.name}`) ?? []} />
      {outcome ? (
        <div data-testid="calibration-results">
          <p className="dim">
            {outcome.iterations} iterations · {outcome.stoppedBecause} · {outcome.lossDescription}
          </p>
          <table className="small">
            <thead>
              <tr>
                <th>parameter</th>
                <th>initial</th>
                <th>estimate ± std</th>
                <th>twin</th>
              </tr>
            </thead>
            <tbody>
              {judged.map((p) => {
                const meta = PARAMS.find((q) => q.id === p.name);
                return (
                  <tr
                    key={`${p.owner}.${p.name}`}
                    data-testid="calibration-estimate"
                    data-owner={p.owner}
                    data-name={p.name}
                    data-estimate={p.estimate}
                    data-std={p.std}
                    data-calibrated={p.trust.calibrated}
                  >
                    <td>
                      <span
                        style={{
                          color: TRAJECTORY_COLORS[outcome.parameters.indexOf(p) % TRAJECTORY_COLORS.length],
                        }}
                      >
                        ■
                      </span>{' '}
                      {p.owner} {meta?.label ?? p.name}
                    </td>
                    <td>{fmt(p.initial)}</td>
                    <td
                      title={
                        p.identifiable
                          ? 'identified by the soundings'
                          : 'not identifiable from these soundings'
                      }
                    >
                      {fmt(p.estimate)} ± {fmt(p.std)} {meta?.unit}
                      {Number.isFinite(p.trust.relativeStd) ? (
                        <span className="dim"> ({(100 * p.trust.relativeStd).toPrecision(2)} %)</span>
                      ) : null}
                    </td>
                    <td data-testid="calibration-status" title={p.trust.reason}>
                      {p.trust.calibrated ? (
                        'calibrated'
                      ) : (
                        <span className="not-calibrated">not calibrated ({p.trust.reason})</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="small" data-testid="calibration-summary">
            <CalibrationSummary judged={judged} />
          </p>
          <SoundingErrorPlots outcome={outcome} />
          {outcome.warnings.length ? (
            <details>
              <summary>{outcome.warnings.length} notes</summary>
              <ul className="small">
                {outcome.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/**
 * Check the loaded soundings against the loaded twin (engine soundingPositionWarnings in the
 * worker) whenever either changes, so that misplaced soundings are listed before a run.
 */
function useSoundingWarnings() {
  const twin = useStudio((s) => s.twin);
  const soundings = useStudio((s) => s.soundings);
  useEffect(() => {
    if (!twin || !soundings) return;
    let live = true;
    engine()
      .call('checkSoundings', { sceneId: twin.sceneId, soundings: soundings.items })
      .then((warnings) => {
        if (live) studio.set({ soundingWarnings: { sceneId: twin.sceneId, file: soundings.file, warnings } });
      })
      .catch(() => {
        // a scene dropped while checking: the next twin checks again
      });
    return () => {
      live = false;
    };
  }, [twin, soundings]);
}

/** Which estimates the twin takes, and which keep their prior because the physics or the data cannot say. */
function CalibrationSummary({ judged }: { judged: ReturnType<typeof judgeEstimates> }) {
  const label = (p: (typeof judged)[number]) =>
    `${p.owner} ${PARAMS.find((q) => q.id === p.name)?.label ?? p.name}`;
  const calibrated = judged.filter((p) => p.trust.calibrated);
  const unidentified = judged.filter((p) => !p.identifiable);
  const uncertain = judged.filter((p) => p.identifiable && !p.trust.calibrated);
  return (
    <>
      {calibrated.length ? `Calibrated: ${calibrated.map(label).join(', ')}.` : 'Nothing is calibrated.'}
      {unidentified.length
        ? ` Not identifiable from these soundings, prior kept: ${unidentified.map(label).join(', ')}.`
        : ''}
      {uncertain.length
        ? ` Too uncertain for the threshold, prior kept: ${uncertain.map(label).join(', ')}.`
        : ''}
    </>
  );
}
