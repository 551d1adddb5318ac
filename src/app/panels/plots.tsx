const W = 300;
const H = 120;
const M = { l: 34, r: 6, t: 6, b: 22 };

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
