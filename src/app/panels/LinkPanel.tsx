import { useMemo } from 'react';
import {
  BACKEND_CHOICES,
  type BackendChoice,
  type Mechanism,
  NEAR_FIELD_WAVELENGTHS,
} from '../../engine/channel/index.ts';
import { deviceWarnings, runTrace } from '../actions/trace.ts';
import { studio, useStudio } from '../store.ts';
import { integerBetween } from '../validation.ts';
import { pathsOfLink } from '../worker/compactTrace.ts';
import type { StudioChannelSettings } from '../worker/protocol.ts';
import { txPowerOf } from './AntennaPanel.tsx';
import { AnglePlot, ImpulseResponse, PathTable, PowerDelayProfile } from './linkPlots.tsx';
import { NumberField } from './NumberField.tsx';

const fmtDb = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} dB` : '—');
const fmtDistance = (m: number) => (m >= 0.01 ? `${m.toPrecision(3)} m` : `${(m * 1000).toPrecision(3)} mm`);

const TYPES: { key: Mechanism; label: string }[] = [
  { key: 'los', label: 'LoS' },
  { key: 'specular', label: 'refl.' },
  { key: 'transmission', label: 'trans.' },
  { key: 'diffraction', label: 'diffr.' },
  { key: 'scattering', label: 'scatter' },
];

/**
 * Channel settings (shared by the link trace, radio maps, calibration and planning, as the CLI's
 * flags), the backend, per-link metrics, power-delay profile and angles of arrival.
 */
export function LinkPanel() {
  const trace = useStudio((s) => s.trace);
  const settings = useStudio((s) => s.channelSettings);
  const backendChoice = useStudio((s) => s.backendChoice);
  const selected = useStudio((s) => s.selectedLink);
  const devices = useStudio((s) => s.devices);
  const tracing = useStudio((s) => s.tracing);
  const timelineStep = useStudio((s) => s.timeline?.steps[s.timelineIndex]);
  const name = (id: string) => devices.find((d) => d.id === id)?.name ?? id;
  const links = trace?.compact.links;
  const link = links && selected !== null ? links[selected] : undefined;
  // decoded once per trace and link: the plots and the path table (memo components) then skip
  // the re-renders of this panel while a trace runs (progress, the tracing flag)
  const paths = useMemo(
    () =>
      trace && selected !== null && trace.compact.links[selected] ? pathsOfLink(trace.compact, selected) : [],
    [trace, selected],
  );
  const tx = link ? devices.find((d) => d.id === link.txId) : undefined;
  const rxPowerDbm = link ? txPowerOf(tx, settings.txPowerDbm) + link.metrics.pathGainDb : Number.NaN;
  const warnings = trace ? deviceWarnings(devices) : [];
  const set = (patch: Partial<StudioChannelSettings>) =>
    studio.set({ channelSettings: { ...settings, ...patch } });
  return (
    <section className="panel" aria-label="Links and paths" data-testid="link-panel">
      <h2>
        Paths{' '}
        <span className="dim">
          {tracing
            ? '· tracing…'
            : trace
              ? `· ${trace.compact.links.length} links on ${trace.backend.label}`
              : ''}
        </span>
      </h2>
      <div className="row">
        <span className="inline">
          depth
          <NumberField
            label="maximum interactions per path"
            value={settings.maxDepth}
            check={integerBetween(0, 12, 'the depth')}
            onCommit={(v) => set({ maxDepth: v })}
            width={42}
          />
        </span>
        {TYPES.map((t) => (
          <label key={t.key} className="inline small">
            <input
              type="checkbox"
              checked={settings[t.key]}
              onChange={(e) => set({ [t.key]: e.currentTarget.checked })}
            />
            {t.label}
          </label>
        ))}
        <label className="inline small">
          backend
          <select
            aria-label="backend"
            data-testid="backend-select"
            value={backendChoice}
            onChange={(e) => studio.set({ backendChoice: e.currentTarget.value as BackendChoice })}
          >
            {BACKEND_CHOICES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void runTrace()} title="Trace again">
          ↻
        </button>
      </div>
      {trace?.backend.reason ? (
        <p className="dim small" data-testid="backend-reason">
          {trace.backend.label}: {trace.backend.reason}
        </p>
      ) : null}
      {warnings.length ? (
        <p className="warn small" data-testid="trace-warnings">
          ⚠ {warnings.join('; ')}: the trace treats these positions as free space.
        </p>
      ) : null}
      {timelineStep ? (
        // with a timeline loaded the 3D view shows its step's paths: their metrics here too
        <p className="small" data-testid="link-timeline-step" data-t={timelineStep.t}>
          Timeline step t = {timelineStep.t.toFixed(2)} s (Dynamics; its paths in the 3D view): gain{' '}
          {timelineStep.coherentGainDb.toFixed(1)} dB · shadow loss {timelineStep.shadowLossDb.toFixed(1)} dB
          · DS {timelineStep.rmsDelaySpreadNs.toFixed(2)} ns · {timelineStep.pathCount} paths
          {timelineStep.los ? '' : ' · LoS blocked'}. The link below is the twin without actors.
        </p>
      ) : null}
      {!trace ? (
        <p className="dim">Place at least one Tx and one Rx to trace.</p>
      ) : (
        <>
          <select
            aria-label="link"
            value={selected ?? 0}
            onChange={(e) => studio.set({ selectedLink: Number(e.currentTarget.value) })}
            data-testid="link-select"
          >
            {trace.compact.links.map((l, i) => (
              <option key={`${l.txId}-${l.rxId}`} value={i}>
                {name(l.txId)} → {name(l.rxId)} ({l.pathCount} paths)
              </option>
            ))}
          </select>
          {link ? (
            <>
              {link.nearField.nearField ? (
                <p className="warn small" data-testid="near-field-note">
                  Near field: Tx, Rx or a scattering or diffraction point only{' '}
                  {fmtDistance(link.nearField.shortestDistanceM)} ({link.nearField.wavelengths.toPrecision(2)}{' '}
                  λ) apart, under {NEAR_FIELD_WAVELENGTHS} λ. Ray optics and the antenna patterns do not hold
                  there: these metrics are not valid.
                </p>
              ) : null}
              <dl className="props metrics" data-testid="link-metrics">
                <dt>paths</dt>
                <dd data-testid="metric-paths">
                  {link.metrics.pathCount} {link.metrics.los ? '(LoS)' : '(NLoS)'}
                </dd>
                <dt>path gain</dt>
                <dd data-testid="metric-path-gain" data-value={link.metrics.pathGainDb}>
                  {fmtDb(link.metrics.pathGainDb)}
                </dd>
                <dt>Rx power</dt>
                <dd data-testid="metric-rx-power" data-value={rxPowerDbm}>
                  {Number.isFinite(rxPowerDbm) ? `${rxPowerDbm.toFixed(2)} dBm` : '—'}{' '}
                  <span className="dim">(Tx {txPowerOf(tx, settings.txPowerDbm)} dBm)</span>
                </dd>
                <dt>coherent</dt>
                <dd data-testid="metric-coherent-gain" data-value={link.metrics.coherentGainDb}>
                  {fmtDb(link.metrics.coherentGainDb)}
                </dd>
                <dt>RMS delay</dt>
                <dd data-testid="metric-delay-spread" data-value={link.metrics.rmsDelaySpreadS}>
                  {(link.metrics.rmsDelaySpreadS * 1e9).toFixed(3)} ns
                </dd>
                <dt>AS (arrival)</dt>
                <dd data-testid="metric-angular-spread" data-value={link.metrics.angularSpreadDeg}>
                  {link.metrics.angularSpreadDeg.toFixed(2)}°
                </dd>
                <dt>K-factor</dt>
                <dd data-testid="metric-k-factor" data-value={link.metrics.kFactorDb}>
                  {link.metrics.kFactorDb === Number.POSITIVE_INFINITY
                    ? '∞ (single path)'
                    : fmtDb(link.metrics.kFactorDb)}{' '}
                  <span className="dim">({link.metrics.kFactorReference})</span>
                </dd>
              </dl>
              <div className="link-plots">
                <PowerDelayProfile link={selected!} paths={paths} />
                <ImpulseResponse link={selected!} paths={paths} />
                <div className="polar-pair">
                  <AnglePlot link={selected!} paths={paths} which="aod" />
                  <AnglePlot link={selected!} paths={paths} which="aoa" />
                </div>
              </div>
              <PathTable link={selected!} paths={paths} />
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
