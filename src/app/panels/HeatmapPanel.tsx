import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  type ColorRange,
  colorRangeOf,
  METRIC_META,
  metricsOf,
  metricValues,
  NO_PATH_LABEL,
  NO_PATH_RGB,
  RADIO_MAP_METRICS,
  type RadioMapMetric,
  SINGLE_PATH_LABEL,
  SINGLE_PATH_RGB,
} from '../../engine/radiomap/index.ts';
import {
  CONFIRM_CELLS,
  computeHeatmap,
  estimateHeatmap,
  exportHeatmap,
  mapSetup,
} from '../actions/heatmap.ts';
import { VIRIDIS_GRADIENT } from '../colors.ts';
import { type RootState, studio, useStudio } from '../store.ts';
import { above, allOf, between, positionCheck } from '../validation.ts';
import { MAX_MAP_WORKERS } from '../worker/mapWorkers.ts';
import { NumberField } from './NumberField.tsx';

const rgb = (c: readonly number[]) => `rgb(${c.join(',')})`;

/** The colour range of the map's values of `metric` as the person set it (auto percentiles or manual). */
export function displayRange(
  map: RootState['heatmap'],
  metric: RadioMapMetric,
  range: ColorRange,
): [number, number] {
  if (!map) return [0, 1];
  if (metric === 'serving-tx' && map.servers) return [1, Math.max(2, map.servers.txs.length)];
  return colorRangeOf(metricValues(map, metric).values, range);
}

/** A value under the cursor in words: the number with its unit, "no path" or "single path (K = ∞)". */
export function describeCell(value: number, unit: string): string {
  if (Number.isNaN(value)) return NO_PATH_LABEL;
  if (value === Number.POSITIVE_INFINITY) return SINGLE_PATH_LABEL;
  return `${value.toFixed(2)} ${unit}`;
}

const fmtSeconds = (s: number) =>
  s < 1
    ? '< 1 s'
    : s < 120
      ? `${s.toFixed(0)} s`
      : s < 7200
        ? `${(s / 60).toFixed(0)} min`
        : `${(s / 3600).toFixed(1)} h`;

/**
 * Radio map: which transmitter (or the best server of all), the plane's height, the area (typed
 * or dragged in the viewport), the cell size with the resulting cell count and an estimate of
 * the time, the colour range (percentiles or manual), the legend with "no path" and "single path
 * (K = ∞)", the value under the cursor, and export as PNG, CSV or JSON. The channel settings
 * are the link trace's.
 */
/** The map's exports: the same files as `rftwin radiomap --png / --csv / --out`. */
const EXPORTS = [
  ['png', 'The map as shown, with its colour bar'],
  ['csv', 'One row per cell'],
  ['json', 'The JSON of rftwin radiomap'],
] as const;

