import { encodePng } from '../core/image.ts';
import { NO_PATH_RGB, SINGLE_PATH_RGB, viridis } from './colormap.ts';
import { type ColorRange, colorRangeOf } from './colorRange.ts';
import { drawText, GLYPH_HEIGHT, textWidth } from './font.ts';
import { cellState, metricValues, NO_PATH_LABEL, type RadioMapMetric, SINGLE_PATH_LABEL } from './metrics.ts';
import type { RadioMap } from './radioMap.ts';

/**
 * A radio map as a PNG: the grid (north up: row ny−1 at the top) in viridis over the colour
 * range (values outside it in the end colours), cells without a path in grey, K-factor cells of
 * a single path (K = ∞) in magenta, each transmitter as a white cross, a colour bar with ticks,
 * the metric's name and unit on the right, and swatches for the special cells below.
 */
export function renderRadioMapPng(
  map: RadioMap,
  metric: RadioMapMetric,
  options: { range?: ColorRange } = {},
): Uint8Array {
  const { values, unit, label } = metricValues(map, metric);
  const { nx, ny } = map.grid;
  const [lo, hi] = colorRangeOf(values, options.range);
  // at least ~400 px on the long side, whole pixels per cell; huge grids are subsampled
  const scale = Math.max(1, Math.floor(400 / Math.max(nx, ny)));
  const step = Math.max(1, Math.ceil(Math.max(nx, ny) / 2000));
  const mapW = Math.ceil(nx / step) * scale;
  const mapH = Math.ceil(ny / step) * scale;
  const margin = 10;
  const barW = 20;
  const labelScale = 2;
  const swatches: [string, [number, number, number]][] = [[NO_PATH_LABEL, NO_PATH_RGB]];
  if (metric === 'k-factor') swatches.push([SINGLE_PATH_LABEL, SINGLE_PATH_RGB]);
  const swatchH = GLYPH_HEIGHT * labelScale + 6;
  const legendW = barW + 12 + textWidth('-000.0', labelScale) + 10;
  const titleH = GLYPH_HEIGHT * labelScale + 12;
  const barH = Math.max(mapH, 200);
  const width = Math.max(
    margin + mapW + margin + legendW,
    margin + textWidth(`${label} (${unit})`, labelScale) + margin,
    ...swatches.map(([text]) => margin + swatchH + 6 + textWidth(text, labelScale) + margin),
  );
  const height = titleH + barH + margin + swatches.length * (swatchH + 4) + margin;
  const rgba = new Uint8Array(4 * width * height).fill(255);
  const put = (x: number, y: number, c: [number, number, number]) => {
    const o = 4 * (y * width + x);
    rgba[o] = c[0];
    rgba[o + 1] = c[1];
    rgba[o + 2] = c[2];
    rgba[o + 3] = 255;
  };
  const colour = (v: number): [number, number, number] => {
    const state = cellState(v);
    if (state === 'no-path') return NO_PATH_RGB;
    if (state === 'single-path') return SINGLE_PATH_RGB;
    return viridis((v - lo) / (hi - lo));
  };
  for (let py = 0; py < mapH; py++) {
    const iy = ny - 1 - Math.min(ny - 1, Math.floor(py / scale) * step);
    for (let px = 0; px < mapW; px++) {
      const ix = Math.min(nx - 1, Math.floor(px / scale) * step);
      put(margin + px, titleH + py, colour(values[iy * nx + ix]!));
    }
  }
  // transmitter markers (every transmitter of a best-server map)
  for (const t of map.servers?.txs ?? [map.tx]) {
    const tx = Math.round(((t[0] - map.grid.xmin) / map.grid.cellSize / step) * scale);
    const ty = mapH - 1 - Math.round(((t[1] - map.grid.ymin) / map.grid.cellSize / step) * scale);
    for (let k = -5; k <= 5; k++) {
      for (const [x, y] of [
        [tx + k, ty],
        [tx, ty + k],
      ] as const) {
        if (x >= 0 && y >= 0 && x < mapW && y < mapH) put(margin + x, titleH + y, [255, 255, 255]);
      }
    }
  }
  // title and colour bar
  drawText(rgba, width, height, `${label} (${unit})`, margin, 6, [0, 0, 0], labelScale);
  const barX = margin + mapW + margin;
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
  // swatches of the cells outside the colour scale
  swatches.forEach(([text, c], k) => {
    const y0 = titleH + barH + margin + k * (swatchH + 4);
    for (let y = 0; y < swatchH; y++) for (let x = 0; x < swatchH; x++) put(margin + x, y0 + y, c);
    drawText(rgba, width, height, text, margin + swatchH + 6, y0 + 3, [0, 0, 0], labelScale);
  });
  return encodePng({ width, height, data: rgba });
}
