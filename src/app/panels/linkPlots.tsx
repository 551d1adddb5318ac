import { memo, useState } from 'react';
import { cabs2 } from '../../engine/core/index.ts';
import type { Path } from '../../engine/tracer/index.ts';
import { viridisCss } from '../colors.ts';
import { studio, useStudio } from '../store.ts';
import { niceTicks } from './plots.tsx';

/**
 * The selected link's channel as a radio engineer reads it: power-delay profile and impulse
 * response magnitude against delay, angles of departure and arrival on polar plots, and a
 * sortable table of the paths. Hovering a path anywhere here highlights it in the 3D view.
 */

const TYPE_LETTER = { reflection: 'R', transmission: 'T', scattering: 'S', diffraction: 'D' } as const;

/** "LoS", or the interactions in order: R reflection, T transmission, S scattering, D diffraction ("R·T"). */
export const typeSequence = (p: Path) =>
  p.interactions.length === 0 ? 'LoS' : p.interactions.map((i) => TYPE_LETTER[i.type]).join('·');

export const gainDb = (p: Path) => 10 * Math.log10(cabs2(p.a));

/** Highlight path `path` of link `link` in the 3D view (null: none), from a plot or the table. */
function hover(link: number, path: number | null) {
  const h = studio.get().hoveredPath;
  if (path === null) {
    if (h?.fromTable) studio.set({ hoveredPath: null });
  } else if (h?.link !== link || h.path !== path) {
    studio.set({ hoveredPath: { link, path, x: 0, y: 0, fromTable: true } });
  }
}

const W = 320;
const M = { l: 46, r: 10, t: 10, b: 34 };

interface Stem {
  index: number;
  delayNs: number;
  value: number;
}

/** The stem nearest to the pointer in x (within 8 px), for hover on a stem plot. */
function nearestStem(stems: Stem[], x: (d: number) => number, px: number): Stem | undefined {
  let best: Stem | undefined;
  let bestD = 8;
  for (const s of stems) {
    const d = Math.abs(x(s.delayNs) - px);
    if (d < bestD) {
      bestD = d;
      best = s;
    }
  }
  return best;
}

/**
 * A stem plot against delay (ns): axis titles with units, round ticks, and a read-out of the
 * stem under the pointer (which also highlights that path in 3D).
 */
