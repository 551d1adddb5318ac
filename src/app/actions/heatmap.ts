import type { Vec3 } from '../../engine/core/index.ts';
import {
  makeGrid,
  type RadioMapGrid,
  radioMapToCsv,
  radioMapToJson,
  renderRadioMapPng,
} from '../../engine/radiomap/index.ts';
import { type RootState, reportError, setStatus, studio } from '../store.ts';
import { engine } from '../worker/bridge.ts';
import type { RadioMapRequest } from '../worker/protocol.ts';
import { mapBeams } from './beams.ts';
import { channelRequest } from './channelRequest.ts';
import { download, safe } from './exportTwin.ts';

let running: AbortController | null = null;

/** Maps above this many cells wait for the person's confirmation (issue 13: 9.2 M cells unasked). */
export const CONFIRM_CELLS = 1_000_000;

/** Height of the map's plane when the person has not set one: 1.5 m above the scene's floor. */
export const DEFAULT_PLANE_HEIGHT = 1.5;

/** Cancel the radio map being computed (also the status bar's Cancel and Esc). */
export function cancelHeatmap() {
  running?.abort();
}

/** What the next map is of, as the panel shows it: transmitters, plane, area, grid. */
export interface MapSetup {
  txs: { id: string; name: string; position: Vec3 }[];
  bestServer: boolean;
  z: number;
  bounds: [number, number, number, number];
  cellSize: number;
  /** the grid, or why there is none (bounds or cell size the engine refuses) */
  grid: RadioMapGrid | null;
  problem?: string;
  /** identifies the setup an estimate was made for */
  key: string;
}

export function mapSetup(s: RootState): MapSetup | null {
  if (!s.twin) return null;
  const { min, max } = s.twin.scene.bbox;
  const all = s.devices.filter((d) => d.kind === 'tx');
  const picked = all.find((d) => d.id === s.heatmapTx) ?? all[0];
  const chosen = s.heatmapTx === 'all' ? all : picked ? [picked] : [];
  const txs = chosen.map((d) => ({ id: d.id, name: d.name, position: d.position }));
  const z = s.heatmapZ ?? min[2] + DEFAULT_PLANE_HEIGHT;
  const bounds = s.heatmapBounds ?? [min[0], min[1], max[0], max[1]];
  let grid: RadioMapGrid | null = null;
  let problem: string | undefined;
  try {
    grid = makeGrid({ xmin: bounds[0], ymin: bounds[1], xmax: bounds[2], ymax: bounds[3] }, s.heatmapCell, z);
  } catch (e) {
    problem = (e as Error).message;
  }
  const key = JSON.stringify([
    s.twin.sceneId,
    txs.map((t) => t.position),
    mapBeams(s, txs[0]?.id) ?? null,
    z,
    bounds,
    s.heatmapCell,
    s.channelSettings,
    s.backendChoice,
    s.frequencyHz,
  ]);
  return {
    txs,
    bestServer: s.heatmapTx === 'all' && txs.length > 1,
    z,
    bounds,
    cellSize: s.heatmapCell,
    grid,
    problem,
    key,
  };
}

function request(s: RootState, setup: MapSetup): RadioMapRequest {
  // a single transmitter with an array and codebook makes a beam map (best-beam, SNR, MCS, throughput)
  const beams = setup.bestServer ? undefined : mapBeams(s, setup.txs[0]?.id);
  return {
    ...channelRequest(s),
    ...(beams ? { beams } : {}),
    txs: setup.txs.map((t) => t.position),
    z: setup.z,
    bounds: setup.bounds,
    cellSize: setup.cellSize,
    workers: s.mapWorkers,
  };
}

/**
 * Radio map of the chosen transmitter (or the best server of all) over the chosen area and
 * plane, in the engine worker (progress and Cancel in the status bar), with the channel
 * settings of the link trace: a cell and a link at the same point agree. Above 10⁶ cells it
 * first asks (store heatmapConfirm; the panel shows the count and the estimate).
 */
