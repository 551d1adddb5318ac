import { metricValues, RADIO_MAP_METRICS, type RadioMapMetric } from '../../engine/radiomap/index.ts';
import { computeHeatmap } from '../actions/heatmap.ts';
import { VIRIDIS_GRADIENT } from '../colors.ts';
import { studio, useStudio } from '../store.ts';

/** Display range of a metric over the finite cells. */
export function metricRange(values: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

/** Radio map controls and the colour bar with units and the value under the cursor. */
export function HeatmapPanel() {
  const map = useStudio((s) => s.heatmap);
  const metric = useStudio((s) => s.heatmapMetric);
  const cell = useStudio((s) => s.heatmapCell);
  const hover = useStudio((s) => s.heatmapHover);
  const m = map ? metricValues(map, metric) : null;
  const [lo, hi] = m ? metricRange(m.values) : [0, 1];
  return (
    <section className="panel" aria-label="Radio map">
      <h2>Radio map</h2>
      <div className="row">
        <select
          aria-label="radio map metric"
          data-testid="heatmap-metric"
          value={metric}
          onChange={(e) => studio.set({ heatmapMetric: e.currentTarget.value as RadioMapMetric })}
          style={{ width: 'auto' }}
        >
          {RADIO_MAP_METRICS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label className="inline">
          cell
          <input
            type="number"
            step={0.05}
            min={0.02}
            value={cell}
            aria-label="cell size (m)"
            style={{ width: 52 }}
            onChange={(e) =>
              e.currentTarget.valueAsNumber > 0 && studio.set({ heatmapCell: e.currentTarget.valueAsNumber })
            }
          />
          m
        </label>
        <button
          type="button"
          className="primary"
          data-testid="heatmap-button"
          onClick={() => void computeHeatmap()}
          title="Compute radio map (H)"
        >
          Compute <kbd>H</kbd>
        </button>
      </div>
      {m ? (
        <div className="legend" data-testid="heatmap-legend" data-metric={metric}>
          <div className="legend-title">
            {m.label} ({m.unit})
          </div>
          <div className="colorbar" style={{ background: VIRIDIS_GRADIENT }} />
          <div className="legend-ticks">
            <span>{lo.toFixed(1)}</span>
            <span>{((lo + hi) / 2).toFixed(1)}</span>
            <span>
              {hi.toFixed(1)} {m.unit}
            </span>
          </div>
          <div className="dim small" data-testid="heatmap-hover">
            {hover
              ? `(${hover.x.toFixed(2)}, ${hover.y.toFixed(2)}) m: ${Number.isNaN(hover.value) ? 'no path' : `${hover.value.toFixed(2)} ${m.unit}`}`
              : 'hover the map for values'}
          </div>
        </div>
      ) : (
        <p className="dim">Place a Tx, then compute (H).</p>
      )}
    </section>
  );
}