function StemPlot({
  link,
  paths,
  stems,
  yLabel,
  yFloor,
  yFormat,
  readout,
  testId,
  title,
}: {
  link: number;
  paths: Path[];
  stems: Stem[];
  yLabel: string;
  /** lowest value drawn (stems start here) */
  yFloor: number;
  yFormat: (v: number) => string;
  readout: (p: Path, s: Stem) => string;
  testId: string;
  title: string;
}) {
  const [hovered, setHovered] = useState<Stem | null>(null);
  const H = 160;
  const dMin = Math.min(...stems.map((s) => s.delayNs));
  const dMax = Math.max(...stems.map((s) => s.delayNs));
  const pad = Math.max(0.5, 0.05 * (dMax - dMin));
  const x0 = Math.max(0, dMin - pad);
  const x1 = dMax + pad;
  const yMax = Math.max(...stems.map((s) => s.value));
  const y0 = yFloor;
  const y1 = yMax + 0.05 * (yMax - yFloor || 1);
  const x = (d: number) => M.l + ((d - x0) / (x1 - x0)) * (W - M.l - M.r);
  const y = (v: number) => M.t + ((y1 - Math.max(v, y0)) / (y1 - y0)) * (H - M.t - M.b);
  const xt = niceTicks(x0, x1, 5);
  const yt = niceTicks(y0, y1, 4);
  const colour = (v: number) => viridisCss((v - y0) / (y1 - y0 || 1));
  const path = hovered ? paths[hovered.index] : undefined;
  return (
    <figure className="link-plot">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="plot"
        role="img"
        aria-label={title}
        data-testid={testId}
        data-stems={stems.length}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const px = ((e.clientX - r.left) / r.width) * W;
          const s = nearestStem(stems, x, px) ?? null;
          setHovered(s);
          hover(link, s ? s.index : null);
        }}
        onMouseLeave={() => {
          setHovered(null);
          hover(link, null);
        }}
      >
        <rect x={M.l} y={M.t} width={W - M.l - M.r} height={H - M.t - M.b} className="plot-frame" />
        {yt.map((v) => (
          <g key={`y${v}`}>
            <line x1={M.l} x2={W - M.r} y1={y(v)} y2={y(v)} className="plot-grid" />
            <text x={M.l - 4} y={y(v) + 3.5} className="plot-tick" textAnchor="end">
              {yFormat(v)}
            </text>
          </g>
        ))}
        {xt.map((d) => (
          <g key={`x${d}`}>
            <line x1={x(d)} x2={x(d)} y1={M.t} y2={H - M.b} className="plot-grid" />
            <text x={x(d)} y={H - M.b + 13} className="plot-tick" textAnchor="middle">
              {d}
            </text>
          </g>
        ))}
        <text x={(W + M.l - M.r) / 2} y={H - 4} className="plot-label" textAnchor="middle">
          delay τ (ns)
        </text>
        <text
          x={11}
          y={(H - M.b + M.t) / 2}
          className="plot-label"
          textAnchor="middle"
          transform={`rotate(-90 11 ${(H - M.b + M.t) / 2})`}
        >
          {yLabel}
        </text>
        {stems.map((s) => (
          <g key={s.index} opacity={hovered && hovered !== s ? 0.55 : 1}>
            <line
              x1={x(s.delayNs)}
              x2={x(s.delayNs)}
              y1={y(y0)}
              y2={y(s.value)}
              stroke={colour(s.value)}
              strokeWidth={hovered === s ? 2.5 : 1.4}
            />
            <circle cx={x(s.delayNs)} cy={y(s.value)} r={hovered === s ? 3.5 : 2.2} fill={colour(s.value)} />
          </g>
        ))}
        {hovered && path ? (
          <g data-testid={`${testId}-readout`} pointerEvents="none">
            <rect
              x={Math.min(x(hovered.delayNs) + 6, W - M.r - 150)}
              y={M.t + 2}
              width={148}
              height={30}
              className="plot-readout"
            />
            <text x={Math.min(x(hovered.delayNs) + 10, W - M.r - 146)} y={M.t + 14} className="plot-tick">
              #{hovered.index + 1} {typeSequence(path)} · τ {hovered.delayNs.toFixed(3)} ns
            </text>
            <text x={Math.min(x(hovered.delayNs) + 10, W - M.r - 146)} y={M.t + 27} className="plot-tick">
              {readout(path, hovered)}
            </text>
          </g>
        ) : null}
      </svg>
    </figure>
  );
}

/** Dynamic range of the power-delay profile below its strongest path (dB). */
const PDP_RANGE_DB = 60;

/** Power-delay profile: path gain |a|² (dB) of each path at its delay. */
export const PowerDelayProfile = memo(function PowerDelayProfile({
  link,
  paths,
}: {
  link: number;
  paths: Path[];
}) {
  const stems = paths
    .map((p, index) => ({ index, delayNs: p.delay * 1e9, value: gainDb(p) }))
    .filter((s) => Number.isFinite(s.value));
  if (stems.length === 0) return <p className="dim">no paths</p>;
  const top = Math.max(...stems.map((s) => s.value));
  return (
    <StemPlot
      link={link}
      paths={paths}
      stems={stems}
      yFloor={Math.floor((top - PDP_RANGE_DB) / 10) * 10}
      yLabel="path gain |a|² (dB)"
      yFormat={(v) => String(v)}
      readout={(_, s) => `gain ${s.value.toFixed(2)} dB`}
      testId="pdp-plot"
      title="Power-delay profile"
    />
  );
});

