import { runTrace } from '../actions/trace.ts';
import { studio, useStudio } from '../store.ts';
import type { TraceSettings } from '../worker/protocol.ts';
import { AngleOfArrivalPlot, PowerDelayProfile } from './plots.tsx';

const fmtDb = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} dB` : '—');

const TYPES: { key: keyof TraceSettings; label: string }[] = [
  { key: 'los', label: 'LoS' },
  { key: 'specular', label: 'refl.' },
  { key: 'transmission', label: 'trans.' },
  { key: 'diffraction', label: 'diffr.' },
  { key: 'scattering', label: 'scatter' },
];

/** Trace settings, per-link metrics, power-delay profile and angles of arrival. */
export function LinkPanel() {
  const trace = useStudio((s) => s.trace);
  const settings = useStudio((s) => s.traceSettings);
  const selected = useStudio((s) => s.selectedLink);
  const devices = useStudio((s) => s.devices);
  const tracing = useStudio((s) => s.tracing);
  const name = (id: string) => devices.find((d) => d.id === id)?.name ?? id;
  const link = trace && selected !== null ? trace.links[selected] : undefined;
  const set = (patch: Partial<TraceSettings>) => studio.set({ traceSettings: { ...settings, ...patch } });
  return (
    <section className="panel" aria-label="Links and paths" data-testid="link-panel">
      <h2>
        Paths{' '}
        <span className="dim">{tracing ? '· tracing…' : trace ? `· ${trace.links.length} links` : ''}</span>
      </h2>
      <div className="row">
        <label className="inline">
          depth
          <input
            type="number"
            min={0}
            max={8}
            value={settings.maxDepth}
            aria-label="maximum interactions per path"
            onChange={(e) =>
              Number.isInteger(e.currentTarget.valueAsNumber) &&
              set({ maxDepth: e.currentTarget.valueAsNumber })
            }
            style={{ width: 42 }}
          />
        </label>
        {TYPES.map((t) => (
          <label key={t.key} className="inline small">
            <input
              type="checkbox"
              checked={settings[t.key] as boolean}
              onChange={(e) => set({ [t.key]: e.currentTarget.checked })}
            />
            {t.label}
          </label>
        ))}
        <button type="button" onClick={() => void runTrace()} title="Trace again">
          ↻
        </button>
      </div>
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
            {trace.links.map((l, i) => (
              <option key={`${l.txId}-${l.rxId}`} value={i}>
                {name(l.txId)} → {name(l.rxId)} ({l.paths.length} paths)
              </option>
            ))}
          </select>
          {link ? (
            <>
              <dl className="props metrics" data-testid="link-metrics">
                <dt>paths</dt>
                <dd data-testid="metric-paths">
                  {link.metrics.pathCount} {link.metrics.los ? '(LoS)' : '(NLoS)'}
                </dd>
                <dt>path gain</dt>
                <dd data-testid="metric-path-gain">{fmtDb(link.metrics.pathGainDb)}</dd>
                <dt>coherent</dt>
                <dd>{fmtDb(link.metrics.coherentGainDb)}</dd>
                <dt>RMS delay</dt>
                <dd>{(link.metrics.rmsDelaySpreadS * 1e9).toFixed(3)} ns</dd>
                <dt>AS (arrival)</dt>
                <dd>{link.metrics.angularSpreadDeg.toFixed(2)}°</dd>
                <dt>K-factor</dt>
                <dd>
                  {fmtDb(link.metrics.kFactorDb)}{' '}
                  <span className="dim">({link.metrics.kFactorReference})</span>
                </dd>
              </dl>
              <div className="plots">
                <PowerDelayProfile paths={link.paths} />
                <AngleOfArrivalPlot paths={link.paths} />
              </div>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
