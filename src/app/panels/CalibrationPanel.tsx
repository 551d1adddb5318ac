import { useState } from 'react';
import type { LossKind, OptimizerKind } from '../../engine/calibrate/index.ts';
import type { MaterialParameterName } from '../../engine/io/index.ts';
import {
  applyCalibration,
  type CalibrationSettings,
  pauseCalibration,
  resumeCalibration,
  runCalibration,
  stopCalibration,
} from '../actions/calibrate.ts';
import { openBrowserFiles } from '../actions/loadInputs.ts';
import { soundingErrors } from '../soundingErrors.ts';
import { useStudio } from '../store.ts';
import type { CalibrationIteration, CalibrationOutcome } from '../worker/protocol.ts';
import { LossCurve, TRAJECTORY_COLORS, Trajectories } from './livePlots.tsx';
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
        <label className="inline">
          max it.
          <input
            type="number"
            min={1}
            step={1}
            aria-label="maximum iterations"
            value={settings.maxIterations}
            style={{ width: 52 }}
            onChange={(e) => {
              const v = e.currentTarget.valueAsNumber;
              if (Number.isInteger(v) && v > 0) setSettings({ ...settings, maxIterations: v });
            }}
          />
        </label>
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
          <button type="button" data-testid="calibrate-apply" onClick={() => applyCalibration(outcome)}>
            Apply to twin
          </button>
        ) : null}
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
              </tr>
            </thead>
            <tbody>
              {outcome.parameters.map((p) => {
                const meta = PARAMS.find((q) => q.id === p.name);
                return (
                  <tr
                    key={`${p.owner}.${p.name}`}
                    data-testid="calibration-estimate"
                    data-owner={p.owner}
                    data-name={p.name}
                    data-estimate={p.estimate}
                    data-std={p.std}
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
                      {p.identifiable ? '' : ' (not identifiable)'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
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