/** Channel impulse response magnitude |h(τ)| = Σ |aᵢ| δ(τ − τᵢ), linear, scaled to a power of ten. */
export const ImpulseResponse = memo(function ImpulseResponse({
  link,
  paths,
}: {
  link: number;
  paths: Path[];
}) {
  const mags = paths.map((p) => Math.sqrt(cabs2(p.a)));
  const max = Math.max(0, ...mags.filter(Number.isFinite));
  if (!(max > 0)) return null;
  const exp = Math.floor(Math.log10(max));
  const scale = 10 ** -exp;
  const stems = paths
    .map((p, index) => ({ index, delayNs: p.delay * 1e9, value: mags[index]! * scale }))
    .filter((s) => Number.isFinite(s.value) && s.value > 0);
  return (
    <StemPlot
      link={link}
      paths={paths}
      stems={stems}
      yFloor={0}
      yLabel={`|h(τ)| (×10${superscript(exp)})`}
      yFormat={(v) => String(v)}
      readout={(p) =>
        `|a| ${Math.sqrt(cabs2(p.a)).toExponential(3)}, ∠a ${((Math.atan2(p.a.im, p.a.re) * 180) / Math.PI).toFixed(1)}°`
      }
      testId="cir-plot"
      title="Impulse response magnitude"
    />
  );
});

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) =>
  `${n < 0 ? '⁻' : ''}${String(Math.abs(n))
    .split('')
    .map((c) => SUPERSCRIPT[Number(c)])
    .join('')}`;

/** Dynamic range of the polar plots (dB below the strongest path at the centre). */
const POLAR_RANGE_DB = 40;

