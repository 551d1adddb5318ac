import { useState } from 'react';
import type { LossKind } from '../../engine/calibrate/losses.ts';
import type { OptimizerKind } from '../../engine/calibrate/optimizers.ts';
import type { MaterialParameterName } from '../../engine/io/materialsJson.ts';
import {
  applyCalibration,
  type CalibrationSettings,
  runCalibration,
  stopCalibration,
} from '../actions/calibrate.ts';
import { openInputs, readBrowserFiles } from '../actions/loadInputs.ts';
import { useStudio } from '../store.ts';
import type { CalibrationIteration, CalibrationOutcome } from '../worker/protocol.ts';

const PARAMS: { id: MaterialParameterName; label: string; unit: string }[] = [
  { id: 'conductivity', label: 'σ', unit: 'S/m' },
  { id: 'relative_permittivity', label: 'εr', unit: '' },
  { id: 'scattering_coefficient', label: 'S', unit: '' },
];

/** Loss per iteration on a log scale (the loss spans decades when LM converges). */
function LossCurve({ history }: { history: CalibrationIteration[] }) {
  const W = 260;
  const H = 90;
  const pts = history.filter((h) => h.loss > 0 && Number.isFinite(h.loss));
  if (pts.length === 0) return <p className="dim">loss curve appears here</p>;
  const logs = pts.map((h) => Math.log10(h.loss));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const n = Math.max(1, pts.at(-1)!.iteration);
  const line = pts
    .map((h, k) => {
      const x = (h.iteration / n) * (W - 40) + 36;
      const y = hi > lo ? 6 + ((hi - logs[k]!) / (hi - lo)) * (H - 20) : H / 2;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return (
    <svg
      width={W}
      height={H}
      role="img"
      aria-label="calibration loss per iteration"
      data-testid="loss-curve"
      data-points={pts.length}
    >
      <text x={2} y={12} fontSize={9} fill="currentColor">
        {(10 ** hi).toPrecision(3)}
      </text>
      <text x={2} y={H - 12} fontSize={9} fill="currentColor">
        {(10 ** lo).toPrecision(3)}
      </text>
      <text x={W - 60} y={H - 2} fontSize={9} fill="currentColor">
        iteration {n}
      </text>
      <polyline points={line} fill="none" stroke="#fde725" strokeWidth={1.5} />
    </svg>
  );
}

const TRAJECTORY_COLORS = ['#fde725', '#35b779', '#31688e', '#e76f51', '#c77dff', '#8ecae6', '#ffb703'];

/** Each parameter relative to its first value per iteration (log₂ scale: ±1 = ×2 or ÷2). */
function Trajectories({ history, labels }: { history: CalibrationIteration[]; labels: string[] }) {
  const W = 260;
  const H = 90;
  const first = history[0];
  if (!first || history.length < 2) return null;
  const rel = history.map((h) => h.theta.map((v, k) => Math.log2(v / first.theta[k]!)));
  const all = rel.flat().filter(Number.isFinite);
  const span = Math.max(0.05, ...all.map(Math.abs));
  const n = Math.max(1, history.at(-1)!.iteration);
  const x = (it: number) => 4 + (it / n) * (W - 8);
  const y = (v: number) => H / 2 - (v / span) * (H / 2 - 6);
  return (
    <svg
      width={W}
      height={H}
      role="img"
      aria-label="parameter trajectories (log2 of value / initial value)"
      data-testid="trajectory-plot"
    >
      <line x1={0} x2={W} y1={H / 2} y2={H / 2} stroke="#555" strokeDasharray="2 3" />
      <text x={2} y={10} fontSize={9} fill="currentColor">
        ×{(2 ** span).toPrecision(3)}
      </text>
      {first.theta.map((_, k) => (
        <polyline
          // biome-ignore lint/suspicious/noArrayIndexKey: parameters keep their order during a run
          key={k}
          points={history
            .map((h, i) => `${x(h.iteration).toFixed(1)},${y(rel[i]![k]!).toFixed(1)}`)
            .join(' ')}
          fill="none"
          stroke={TRAJECTORY_COLORS[k % TRAJECTORY_COLORS.length]}
          strokeWidth={1.2}
        >
          <title>{labels[k] ?? `parameter ${k + 1}`}</title>
        </polyline>
      ))}
    </svg>
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
    maxDepth: 3,
  });
  const [history, setHistory] = useState<CalibrationIteration[]>([]);
  const [outcome, setOutcome] = useState<CalibrationOutcome | null>(null);
  const [running, setRunning] = useState(false);

  const run = async () => {
    setHistory([]);
    setOutcome(null);
    setRunning(true);
    const r = await runCalibration(settings, (it) => setHistory((h) => [...h, it]));
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
              await openInputs(await readBrowserFiles(files));
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
        {running ? (
          <button
            type="button"
            data-testid="calibrate-stop"
            onClick={stopCalibration}
            title="Stop: takes effect while the sounded links are traced; the optimiser itself runs as one worker task"
          >
            Stop
          </button>
        ) : null}
        {outcome ? (
          <button type="button" data-testid="calibrate-apply" onClick={() => applyCalibration(outcome)}>
            Apply to twin
          </button>
        ) : null}
      </div>
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