export function HeatmapPanel() {
  const twin = useStudio((s) => s.twin);
  const map = useStudio((s) => s.heatmap);
  const metric = useStudio((s) => s.heatmapMetric);
  const cell = useStudio((s) => s.heatmapCell);
  const mapWorkers = useStudio((s) => s.mapWorkers);
  const hover = useStudio((s) => s.heatmapHover);
  const range = useStudio((s) => s.heatmapRange);
  const txChoice = useStudio((s) => s.heatmapTx);
  const drag = useStudio((s) => s.heatmapAreaDrag);
  const estimate = useStudio((s) => s.heatmapEstimate);
  const confirm = useStudio((s) => s.heatmapConfirm);
  const devices = useStudio((s) => s.devices);
  // the setup depends on these; recomputed when any changes
  const setupInputs = useStudio(
    useShallow((s) => [
      s.twin,
      s.devices,
      s.heatmapTx,
      s.heatmapZ,
      s.heatmapBounds,
      s.heatmapCell,
      s.channelSettings,
      s.backendChoice,
      s.frequencyHz,
    ]),
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: setupInputs lists what mapSetup reads
  const setup = useMemo(() => mapSetup(studio.get()), setupInputs);
  const txs = devices.filter((d) => d.kind === 'tx');
  const metrics = map ? metricsOf(map) : RADIO_MAP_METRICS;
  const shownMetric = metrics.includes(metric) ? metric : 'path-gain';
  const meta = METRIC_META[shownMetric];
  const [lo, hi] = useMemo(() => displayRange(map, shownMetric, range), [map, shownMetric, range]);
  const cells = setup?.grid ? setup.grid.nx * setup.grid.ny : 0;
  const estimateShown = setup && estimate?.key === setup.key ? estimate : null;
  const scene = twin?.scene;
  const setBound = (k: 0 | 1 | 2 | 3, v: number) => {
    const b = [...(setup?.bounds ?? [0, 0, 1, 1])] as [number, number, number, number];
    b[k] = v;
    studio.set({ heatmapBounds: b, heatmapConfirm: null });
  };
  const boundCheck = (k: 0 | 1 | 2 | 3) =>
    scene
      ? allOf(positionCheck(scene, (k % 2) as 0 | 1, ['xmin', 'ymin', 'xmax', 'ymax'][k]), (v) => {
          const b = setup?.bounds ?? [0, 0, 1, 1];
          if (k < 2 && !(v < b[k + 2]!)) return `${'xy'[k]}min must be below ${'xy'[k]}max (${b[k + 2]} m)`;
          if (k >= 2 && !(v > b[k - 2]!))
            return `${'xy'[k - 2]}max must be above ${'xy'[k - 2]}min (${b[k - 2]} m)`;
          return undefined;
        })
      : undefined;
  return (
    <section className="panel" aria-label="Radio map" data-testid="heatmap-panel">
      <h2>Radio map</h2>
      <div className="row">
        <select
          aria-label="radio map metric"
          data-testid="heatmap-metric"
          value={shownMetric}
          onChange={(e) => studio.set({ heatmapMetric: e.currentTarget.value as RadioMapMetric })}
          style={{ width: 'auto' }}
        >
          {metrics.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <select
          aria-label="radio map transmitter"
          data-testid="heatmap-tx"
          value={txChoice === 'all' ? 'all' : ((txs.find((d) => d.id === txChoice) ?? txs[0])?.id ?? '')}
          onChange={(e) => studio.set({ heatmapTx: e.currentTarget.value, heatmapConfirm: null })}
          style={{ width: 'auto' }}
          disabled={txs.length === 0}
        >
          {txs.length === 0 ? <option value="">no Tx</option> : null}
          {txs.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
          {txs.length > 1 ? <option value="all">all Tx (best server)</option> : null}
        </select>
      </div>
      {scene && setup ? (
        <>
          <div className="row">
            <span className="inline">
              plane z
              <NumberField
                label="radio map plane height z (m)"
                testId="heatmap-z"
                value={setup.z}
                check={positionCheck(scene, 2, 'plane z')}
                onCommit={(v) => studio.set({ heatmapZ: v, heatmapConfirm: null })}
                width={48}
              />
              m
            </span>
            <span className="inline">
              cell
              <NumberField
                label="cell size (m)"
                testId="heatmap-cell"
                value={cell}
                check={allOf(above(0, ' m', 'the cell size'), between(0.001, 1000, ' m', 'the cell size'))}
                onCommit={(v) => studio.set({ heatmapCell: v, heatmapConfirm: null })}
                width={48}
              />
              m
            </span>
            <span
              className="inline"
              title="Web Workers that share a map on the CPU (1: one worker); the cells are the same"
            >
              workers
              <NumberField
                label="radio map workers"
                testId="heatmap-workers"
                value={mapWorkers}
                check={between(1, MAX_MAP_WORKERS, '', 'the number of workers')}
                onCommit={(v) => studio.set({ mapWorkers: Math.round(v) })}
                width={32}
              />
            </span>
          </div>
          <div className="map-area" data-testid="heatmap-area">
            <span>x</span>
            <NumberField
              label="radio map xmin (m)"
              testId="heatmap-xmin"
              value={setup.bounds[0]}
              check={boundCheck(0)}
              onCommit={(v) => setBound(0, v)}
            />
            <span>…</span>
            <NumberField
              label="radio map xmax (m)"
              testId="heatmap-xmax"
              value={setup.bounds[2]}
              check={boundCheck(2)}
              onCommit={(v) => setBound(2, v)}
            />
            <span>y</span>
            <NumberField
              label="radio map ymin (m)"
              testId="heatmap-ymin"
              value={setup.bounds[1]}
              check={boundCheck(1)}
              onCommit={(v) => setBound(1, v)}
            />
            <span>…</span>
            <NumberField
              label="radio map ymax (m)"
              testId="heatmap-ymax"
              value={setup.bounds[3]}
              check={boundCheck(3)}
              onCommit={(v) => setBound(3, v)}
            />
          </div>
          <div className="row">
            <button
              type="button"
              className={drag ? 'active' : ''}
              aria-pressed={drag}
              data-testid="heatmap-drag-area"
              onClick={() => studio.set({ heatmapAreaDrag: !drag })}
              title="Drag a rectangle in the 3D view at the plane's height (Esc cancels)"
            >
              Drag area
            </button>
            <button
              type="button"
              data-testid="heatmap-whole-scene"
              onClick={() => studio.set({ heatmapBounds: null, heatmapConfirm: null })}
              title="The whole footprint of the scene"
            >
              Whole scene
            </button>
          </div>
          <p
            className="dim small"
            data-testid="heatmap-cells"
            data-cells={cells}
            data-nx={setup.grid?.nx}
            data-ny={setup.grid?.ny}
          >
            {setup.grid ? (
              <>
                {setup.grid.nx} × {setup.grid.ny} = {cells.toLocaleString('en-US')} cells
                {setup.bestServer ? ` × ${setup.txs.length} Tx` : ''} ·{' '}
                <span data-testid="heatmap-estimate">
                  {estimateShown
                    ? `≈ ${fmtSeconds(estimateShown.seconds)} on ${estimateShown.backendLabel}${estimateShown.probeCells ? ` (timed on ${estimateShown.probeCells} cells)` : ' (last map)'}`
                    : 'time not estimated'}
                </span>{' '}
                {!estimateShown && setup.txs.length > 0 ? (
                  <button
                    type="button"
                    className="link"
                    data-testid="heatmap-estimate-button"
                    onClick={() => void estimateHeatmap()}
                  >
                    estimate
                  </button>
                ) : null}
              </>
            ) : (
              <span className="field-error">{setup.problem}</span>
            )}
          </p>
          {confirm ? (
            <div
              className="confirm"
              role="alertdialog"
              aria-label="Confirm a large radio map"
              data-testid="heatmap-confirm"
            >
              <p>
                {confirm.cells.toLocaleString('en-US')} cells (more than{' '}
                {CONFIRM_CELLS.toLocaleString('en-US')})
                {confirm.seconds !== undefined
                  ? `, ≈ ${fmtSeconds(confirm.seconds)}`
                  : ', estimating the time…'}
                . Compute anyway?
              </p>
              <button
                type="button"
                className="primary"
                data-testid="heatmap-confirm-yes"
                onClick={() => void computeHeatmap({ confirmed: true })}
              >
                Compute {confirm.cells.toLocaleString('en-US')} cells
              </button>{' '}
              <button
                type="button"
                data-testid="heatmap-confirm-no"
                onClick={() => studio.set({ heatmapConfirm: null })}
              >
                Cancel
              </button>
            </div>
          ) : null}
          <ColorRangeControls range={range} lo={lo} hi={hi} />
        </>
      ) : null}
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="heatmap-button"
          onClick={() => void computeHeatmap()}
          title="Compute radio map (H)"
        >
          Compute <kbd>H</kbd>
        </button>
        {map
          ? EXPORTS.map(([format, title]) => (
              <button
                key={format}
                type="button"
                data-testid={`heatmap-export-${format}`}
                onClick={() => exportHeatmap(format)}
                title={title}
              >
                {format.toUpperCase()}
              </button>
            ))
          : null}
      </div>
      {map ? (
        <div
          className="legend"
          data-testid="heatmap-legend"
          data-metric={shownMetric}
          data-lo={lo}
          data-hi={hi}
        >
          <div className="legend-title">
            {meta.label} ({meta.unit})
          </div>
          <div className="colorbar" style={{ background: VIRIDIS_GRADIENT }} />
          <div className="legend-ticks">
            <span>{lo.toFixed(1)}</span>
            <span>{((lo + hi) / 2).toFixed(1)}</span>
            <span>
              {hi.toFixed(1)} {meta.unit}
            </span>
          </div>
          <div className="legend-swatches" data-testid="heatmap-swatches">
            <span>
              <span className="swatch" style={{ background: rgb(NO_PATH_RGB) }} />
              {NO_PATH_LABEL}
            </span>
            {shownMetric === 'k-factor' ? (
              <span>
                <span className="swatch" style={{ background: rgb(SINGLE_PATH_RGB) }} />
                {SINGLE_PATH_LABEL}
              </span>
            ) : null}
          </div>
          <div className="dim small" data-testid="heatmap-hover">
            {hover
              ? `(${hover.x.toFixed(2)}, ${hover.y.toFixed(2)}) m: ${describeCell(hover.value, meta.unit)}`
              : 'hover the map for values'}
          </div>
        </div>
      ) : (
        <p className="dim">Place a Tx, then compute (H).</p>
      )}
    </section>
  );
}

/** Auto (percentiles of the map's values) or manual colour range. */
function ColorRangeControls({ range, lo, hi }: { range: ColorRange; lo: number; hi: number }) {
  const set = (r: ColorRange) => studio.set({ heatmapRange: r });
  const pct = between(0, 100, ' %', 'a percentile');
  return (
    <div className="row small" data-testid="heatmap-range" data-mode={range.mode}>
      <select
        aria-label="colour range"
        data-testid="heatmap-range-mode"
        value={range.mode}
        style={{ width: 'auto' }}
        onChange={(e) =>
          set(
            e.currentTarget.value === 'manual'
              ? { mode: 'manual', min: Number(lo.toPrecision(4)), max: Number(hi.toPrecision(4)) }
              : { mode: 'auto', lowPercentile: 2, highPercentile: 98 },
          )
        }
      >
        <option value="auto">colours: percentiles</option>
        <option value="manual">colours: manual</option>
      </select>
      {range.mode === 'auto' ? (
        <>
          <NumberField
            label="colour range low percentile"
            testId="heatmap-range-low"
            value={range.lowPercentile}
            check={allOf(pct, (v) =>
              v < range.highPercentile
                ? undefined
                : `must be below the high percentile (${range.highPercentile})`,
            )}
            onCommit={(v) => set({ ...range, lowPercentile: v })}
            width={36}
          />
          –
          <NumberField
            label="colour range high percentile"
            testId="heatmap-range-high"
            value={range.highPercentile}
            check={allOf(pct, (v) =>
              v > range.lowPercentile
                ? undefined
                : `must be above the low percentile (${range.lowPercentile})`,
            )}
            onCommit={(v) => set({ ...range, highPercentile: v })}
            width={36}
          />
          %
        </>
      ) : (
        <>
          <NumberField
            label="colour range minimum"
            testId="heatmap-range-min"
            value={range.min}
            check={(v) =>
              v < range.max ? undefined : `the minimum must be below the maximum (${range.max})`
            }
            onCommit={(v) => set({ ...range, min: v })}
            width={48}
          />
          –
          <NumberField
            label="colour range maximum"
            testId="heatmap-range-max"
            value={range.max}
            check={(v) =>
              v > range.min ? undefined : `the maximum must be above the minimum (${range.min})`
            }
            onCommit={(v) => set({ ...range, max: v })}
            width={48}
          />
        </>
      )}
    </div>
  );
}
