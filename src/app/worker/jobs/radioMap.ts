import { BeamSelector, computeBeamMap, DEFAULT_LINK_BUDGET } from '../../../engine/beams/index.ts';
import { Channel } from '../../../engine/channel/index.ts';
import { computeRadioMapParallel } from '../../../engine/parallel/index.ts';
import {
  computeBestServerMap,
  computeRadioMap,
  makeGrid,
  type RadioMap,
} from '../../../engine/radiomap/index.ts';
import type { Scene } from '../../../engine/scene/index.ts';
import type { Bvh } from '../../../engine/tracer/index.ts';
import { type JobContext, WithTransfer } from '../jobContext.ts';
import type { RadioMapEstimate, RadioMapRequest } from '../protocol.ts';
import { webWorkerPool } from '../webWorkerPool.ts';
import { beamSetsOf } from './beams.ts';
import { channelFor } from './channel.ts';

const gridOf = (scene: Scene, req: RadioMapRequest, cellSize = req.cellSize) => {
  const { min, max } = scene.bbox;
  const [xmin, ymin, xmax, ymax] = req.bounds ?? [min[0], min[1], max[0], max[1]];
  return makeGrid({ xmin, ymin, xmax, ymax }, cellSize, req.z);
};

/**
 * A radio map in the worker: one transmitter (computeRadioMap, exactly `rftwin radiomap`), or the
 * best server of several (computeBestServerMap, `rftwin radiomap --best-server`); the arrays move
 * to the page.
 */
export async function radioMapJob(
  scene: Scene,
  bvh: Bvh,
  req: RadioMapRequest,
  ctx: JobContext,
): Promise<WithTransfer<RadioMap>> {
  if (req.txs.length === 0) throw new Error('a radio map needs a transmitter: place a Tx first');
  const grid = gridOf(scene, req);
  const { channel, materials } = await channelFor(scene, bvh, req);
  const control = {
    signal: ctx.signal,
    onMapProgress: (p: { done: number; total: number; label: string }) =>
      ctx.progress({
        fraction: p.done / p.total,
        message: `Radio map on ${p.label}: ${p.done}/${p.total} cells`,
      }),
  };
  const choice = channel.backendFor({ kind: 'map', cells: grid.nx * grid.ny });
  const workers = Math.min(req.workers ?? 1, grid.ny);
  let map: RadioMap;
  if (req.beams) {
    // beam maps (docs/physics.md §16): the channel's antennas are the arrays' elements
    const tx = req.txs[0]!;
    const { txSet, rxSet, settings } = beamSetsOf(req.beams, tx, tx, channel.settings);
    const beamChannel = await Channel.open(channel.scene, settings, { backend: channel.choice, bvh });
    const selector = new BeamSelector(txSet, rxSet, {
      frequencyHz: settings.frequencyHz,
      budget: { ...DEFAULT_LINK_BUDGET, txPowerDbm: settings.txPowerDbm },
      search: 'exhaustive',
    });
    map = await computeBeamMap(beamChannel, { tx, grid, materials }, selector, control);
  } else if (req.txs.length > 1)
    map = await computeBestServerMap(channel, { txs: req.txs, grid, materials }, control);
  else if (choice.backend.kind === 'cpu' && workers > 1) {
    // a pool of Web Workers, blocks of rows: the same cells as this worker alone
    const pool = webWorkerPool(workers);
    try {
      ctx.progress({ fraction: 0, message: `Radio map: starting ${workers} workers…` });
      await pool.open(channel.scene, channel.settings, materials);
      map = await computeRadioMapParallel(
        pool,
        { tx: req.txs[0]!, grid, materials },
        {
          signal: ctx.signal,
          onMapProgress: (p) => control.onMapProgress({ ...p, label: `CPU × ${workers} workers` }),
        },
      );
    } finally {
      pool.terminate();
    }
    map.backendNote = choice.decision.reason;
    map.backendLabel = `CPU × ${workers} workers`;
  } else map = await computeRadioMap(channel, { tx: req.txs[0]!, grid, materials }, control);
  // the map's arrays move to the page (no structured clone of millions of cells)
  const transfer = [
    map.pathGainDb,
    map.coherentGainDb,
    map.rmsDelaySpreadS,
    map.kFactorDb,
    map.kFactorReference,
    map.angularSpreadDeg,
    map.los,
    map.pathCount,
    ...(map.servers ? [map.servers.serving] : []),
    ...(map.beams
      ? [
          map.beams.txBeam,
          map.beams.rxBeam,
          map.beams.gainDb,
          map.beams.snrDb,
          map.beams.mcs,
          map.beams.throughputMbps,
        ]
      : []),
  ].map((a) => a.buffer as ArrayBuffer);
  return new WithTransfer(map, transfer);
}

/** Cells of the coarse map an estimate times. */
const PROBE_CELLS = 64;

/**
 * Time a coarse map (about 64 cells of the same area, first transmitter) on the backend the full
 * map would get, and scale: seconds ≈ transmitters × (set-up + cells × time per cell). Set-up is
 * what the tracer does once per transmitter (candidate paths), the rest is per cell.
 */
export async function radioMapEstimateJob(
  scene: Scene,
  bvh: Bvh,
  req: RadioMapRequest,
  ctx: JobContext,
): Promise<RadioMapEstimate> {
  if (req.txs.length === 0) throw new Error('a radio map needs a transmitter: place a Tx first');
  const full = gridOf(scene, req);
  const cells = full.nx * full.ny;
  const area = (full.xmax - full.xmin) * (full.ymax - full.ymin);
  const probe = gridOf(scene, req, Math.max(req.cellSize, Math.sqrt(area / PROBE_CELLS)));
  const { channel, materials } = await channelFor(scene, bvh, req);
  // the backend `auto` would choose for the full map, not for the small probe
  const kind = channel.backendFor({ kind: 'map', cells }).decision.kind;
  const timed =
    kind === channel.choice
      ? channel
      : await Channel.open(channel.scene, channel.settings, { backend: kind, bvh });
  ctx.progress({ message: `Estimating the radio map's time (${probe.nx * probe.ny} cells)…` });
  const map = await computeRadioMap(
    timed,
    { tx: req.txs[0]!, grid: probe, materials },
    { signal: ctx.signal },
  );
  const perCellMs = (map.stats.traceMs + map.stats.fieldMs) / (probe.nx * probe.ny);
  const setupMs = Math.max(0, map.stats.totalMs - map.stats.traceMs - map.stats.fieldMs);
  return {
    seconds: (req.txs.length * (setupMs + cells * perCellMs)) / 1000,
    probeCells: probe.nx * probe.ny,
    backendLabel: map.backendLabel,
  };
}
