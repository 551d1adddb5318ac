import type { Channel, ChannelControl } from '../channel/channel.ts';
import type { Vec3 } from '../core/vec3.ts';
import {
  computeRadioMap,
  type RadioMap,
  type RadioMapOptions,
  type RadioMapProgress,
  rowsOf,
} from './radioMap.ts';

/**
 * Best-server map: the map of every transmitter over the same grid (computeRadioMap, one after
 * the other, so memory holds two maps), and per cell the transmitter with the highest path gain
 * (incoherent received power: the same transmit power is assumed for all, settings.txPowerDbm)
 * with its metrics. Ties go to the transmitter given first. A cell no transmitter reaches has no
 * path and serving index −1. With one transmitter this is that transmitter's map.
 * Used by `rftwin radiomap --best-server` and the studio's "all transmitters" map.
 */
export interface BestServerOptions extends Omit<RadioMapOptions, 'tx'> {
  txs: readonly Vec3[];
}

export async function computeBestServerMap(
  channel: Channel,
  options: BestServerOptions,
  control: ChannelControl & { onMapProgress?: (p: RadioMapProgress) => void } = {},
): Promise<RadioMap> {
  const { txs } = options;
  if (txs.length === 0) throw new RangeError('a best-server map needs at least one transmitter');
  const rows = rowsOf(options.grid, options.rows);
  const n = (rows.end - rows.start) * options.grid.nx;
  const total = n * txs.length;
  let best: RadioMap | undefined;
  const notes: string[] = [];
  for (const [k, tx] of txs.entries()) {
    const map = await computeRadioMap(
      channel,
      { ...options, tx },
      {
        ...control,
        onMapProgress: (p) => control.onMapProgress?.({ ...p, done: k * n + p.done, total }),
      },
    );
    notes.push(`Tx ${k + 1}: ${map.backendNote}`);
    if (!best) {
      best = {
        ...map,
        servers: { txs: txs.map((t) => [...t] as Vec3), serving: new Int16Array(n).fill(-1) },
      };
      for (let i = 0; i < n; i++) if (map.pathCount[i]! > 0) best.servers!.serving[i] = 0;
      continue;
    }
    // a cell is complete only if every transmitter's search was: a missed path of any of them
    // could change which one serves it
    for (let i = 0; i < n; i++) best.complete[i] = best.complete[i]! & map.complete[i]!;
    best.missRate = Math.max(best.missRate, map.missRate);
    for (let i = 0; i < n; i++) {
      if (map.pathCount[i] === 0) continue;
      if (best.pathCount[i]! > 0 && !(map.pathGainDb[i]! > best.pathGainDb[i]!)) continue;
      best.pathGainDb[i] = map.pathGainDb[i]!;
      best.coherentGainDb[i] = map.coherentGainDb[i]!;
      best.rmsDelaySpreadS[i] = map.rmsDelaySpreadS[i]!;
      best.kFactorDb[i] = map.kFactorDb[i]!;
      best.kFactorReference[i] = map.kFactorReference[i]!;
      best.angularSpreadDeg[i] = map.angularSpreadDeg[i]!;
      best.los[i] = map.los[i]!;
      best.pathCount[i] = map.pathCount[i]!;
      best.nearField[i] = map.nearField[i]!;
      best.servers!.serving[i] = k;
    }
    const s = best.stats;
    s.paths += map.stats.paths;
    s.traceMs += map.stats.traceMs;
    s.fieldMs += map.stats.fieldMs;
    s.totalMs += map.stats.totalMs;
    if (map.backend !== best.backend) best.backendLabel = `${best.backendLabel} + ${map.backendLabel}`;
  }
  best!.backendNote = txs.length === 1 ? best!.backendNote : notes.join('; ');
  return best!;
}
