import { memo } from 'react';
import {
  addActor,
  addWaypoint,
  clearMeasuredTrace,
  clearWalk,
  exportTimeline,
  fitToTrace,
  loadMeasuredTrace,
  removeActor,
  runTimeline,
  stopPlaying,
  toggleDrawWalk,
  togglePlay,
} from '../actions/dynamics.ts';
import { studio, useStudio } from '../store.ts';
import { between } from '../validation.ts';
import type { TimelineSummary } from '../worker/protocol.ts';
import { NumberField } from './NumberField.tsx';

/**
 * Dynamics (issue 14): people and boxes that walk through the twin. Their walks are drawn with
 * the mouse on a floor plan (top view of the twin's footprint, devices marked); the timeline of
 * the first Tx to the selected (or first) Rx is computed by the engine worker (the CLI's
 * `rftwin timeline`), played, scrubbed, plotted (path gain, shadow loss, delay spread, K-factor)
 * and exported as JSON lines. Actors and walks go into the twin JSON.
 */
const PLAN_W = 260;

export function DynamicsPanel() {
  const twin = useStudio((s) => s.twin);
  const actors = useStudio((s) => s.actors);
  const drawing = useStudio((s) => s.drawingWalk);
  const timeline = useStudio((s) => s.timeline);
  const index = useStudio((s) => s.timelineIndex);
  const playing = useStudio((s) => s.timelinePlaying);
  const trace = useStudio((s) => s.measuredTrace);
  const fit = useStudio((s) => s.blockerFit);
  const noise = useStudio((s) => s.traceNoiseDb);
  const step = timeline?.steps[index];
  return (
    <section className="panel" aria-label="Dynamics" data-testid="dynamics-panel">
      <h2>Dynamics</h2>
      <div className="row">
        <button type="button" data-testid="add-person" disabled={!twin} onClick={() => addActor('human')}>
          Add person
        </button>
        <button type="button" data-testid="add-box" disabled={!twin} onClick={() => addActor('box')}>
          Add box
        </button>
      </div>
      {actors.length > 0 && (
        <ul className="plain" data-testid="actor-list">
          {actors.map((a) => (
            <li key={a.id} data-testid={`actor-${a.id}`} data-waypoints={a.waypoints.length}>
              {a.kind === 'human' ? 'Person' : 'Box'} {a.id} · {a.waypoints.length} waypoints · {a.speed} m/s{' '}
              <button type="button" data-testid={`draw-walk-${a.id}`} onClick={() => toggleDrawWalk(a.id)}>
                {drawing === a.id ? 'Done' : 'Draw walk'}
              </button>
              <button type="button" onClick={() => clearWalk(a.id)}>
                Clear
              </button>
              <button type="button" aria-label={`remove ${a.id}`} onClick={() => removeActor(a.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {twin && <FloorPlan />}
      {drawing && <p className="dim">Click points on the floor plan to draw the walk of {drawing}.</p>}
      <div className="row">
        <button
          type="button"
          data-testid="run-timeline"
          disabled={!twin || actors.length === 0}
          onClick={() => void runTimeline()}
        >
          Run timeline
        </button>
        <button
          type="button"
          data-testid="timeline-play"
          disabled={!timeline}
          onClick={togglePlay}
          aria-pressed={playing}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" data-testid="export-timeline" disabled={!timeline} onClick={exportTimeline}>
          Export JSON lines
        </button>
      </div>
      <div className="row">
        <label className="inline small">
          measured trace (CSV t,path_gain_db | t,rx_power_dbm)
          <input
            type="file"
            accept=".csv,text/csv"
            data-testid="trace-input"
            disabled={!twin}
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void loadMeasuredTrace(f);
            }}
          />
        </label>
        {trace && (
          <>
            <span className="small" data-testid="trace-loaded" data-samples={trace.t.length}>
              {trace.file}: {trace.t.length} samples
            </span>
            <button type="button" onClick={clearMeasuredTrace}>
              Remove trace
            </button>
            <span className="inline small">
              noise
              <NumberField
                label="the trace's RMS noise in dB (a fit leaving more than twice it is not calibrated)"
                testId="trace-noise"
                value={noise}
                check={between(0.01, 20, ' dB', 'the trace noise')}
                onCommit={(v) => studio.set({ traceNoiseDb: v, blockerFit: null })}
                width={40}
              />
              dB
            </span>
            <button
              type="button"
              data-testid="fit-blocker"
              disabled={!twin || actors.every((a) => a.waypoints.length === 0)}
              onClick={() => void fitToTrace()}
              title="Fit the first walking actor's size and material to the trace"
            >
              Fit to trace
            </button>
          </>
        )}
      </div>
      {fit && <FitResult fit={fit} />}
      {timeline && step && (
        <>
          <label className="row">
            t
            <input
              type="range"
              data-testid="timeline-scrub"
              min={0}
              max={timeline.steps.length - 1}
              step={1}
              value={index}
              onChange={(e) => {
                stopPlaying();
                studio.set({ timelineIndex: Number(e.target.value) });
              }}
            />
            <output data-testid="timeline-time">{step.t.toFixed(2)} s</output>
          </label>
          <p data-testid="timeline-step" data-shadow-loss={step.shadowLossDb}>
            gain {step.coherentGainDb.toFixed(1)} dB · shadow loss {step.shadowLossDb.toFixed(1)} dB · DS{' '}
            {step.rmsDelaySpreadNs.toFixed(2)} ns · K{' '}
            {Number.isFinite(step.kFactorDb) ? step.kFactorDb.toFixed(1) : '∞'} dB · {step.pathCount} paths
            {step.los ? ' · LoS' : ' · LoS blocked'}
          </p>
          <TimelinePlots steps={timeline.steps} index={index} trace={trace} fitted={fit?.predictedGainDb} />
        </>
      )}
    </section>
  );
}

/** The twin's footprint from the top, devices and walks; clicks add waypoints while drawing. */
function FloorPlan() {
  const twin = useStudio((s) => s.twin)!;
  const devices = useStudio((s) => s.devices);
  const actors = useStudio((s) => s.actors);
  const drawing = useStudio((s) => s.drawingWalk);
  const timeline = useStudio((s) => s.timeline);
  const index = useStudio((s) => s.timelineIndex);
  const { min, max } = twin.scene.bbox;
  const w = Math.max(1e-6, max[0] - min[0]);
  const h = Math.max(1e-6, max[1] - min[1]);
  const scale = PLAN_W / w;
  const H = h * scale;
  // world (x, y) → plan (u, v): y up
  const u = (x: number) => (x - min[0]) * scale;
  const v = (y: number) => (max[1] - y) * scale;
  const poses = timeline?.steps[index]?.poses ?? [];
  return (
    <svg
      viewBox={`0 0 ${PLAN_W} ${H}`}
      className="plot floor-plan"
      data-testid="floor-plan"
      data-bounds={JSON.stringify([min[0], min[1], max[0], max[1]])}
      role="img"
      aria-label="floor plan: click to add waypoints"
      style={{ cursor: drawing ? 'crosshair' : 'default', width: '100%' }}
      onClick={(e) => {
        if (!drawing) return;
        const r = e.currentTarget.getBoundingClientRect();
        const x = min[0] + ((e.clientX - r.left) / r.width) * w;
        const y = max[1] - ((e.clientY - r.top) / r.height) * h;
        addWaypoint(x, y);
      }}
      onKeyDown={() => undefined}
    >
      <rect x={0} y={0} width={PLAN_W} height={H} className="plot-frame" />
      {devices.map((d) => (
        <g key={d.id}>
          <circle
            cx={u(d.position[0])}
            cy={v(d.position[1])}
            r={4}
            fill={d.kind === 'tx' ? '#e76f51' : '#35b779'}
          />
          <text x={u(d.position[0]) + 5} y={v(d.position[1]) - 4} className="plot-tick">
            {d.name}
          </text>
        </g>
      ))}
      {actors.map((a) => (
        <polyline
          key={a.id}
          points={a.waypoints.map((p) => `${u(p[0])},${v(p[1])}`).join(' ')}
          fill="none"
          stroke="#fde725"
          strokeWidth={drawing === a.id ? 2.5 : 1.5}
        />
      ))}
      {actors.map((a) => (
        <path
          key={`${a.id}-points`}
          d={a.waypoints.map((p) => `M${u(p[0]) - 2},${v(p[1]) - 2}h4v4h-4z`).join('')}
          fill="#fde725"
        />
      ))}
      {poses.map((p) => (
        <circle
          key={p.id}
          data-testid={`actor-pose-${p.id}`}
          cx={u(p.position[0])}
          cy={v(p.position[1])}
          r={0.225 * scale}
          fill="#c77dff"
          opacity={0.8}
        />
      ))}
    </svg>
  );
}

/** The blocker fit: each dimension with its std (or why it is not calibrated), offset, material. */
function FitResult({ fit }: { fit: NonNullable<ReturnType<typeof studio.get>['blockerFit']> }) {
  return (
    <div className="small" data-testid="fit-result" data-rms={fit.rmsDb}>
      <strong>Fit of {fit.actor}</strong> ({fit.samples} samples, residual {fit.rmsDb.toFixed(2)} dB RMS
      against a stated noise of {fit.noiseDb} dB
      {fit.outliers > 0 ? `, ${fit.outliers} outliers down-weighted` : ''})
      <ul className="plain">
        {fit.dimensions.map((d) => (
          <li
            key={d.name}
            data-testid={`fit-${d.name}`}
            data-value={d.value}
            data-std={d.std}
            data-calibrated={d.calibrated}
          >
            {d.name}:{' '}
            {d.calibrated ? `${d.value.toFixed(3)} ± ${d.std.toFixed(3)} m` : `not calibrated (${d.reason})`}
          </li>
        ))}
        <li data-testid="fit-offset">
          offset {fit.offsetDb.value.toFixed(2)} ± {fit.offsetDb.std.toFixed(2)} dB
        </li>
        <li data-testid="fit-material" data-identified={fit.material.identified}>
          material {fit.material.chosen}
          {fit.material.identified ? '' : ` (not identified: ${fit.material.reason})`}
        </li>
      </ul>
    </div>
  );
}

const PW = 260;
const PH = 70;
const PM = { l: 34, r: 4, t: 4, b: 12 };

const SERIES: { key: keyof TimelineSummary; label: string; unit: string }[] = [
  { key: 'coherentGainDb', label: 'path gain', unit: 'dB' },
  { key: 'shadowLossDb', label: 'shadow loss', unit: 'dB' },
  { key: 'rmsDelaySpreadNs', label: 'delay spread', unit: 'ns' },
  { key: 'kFactorDb', label: 'K-factor', unit: 'dB' },
];

/** One small line plot per metric against time, with the shown step as a vertical line. */
const TimelinePlots = memo(function TimelinePlots({
  steps,
  index,
  trace,
  fitted,
}: {
  steps: TimelineSummary[];
  index: number;
  /** measured path gain, overlaid on the path gain plot (same times when the timeline ran with it) */
  trace: { t: number[]; gainDb: number[] } | null;
  /** the fitted model at the trace's times */
  fitted?: number[];
}) {
  const n = steps.length;
  const t0 = steps[0]?.t ?? 0;
  const t1 = Math.max(t0 + 1e-9, steps[n - 1]?.t ?? 1);
  // x by time: the measured trace and the steps share the axis
  const x = (t: number) => PM.l + ((t - t0) / (t1 - t0)) * (PW - PM.l - PM.r);
  const line = (ts: readonly number[], vs: readonly number[], y: (v: number) => number) =>
    ts
      .map((t, i) => [t, vs[i]!] as const)
      .filter(([t, v]) => Number.isFinite(v) && t >= t0 && t <= t1)
      .map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
  return (
    <div data-testid="timeline-plots">
      {SERIES.map((s) => {
        const overlay = s.key === 'coherentGainDb' && trace ? trace : null;
        const ys = [
          ...steps.map((st) => st[s.key] as number),
          ...(overlay ? overlay.gainDb : []),
          ...(overlay && fitted ? fitted : []),
        ].filter(Number.isFinite);
        const lo = ys.length ? Math.min(...ys) : 0;
        const hi = ys.length ? Math.max(...ys) : 1;
        const span = hi - lo || 1;
        const y = (val: number) => PM.t + ((hi - val) / span) * (PH - PM.t - PM.b);
        const pts = line(
          steps.map((st) => st.t),
          steps.map((st) => st[s.key] as number),
          y,
        );
        return (
          <svg
            key={s.key}
            viewBox={`0 0 ${PW} ${PH}`}
            className="plot"
            role="img"
            aria-label={`${s.label} against time`}
            data-testid={`timeline-plot-${s.key}`}
            data-min={lo}
            data-max={hi}
          >
            <rect
              x={PM.l}
              y={PM.t}
              width={PW - PM.l - PM.r}
              height={PH - PM.t - PM.b}
              className="plot-frame"
            />
            <text x={PM.l - 3} y={PM.t + 8} className="plot-tick" textAnchor="end">
              {hi.toFixed(1)}
            </text>
            <text x={PM.l - 3} y={PH - PM.b} className="plot-tick" textAnchor="end">
              {lo.toFixed(1)}
            </text>
            <text x={PM.l + 4} y={PH - 2} className="plot-tick">
              {s.label} ({s.unit}) against time, {steps[0]?.t.toFixed(1)}–{steps[n - 1]?.t.toFixed(1)} s
              {overlay ? ` · measured (blue)${fitted ? ', fitted (orange)' : ''}` : ''}
            </text>
            <polyline points={pts} fill="none" stroke="#fde725" strokeWidth={1.2} />
            {overlay && (
              <polyline
                data-testid="trace-overlay"
                data-points={overlay.t.length}
                points={line(overlay.t, overlay.gainDb, y)}
                fill="none"
                stroke="#4cc9f0"
                strokeWidth={1}
                strokeDasharray="2 1"
              />
            )}
            {overlay && fitted && (
              <polyline
                data-testid="fit-overlay"
                points={line(overlay.t, fitted, y)}
                fill="none"
                stroke="#f77f00"
                strokeWidth={1}
              />
            )}
            <line
              x1={x(steps[index]?.t ?? t0)}
              x2={x(steps[index]?.t ?? t0)}
              y1={PM.t}
              y2={PH - PM.b}
              stroke="#c77dff"
            />
          </svg>
        );
      })}
    </div>
  );
});
