import { cabs2 } from '../../engine/core/index.ts';
import type { Path } from '../../engine/tracer/index.ts';
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

/** About five round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10ᵏ). */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

const BEFORE_COLOUR = '#9aa5b1';
const AFTER_COLOUR = '#fde725';
const SQ = 200;
const SM = { l: 38, r: 8, t: 8, b: 30 };

type Pair = { measured: number; predicted: number };

/**
 * Measured against predicted received power (dB) for every sounding, with the nominal
 * materials (before, grey rings) and the calibrated ones (after, yellow dots); the diagonal is
 * a perfect prediction. Same range on both axes so distances to the diagonal read as errors.
 */
export function PowerScatter({ before, after, unit }: { before: Pair[]; after: Pair[]; unit: string }) {
  const all = [...before, ...after].flatMap((p) => [p.measured, p.predicted]);
  if (all.length === 0) return <p className="dim">no sounding to compare</p>;
  const pad = 1;
  const lo = Math.floor(Math.min(...all) - pad);
  const hi = Math.ceil(Math.max(...all) + pad);
  const inner = SQ - SM.l - SM.r;
  const x = (v: number) => SM.l + ((v - lo) / (hi - lo)) * inner;
  const y = (v: number) => SM.t + ((hi - v) / (hi - lo)) * inner;
  const ticks = niceTicks(lo, hi, 4);
  const H2 = SM.t + inner + SM.b;
  return (
    <svg
      viewBox={`0 0 ${SQ} ${H2}`}
      className="plot square"
      role="img"
      aria-label={`measured against predicted ${unit}, before and after calibration`}
      data-testid="error-scatter"
      data-before-points={before.length}
      data-after-points={after.length}
    >
      <rect x={SM.l} y={SM.t} width={inner} height={inner} className="plot-frame" />
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={SM.t} y2={SM.t + inner} className="plot-grid" />
          <line x1={SM.l} x2={SM.l + inner} y1={y(t)} y2={y(t)} className="plot-grid" />
          <text x={x(t)} y={SM.t + inner + 10} className="plot-tick" textAnchor="middle">
            {t}
          </text>
          <text x={SM.l - 3} y={y(t) + 3} className="plot-tick" textAnchor="end">
            {t}
          </text>
        </g>
      ))}
      <line x1={x(lo)} y1={y(lo)} x2={x(hi)} y2={y(hi)} stroke="#666" strokeDasharray="3 3" />
      <text x={SM.l + inner / 2} y={H2 - 4} className="plot-label" textAnchor="middle">
        measured {unit}
      </text>
      <text
        x={10}
        y={SM.t + inner / 2}
        className="plot-label"
        textAnchor="middle"
        transform={`rotate(-90 10 ${SM.t + inner / 2})`}
      >
        predicted {unit}
      </text>
      <g data-testid="scatter-before">
        {before.map((p, i) => (
          <circle
            // biome-ignore lint/suspicious/noArrayIndexKey: soundings keep their order
            key={i}
            cx={x(p.measured)}
            cy={y(p.predicted)}
            r={2.6}
            fill="none"
            stroke={BEFORE_COLOUR}
            strokeWidth={1}
          />
        ))}
      </g>
      <g data-testid="scatter-after">
        {after.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: soundings keep their order
          <circle key={i} cx={x(p.measured)} cy={y(p.predicted)} r={2} fill={AFTER_COLOUR} />
        ))}
      </g>
      <circle cx={SM.l + 8} cy={SM.t + 8} r={2.6} fill="none" stroke={BEFORE_COLOUR} />
      <text x={SM.l + 14} y={SM.t + 11} className="plot-tick">
        before
      </text>
      <circle cx={SM.l + 8} cy={SM.t + 19} r={2} fill={AFTER_COLOUR} />
      <text x={SM.l + 14} y={SM.t + 22} className="plot-tick">
        after
      </text>
    </svg>
  );
}

/**
 * Empirical CDF of the absolute error |predicted − measured| (dB) over the soundings, before
 * and after calibration, with each median marked (dashed).
 */
export function ErrorCdf({
  before,
  after,
  medianBefore,
  medianAfter,
}: {
  before: number[];
  after: number[];
  medianBefore: number;
  medianAfter: number;
}) {
  const n = Math.max(before.length, after.length);
  if (n === 0) return null;
  const hi = Math.max(0.5, ...before, ...after) * 1.05;
  const ticks = niceTicks(0, hi, 4);
  const x = (v: number) => M.l + (v / hi) * (W - M.l - M.r);
  const y = (f: number) => M.t + (1 - f) * (H - M.t - M.b);
  // staircase: the CDF jumps by 1/n at each sorted error
  const steps = (sorted: number[]) => {
    const pts = [`${x(0).toFixed(1)},${y(0).toFixed(1)}`];
    sorted.forEach((e, i) => {
      pts.push(`${x(e).toFixed(1)},${y(i / sorted.length).toFixed(1)}`);
      pts.push(`${x(e).toFixed(1)},${y((i + 1) / sorted.length).toFixed(1)}`);
    });
    pts.push(`${x(hi).toFixed(1)},${y(1).toFixed(1)}`);
    return pts.join(' ');
  };
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="plot"
      role="img"
      aria-label="CDF of the absolute power error before and after calibration"
      data-testid="error-cdf"
      data-before-points={before.length}
      data-after-points={after.length}
      data-median-before={medianBefore}
      data-median-after={medianAfter}
    >
      <rect x={M.l} y={M.t} width={W - M.l - M.r} height={H - M.t - M.b} className="plot-frame" />
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={M.l} x2={W - M.r} y1={y(f)} y2={y(f)} className="plot-grid" />
          <text x={M.l - 3} y={y(f) + 3} className="plot-tick" textAnchor="end">
            {f}
          </text>
        </g>
      ))}
      {ticks.map((t) => (
        <text key={t} x={x(t)} y={H - M.b + 11} className="plot-tick" textAnchor="middle">
          {t}
        </text>
      ))}
      <text x={(W + M.l) / 2} y={H - 2} className="plot-label" textAnchor="middle">
        |predicted − measured| (dB)
      </text>
      <text
        x={8}
        y={(H - M.b) / 2}
        className="plot-label"
        textAnchor="middle"
        transform={`rotate(-90 8 ${(H - M.b) / 2})`}
      >
        CDF
      </text>
      <polyline
        points={steps(before)}
        fill="none"
        stroke={BEFORE_COLOUR}
        strokeWidth={1.3}
        data-testid="cdf-before"
      />
      <polyline
        points={steps(after)}
        fill="none"
        stroke={AFTER_COLOUR}
        strokeWidth={1.5}
        data-testid="cdf-after"
      />
      {[
        { m: medianBefore, c: BEFORE_COLOUR },
        { m: medianAfter, c: AFTER_COLOUR },
      ]
        .filter((q) => Number.isFinite(q.m))
        .map((q) => (
          <line key={q.c} x1={x(q.m)} x2={x(q.m)} y1={y(0)} y2={y(0.5)} stroke={q.c} strokeDasharray="2 2" />
        ))}
    </svg>
  );
}