export async function computeHeatmap(options: { confirmed?: boolean } = {}) {
  const s = studio.get();
  const setup = mapSetup(s);
  if (!setup) return;
  if (setup.txs.length === 0) {
    reportError('Radio map needs a transmitter: place a Tx first (T)');
    return;
  }
  if (!setup.grid) {
    reportError(`Radio map: ${setup.problem}`);
    return;
  }
  const cells = setup.grid.nx * setup.grid.ny;
  if (cells > CONFIRM_CELLS && !options.confirmed) {
    const estimate = s.heatmapEstimate?.key === setup.key ? s.heatmapEstimate.seconds : undefined;
    studio.set({ heatmapConfirm: { cells, seconds: estimate } });
    setStatus({
      level: 'info',
      message: `Radio map of ${cells.toLocaleString('en-US')} cells: confirm in the radio-map panel (or choose a larger cell or a smaller area)`,
    });
    if (estimate === undefined) void estimateHeatmap();
    return;
  }
  studio.set({ heatmapConfirm: null });
  running?.abort();
  const ac = new AbortController();
  running = ac;
  let lastShown = 0;
  setStatus({ level: 'busy', message: 'Radio map: starting…', progress: 0, cancel: () => ac.abort() });
  const t0 = performance.now();
  try {
    const map = await engine().call('radioMap', request(s, setup), {
      signal: ac.signal,
      onProgress: (p) => {
        // a tile finishes every few ms on small maps: repaint the status at most 10× a second
        const now = performance.now();
        if (running !== ac || now - lastShown < 100) return;
        lastShown = now;
        setStatus({ level: 'busy', message: p.message, progress: p.fraction, cancel: () => ac.abort() });
      },
    });
    if (running !== ac) return;
    running = null;
    const seconds = (performance.now() - t0) / 1000;
    studio.set({
      heatmap: map,
      heatmapHover: null,
      // the time it took is the best estimate for the same setup
      heatmapEstimate: { key: setup.key, seconds, probeCells: 0, backendLabel: map.backendLabel },
    });
    const from = setup.bestServer
      ? `best server of ${setup.txs.map((t) => t.name).join(', ')}`
      : setup.txs[0]!.name;
    setStatus({
      level: 'ok',
      message: `Radio map from ${from}: ${map.grid.nx}×${map.grid.ny} cells in ${map.stats.totalMs.toFixed(0)} ms on ${map.backendLabel}`,
    });
  } catch (e) {
    if (running === ac) running = null;
    if ((e as Error).name === 'AbortError') setStatus({ level: 'info', message: 'Radio map cancelled' });
    else reportError(`Radio map failed: ${(e as Error).message}`);
  }
}

/** Time a coarse map of the same setup in the worker and keep the scaled estimate. */
export async function estimateHeatmap() {
  const s = studio.get();
  const setup = mapSetup(s);
  if (!setup?.grid || setup.txs.length === 0) return;
  try {
    const e = await engine().call('radioMapEstimate', request(s, setup));
    studio.set((now) => ({
      heatmapEstimate: { key: setup.key, ...e },
      heatmapConfirm: now.heatmapConfirm ? { ...now.heatmapConfirm, seconds: e.seconds } : null,
    }));
  } catch (e) {
    reportError(`Radio map estimate failed: ${(e as Error).message}`);
  }
}

/** The map shown as a file: PNG (with colour bar, range as shown), CSV or JSON (as `rftwin radiomap`). */
export function exportHeatmap(format: 'png' | 'csv' | 'json') {
  const s = studio.get();
  const map = s.heatmap;
  if (!map || !s.twin) return;
  const base = `${safe(s.twin.scene.name)}-radiomap`;
  try {
    if (format === 'png') {
      const name = `${base}-${s.heatmapMetric}.png`;
      download(name, renderRadioMapPng(map, s.heatmapMetric, { range: s.heatmapRange }), 'image/png');
      setStatus({ level: 'ok', message: `Exported ${name}` });
    } else if (format === 'csv') {
      download(`${base}.csv`, radioMapToCsv(map), 'text/csv');
      setStatus({ level: 'ok', message: `Exported ${base}.csv` });
    } else {
      const json = radioMapToJson(map, s.twin.scene.name, s.heatmapMetric);
      download(`${base}.json`, `${JSON.stringify(json)}\n`, 'application/json');
      setStatus({ level: 'ok', message: `Exported ${base}.json` });
    }
  } catch (e) {
    reportError(`Radio map export failed: ${(e as Error).message}`);
  }
}
