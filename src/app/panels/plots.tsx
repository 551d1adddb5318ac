import { cabs2 } from '../../engine/complex.ts';
import type { Path } from '../../engine/tracer/path.ts';
import { viridisCss } from '../colors.ts';

const W = 300;
const H = 120;
const M = { l: 34, r: 6, t: 6, b: 22 };

/** Power-delay profile: one stem per path, power in dB relative to the strongest, delay in ns. */
export function PowerDelayProfile({ paths, rangeDb = 50 }: { paths: Path[]; rangeDb?: number }) {
  const pts = paths
    .map((p) => ({ d: p.delay * 1e9, g: 10 * Math.log10(cabs2(p.a)) }))
    .filter((p) => Number.isFinite(p.g));
  if (pts.length === 0) return <p className="dim">no paths</p>;
  const gMax = Math.max(...pts.map((p) => p.g));
  const dMin = Math.min(...pts.map((p) => p.d));
  const dMax = Math.max(...pts.map((p) => p.d));
  const span = Math.max(1, dMax - dMin) * 1.08;
  const x0 = Math.max(0, dMin - 0.04 * span);
  const x = (d: number) => M.l + ((d - x0) / span) * (W - M.l - M.r);
  const y = (g: number) => M.t + (Math.min(rangeDb, gMax - g) / rangeDb) * (H - M.t - M.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => x0 + f * span);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="plot"
      role="img"
      aria-label="power-delay profile"
      data-testid="pdp-plot"
    >
      <rect x={M.l} y={M.t} width={W - M.l - M.r} height={H - M.t - M.b} className="plot-frame" />
      {[0, 10, 20, 30, 40, 50]
        .filter((d) => d <= rangeDb)
        .map((d) => (
          <g key={d}>
            <line x1={M.l} x2={W - M.r} y1={y(gMax - d)} y2={y(gMax - d)} className="plot-grid" />
            <text x={M.l - 3} y={y(gMax - d) + 3} className="plot-tick" textAnchor="end">
              {(gMax - d).toFixed(0)}
            </text>
          </g>
        ))}
      {ticks.map((d) => (
        <text key={d} x={x(d)} y={H - M.b + 11} className="plot-tick" textAnchor="middle">
          {d.toFixed(1)}
        </text>
      ))}
      <text x={(W + M.l) / 2} y={H - 2} className="plot-label" textAnchor="middle">
        delay (ns)
      </text>
      {pts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paths of one trace are in fixed order
        <g key={i}>
          <line
            x1={x(p.d)}
            x2={x(p.d)}
            y1={H - M.b}
            y2={y(p.g)}
            stroke={viridisCss(1 - (gMax - p.g) / rangeDb)}
            strokeWidth={1.5}
          />
          <circle cx={x(p.d)} cy={y(p.g)} r={2} fill={viridisCss(1 - (gMax - p.g) / rangeDb)} />
        </g>
      ))}
    </svg>
  );
}

/** Angles of arrival: azimuth around the circle, power (dB over the strongest 40 dB) as radius. */
export function AngleOfArrivalPlot({ paths, rangeDb = 40 }: { paths: Path[]; rangeDb?: number }) {
  const pts = paths
    .map((p) => ({ az: p.aoa.azimuthDeg, g: 10 * Math.log10(cabs2(p.a)) }))
    .filter((p) => Number.isFinite(p.g));
  if (pts.length === 0) return null;
  const gMax = Math.max(...pts.map((p) => p.g));
  const S = 120;
  const c = S / 2;
  const R = S / 2 - 12;
  const r = (g: number) => R * Math.max(0, 1 - (gMax - g) / rangeDb);
  return (
    <svg
      viewBox={`0 0 ${S} ${S}`}
      className="plot polar"
      role="img"
      aria-label="angle of arrival"
      data-testid="aoa-plot"
    >
      {[1, 0.75, 0.5, 0.25].map((f) => (
        <circle key={f} cx={c} cy={c} r={R * f} className="plot-grid" fill="none" />
      ))}
      <line x1={c - R} x2={c + R} y1={c} y2={c} className="plot-grid" />
      <line x1={c} x2={c} y1={c - R} y2={c + R} className="plot-grid" />
      <text x={c + R + 2} y={c + 3} className="plot-tick">
        0°
      </text>
      <text x={c - 6} y={c - R - 3} className="plot-tick">
        90°
      </text>
      {pts.map((p, i) => {
        const a = (p.az * Math.PI) / 180;
        const rr = r(p.g);
        const col = viridisCss(1 - (gMax - p.g) / rangeDb);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: paths of one trace are in fixed order
          <g key={i}>
            <line
              x1={c}
              y1={c}
              x2={c + rr * Math.cos(a)}
              y2={c - rr * Math.sin(a)}
              stroke={col}
              strokeWidth={1.2}
            />
            <circle cx={c + rr * Math.cos(a)} cy={c - rr * Math.sin(a)} r={2} fill={col} />
          </g>
        );
      })}
    </svg>
  );
}
