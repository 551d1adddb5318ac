import { useEffect, useRef } from 'react';
import type { CalibrationIteration } from '../worker/protocol.ts';

/**
 * The calibration's live plots (loss curve, parameter trajectories), redrawn several times a
 * second while the optimiser runs. They are drawn on small 2D canvases, not SVG: with the
 * software GPU of the test machine, re-rasterising SVG polylines at every update stalled the
 * page's frames for 150–600 ms (measured by e2e/10-responsive), a canvas redraw costs ~1 ms.
 */
const W = 260;
const H = 90;

export const TRAJECTORY_COLORS = [
  '#fde725',
  '#35b779',
  '#31688e',
  '#e76f51',
  '#c77dff',
  '#8ecae6',
  '#ffb703',
];

/** At most one point per pixel column (first and last kept): long Adam runs have thousands. */
function decimate<T>(xs: T[], width: number): T[] {
  const step = Math.ceil(xs.length / width);
  if (step <= 1) return xs;
  const out = xs.filter((_, i) => i % step === 0);
  if (out.at(-1) !== xs.at(-1)) out.push(xs.at(-1)!);
  return out;
}

/** A W×H canvas drawn by `draw` after each render (~1 ms), sharp on high-DPI screens. */
function usePlotCanvas(draw: (ctx: CanvasRenderingContext2D, text: string) => void) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    // willReadFrequently keeps the canvas in CPU memory, drawn by the CPU: a GPU-accelerated
    // canvas would go through the (software) GPU process like SVG did
    const ctx = c?.getContext('2d', { willReadFrequently: true });
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== W * dpr) {
      c.width = W * dpr;
      c.height = H * dpr;
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.font = '9px sans-serif';
    draw(ctx, getComputedStyle(c).color);
  });
  return ref;
}

function polyline(ctx: CanvasRenderingContext2D, pts: [number, number][], colour: string, width: number) {
  ctx.beginPath();
  for (const [i, [x, y]] of pts.entries()) {
    if (i) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
  }
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.stroke();
}

/** Loss per iteration on a log scale (the loss spans decades when LM converges). */
export function LossCurve({ history }: { history: CalibrationIteration[] }) {
  const valid = history.filter((h) => h.loss > 0 && Number.isFinite(h.loss));
  const ref = usePlotCanvas((ctx, text) => {
    const pts = decimate(valid, W);
    if (pts.length === 0) return;
    const logs = pts.map((h) => Math.log10(h.loss));
    const lo = Math.min(...logs);
    const hi = Math.max(...logs);
    const n = Math.max(1, pts.at(-1)!.iteration);
    ctx.fillStyle = text;
    ctx.fillText((10 ** hi).toPrecision(3), 2, 12);
    ctx.fillText((10 ** lo).toPrecision(3), 2, H - 12);
    ctx.fillText(`iteration ${n}`, W - 60, H - 2);
    polyline(
      ctx,
      pts.map((h, k) => [
        (h.iteration / n) * (W - 40) + 36,
        hi > lo ? 6 + ((hi - logs[k]!) / (hi - lo)) * (H - 20) : H / 2,
      ]),
      '#fde725',
      1.5,
    );
  });
  if (valid.length === 0) return <p className="dim">loss curve appears here</p>;
  return (
    <canvas
      ref={ref}
      className="live-plot"
      style={{ width: W, height: H }}
      role="img"
      aria-label="calibration loss per iteration (log scale)"
      data-testid="loss-curve"
      data-points={valid.length}
    />
  );
}

/** Each parameter relative to its first value per iteration (log₂ scale: ±1 = ×2 or ÷2). */
export function Trajectories({ history, labels }: { history: CalibrationIteration[]; labels: string[] }) {
  const first = history[0];
  const ref = usePlotCanvas((ctx, text) => {
    if (!first || history.length < 2) return;
    const pts = decimate(history, W);
    const rel = pts.map((h) => h.theta.map((v, k) => Math.log2(v / first.theta[k]!)));
    const all = rel.flat().filter(Number.isFinite);
    const span = Math.max(0.05, ...all.map(Math.abs));
    const n = Math.max(1, pts.at(-1)!.iteration);
    const x = (it: number) => 4 + (it / n) * (W - 8);
    const y = (v: number) => H / 2 - (v / span) * (H / 2 - 6);
    ctx.setLineDash([2, 3]);
    polyline(
      ctx,
      [
        [0, H / 2],
        [W, H / 2],
      ],
      '#555',
      1,
    );
    ctx.setLineDash([]);
    ctx.fillStyle = text;
    ctx.fillText(`×${(2 ** span).toPrecision(3)}`, 2, 10);
    first.theta.forEach((_, k) => {
      polyline(
        ctx,
        pts.map((h, i) => [x(h.iteration), y(rel[i]![k]!)]),
        TRAJECTORY_COLORS[k % TRAJECTORY_COLORS.length]!,
        1.2,
      );
    });
  });
  if (!first || history.length < 2) return null;
  return (
    <canvas
      ref={ref}
      className="live-plot"
      style={{ width: W, height: H }}
      role="img"
      aria-label={`parameter trajectories, log2 of value over initial value: ${first.theta.map((_, k) => labels[k] ?? `parameter ${k + 1}`).join(', ')}`}
      data-testid="trajectory-plot"
      data-series={first.theta.length}
    />
  );
}