/** Azimuth of departure or arrival around the circle, path gain (over 40 dB) as radius. */
export const AnglePlot = memo(function AnglePlot({
  link,
  paths,
  which,
}: {
  link: number;
  paths: Path[];
  which: 'aoa' | 'aod';
}) {
  const hovered = useStudio((s) => (s.hoveredPath?.link === link ? s.hoveredPath.path : null));
  const pts = paths
    .map((p, index) => ({ index, az: p[which].azimuthDeg, el: p[which].elevationDeg, g: gainDb(p) }))
    .filter((p) => Number.isFinite(p.g));
  if (pts.length === 0) return null;
  const gMax = Math.max(...pts.map((p) => p.g));
  const S = 160;
  const c = S / 2;
  const R = S / 2 - 18;
  const r = (g: number) => R * Math.max(0, 1 - (gMax - g) / POLAR_RANGE_DB);
  const title = which === 'aoa' ? 'Arrival (AoA azimuth)' : 'Departure (AoD azimuth)';
  return (
    <figure className="link-plot polar">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${S} ${S}`}
        className="plot"
        role="img"
        aria-label={`${title}, radius: path gain over ${POLAR_RANGE_DB} dB`}
        data-testid={`${which}-plot`}
      >
        {[1, 0.75, 0.5, 0.25].map((f) => (
          <circle key={f} cx={c} cy={c} r={R * f} className="plot-grid" fill="none" />
        ))}
        <line x1={c - R} x2={c + R} y1={c} y2={c} className="plot-grid" />
        <line x1={c} x2={c} y1={c - R} y2={c + R} className="plot-grid" />
        <text x={c + R + 2} y={c + 3.5} className="plot-tick">
          0°
        </text>
        <text x={c} y={c - R - 4} className="plot-tick" textAnchor="middle">
          90°
        </text>
        <text x={c - R - 2} y={c + 3.5} className="plot-tick" textAnchor="end">
          180°
        </text>
        <text x={c} y={c + R + 12} className="plot-tick" textAnchor="middle">
          270°
        </text>
        <text x={c + 3} y={c - R + 10} className="plot-tick dim-tick">
          {gMax.toFixed(0)} dB
        </text>
        {pts.map((p) => {
          const a = (p.az * Math.PI) / 180;
          const rr = r(p.g);
          const col = viridisCss(1 - (gMax - p.g) / POLAR_RANGE_DB);
          const on = hovered === p.index;
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions: pointer highlight of a chart mark; the path table is the keyboard path
            <g key={p.index} onMouseEnter={() => hover(link, p.index)} onMouseLeave={() => hover(link, null)}>
              <title>
                #{p.index + 1} {typeSequence(paths[p.index]!)}: azimuth {p.az.toFixed(1)}°, elevation{' '}
                {p.el.toFixed(1)}°, {p.g.toFixed(1)} dB
              </title>
              <line
                x1={c}
                y1={c}
                x2={c + rr * Math.cos(a)}
                y2={c - rr * Math.sin(a)}
                stroke={on ? '#ffffff' : col}
                strokeWidth={on ? 2.5 : 1.3}
              />
              <circle
                cx={c + rr * Math.cos(a)}
                cy={c - rr * Math.sin(a)}
                r={on ? 4 : 2.5}
                fill={on ? '#ffffff' : col}
              />
            </g>
          );
        })}
      </svg>
    </figure>
  );
});

type SortKey = 'index' | 'type' | 'delay' | 'gain' | 'aod' | 'aoa';
const COLUMNS: { key: SortKey; label: string; title: string }[] = [
  { key: 'index', label: '#', title: 'path number (by delay)' },
  {
    key: 'type',
    label: 'type',
    title: 'interactions in order: R reflection, T transmission, S scattering, D diffraction',
  },
  { key: 'delay', label: 'τ (ns)', title: 'delay' },
  { key: 'gain', label: 'gain (dB)', title: 'path gain |a|²' },
  { key: 'aod', label: 'AoD az/el (°)', title: 'angle of departure: azimuth / elevation' },
  { key: 'aoa', label: 'AoA az/el (°)', title: 'angle of arrival: azimuth / elevation' },
];
/** Rows shown at most (the strongest first when sorted by gain); the plots show every path. */
const MAX_ROWS = 200;

/** Every path of the link, sortable by each column; hovering a row highlights the path in 3D. */
export const PathTable = memo(function PathTable({ link, paths }: { link: number; paths: Path[] }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'gain', descending: true });
  const hovered = useStudio((s) => (s.hoveredPath?.link === link ? s.hoveredPath.path : null));
  const value = (p: Path, i: number): number | string => {
    switch (sort.key) {
      case 'index':
        return i;
      case 'type':
        return typeSequence(p);
      case 'delay':
        return p.delay;
      case 'gain':
        return gainDb(p);
      case 'aod':
        return p.aod.azimuthDeg;
      case 'aoa':
        return p.aoa.azimuthDeg;
    }
  };
  const rows = paths
    .map((p, i) => ({ p, i, v: value(p, i) }))
    .sort((a, b) => {
      const c =
        typeof a.v === 'string' ? a.v.localeCompare(b.v as string) : (a.v as number) - (b.v as number);
      return (sort.descending ? -c : c) || a.i - b.i;
    });
  const shown = rows.slice(0, MAX_ROWS);
  return (
    <div className="path-table-wrap">
      <table
        className="path-table small"
        data-testid="path-table"
        data-sort={`${sort.key}:${sort.descending ? 'desc' : 'asc'}`}
      >
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                title={c.title}
              >
                <button
                  type="button"
                  className="sort"
                  data-testid={`sort-${c.key}`}
                  onClick={() =>
                    setSort((s) => ({
                      key: c.key,
                      descending: s.key === c.key ? !s.descending : c.key === 'gain',
                    }))
                  }
                >
                  {c.label}
                  {sort.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody onMouseLeave={() => hover(link, null)}>
          {shown.map(({ p, i }) => (
            <tr
              key={i}
              data-testid="path-row"
              data-path={i}
              className={hovered === i ? 'hovered' : ''}
              onMouseEnter={() => hover(link, i)}
            >
              <td>{i + 1}</td>
              <td>{typeSequence(p)}</td>
              <td>{(p.delay * 1e9).toFixed(3)}</td>
              <td>{gainDb(p).toFixed(2)}</td>
              <td>
                {p.aod.azimuthDeg.toFixed(1)} / {p.aod.elevationDeg.toFixed(1)}
              </td>
              <td>
                {p.aoa.azimuthDeg.toFixed(1)} / {p.aoa.elevationDeg.toFixed(1)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > MAX_ROWS ? (
        <p className="dim small">
          {MAX_ROWS} of {rows.length} paths shown (sorted by {sort.key})
        </p>
      ) : null}
    </div>
  );
});
