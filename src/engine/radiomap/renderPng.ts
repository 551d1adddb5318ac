import { encodePng } from '../core/image.ts';
import { viridis } from './colormap.ts';
import { drawText, GLYPH_HEIGHT, textWidth } from './font.ts';
import { metricValues, type RadioMap, type RadioMapMetric } from './radioMap.ts';

/**
 * A radio map as a PNG: the grid (north up: row ny−1 at the top) in viridis, cells without a
 * path in grey, the transmitter as a white cross, and a colour bar with ticks, the metric's
 * name and its unit on the right.
 */
export function renderRadioMapPng(
  map: RadioMap,
  metric: RadioMapMetric,
  options: { range?: [number, number] } = {},
): Uint8Array {
  const { values, unit, label } = metricValues(map, metric);
  const { nx, ny } = map.grid;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (options.range) [lo, hi] = options.range;
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-9) hi = lo + 1;
  // at least ~400 px on the long side, whole pixels per cell; huge grids are subsampled
  const scale = Math.max(1, Math.floor(400 / Math.max(nx, ny)));
  const step = Math.max(1, Math.ceil(Math.max(nx, ny) / 2000));
  const mapW = Math.ceil(nx / step) * scale;
  const mapH = Math.ceil(ny / step) * scale;
  const margin = 10;
  const barW = 20;
  const labelScale = 2;
  const legendW = barW + 12 + textWidth('-000.0', labelScale) + 10;
  const titleH = GLYPH_HEIGHT * labelScale + 12;
  const width = margin + mapW + margin + legendW;
  const height = titleH + Math.max(mapH, 200) + margin;
  const rgba = new Uint8Array(4 * width * height).fill(255);
  const put = (x: number, y: number, c: [number, number, number]) => {
    const o = 4 * (y * width + x);
    rgba[o] = c[0];
    rgba[o + 1] = c[1];
    rgba[o + 2] = c[2];
    rgba[o + 3] = 255;
  };
  for (let py = 0; py < mapH; py++) {
    const iy = ny - 1 - Math.min(ny - 1, Math.floor(py / scale) * step);
    for (let px = 0; px < mapW; px++) {
      const ix = Math.min(nx - 1, Math.floor(px / scale) * step);
      const v = values[iy * nx + ix]!;
      put(margin + px, titleH + py, Number.isNaN(v) ? [160, 160, 160] : viridis((v - lo) / (hi - lo)));
    }
  }
  // transmitter marker
  const tx = Math.round(((map.tx[0] - map.grid.xmin) / map.grid.cellSize / step) * scale);
  const ty = mapH - 1 - Math.round(((map.tx[1] - map.grid.ymin) / map.grid.cellSize / step) * scale);
  for (let k = -5; k <= 5; k++) {
    for (const [x, y] of [
      [tx + k, ty],
      [tx, ty + k],
    ] as const) {
      if (x >= 0 && y >= 0 && x < mapW && y < mapH) put(margin + x, titleH + y, [255, 255, 255]);
    }
  }
  // title and colour bar
  drawText(rgba, width, height, `${label} (${unit})`, margin, 6, [0, 0, 0], labelScale);
  const barX = margin + mapW + margin;
  const barH = Math.max(mapH, 200);
  for (let y = 0; y < barH; y++) {
    const c = viridis(1 - y / (barH - 1));
    for (let x = 0; x < barW; x++) put(barX + x, titleH + y, c);
  }
  const ticks = 5;
  for (let k = 0; k < ticks; k++) {
    const v = hi - ((hi - lo) * k) / (ticks - 1);
    const y = titleH + Math.round(((barH - 1) * k) / (ticks - 1));
    for (let x = 0; x < 6; x++) put(barX + barW + x, Math.min(height - 1, y), [0, 0, 0]);
    const digits = Math.abs(hi - lo) < 10 ? 2 : 1;
    drawText(
      rgba,
      width,
      height,
      v.toFixed(digits),
      barX + barW + 8,
      Math.min(height - GLYPH_HEIGHT * labelScale, Math.max(0, y - GLYPH_HEIGHT)),
      [0, 0, 0],
      labelScale,
    );
  }
  return encodePng({ width, height, data: rgba });
}
